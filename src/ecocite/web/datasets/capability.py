"""Manifest of the datasets app: uploads of indicator values, their pages and API."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import ApiRoute, Capability, Watch
from ecocite.web.datasets.api import CityDatasetUpload, DatasetViewSet, UploadViewSet
from ecocite.web.datasets.models import Dataset, DatasetEvent
from ecocite.web.datasets.rules import RULES

CAPABILITY = Capability(
    key="datasets",
    name=_("Datasets"),
    # The upload page lives under its city's address (/cities/<slug>/upload/), so the urlconf
    # writes its paths in full.
    url_prefix="",
    urlconf="ecocite.web.datasets.urls",
    api=(
        ApiRoute("datasets", DatasetViewSet, "dataset"),
        ApiRoute("cities/<slug:slug>/datasets/", CityDatasetUpload, "city-upload"),
        ApiRoute("uploads", UploadViewSet, "upload"),
    ),
    rules=RULES,
    # A withdrawal or a replacement writes a history line: pages built on the values follow.
    watches=(Watch(Dataset, latest=("id",)), Watch(DatasetEvent, latest=("id",))),
    statistics={
        _("datasets"): lambda: Dataset.objects.in_force().count(),
        _("indicator values"): lambda: int(
            Dataset.objects.in_force().aggregate(n=Sum("rows"))["n"] or 0
        ),
    },
)
