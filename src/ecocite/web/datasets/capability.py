from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import Capability
from ecocite.web.datasets.models import Dataset

CAPABILITY = Capability(
    key="datasets",
    name=_("Datasets"),
    permissions=["upload_data"],
    statistics={
        _("datasets"): Dataset.objects.count,
        _("indicator values"): lambda: int(Dataset.objects.aggregate(n=Sum("rows"))["n"] or 0),
    },
)
