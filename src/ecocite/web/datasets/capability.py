from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import Capability
from ecocite.web.datasets.models import Dataset, IndicatorValue

CAPABILITY = Capability(
    key="datasets",
    name=_("Datasets"),
    permissions=["upload_data"],
    statistics=lambda: {
        _("datasets"): Dataset.objects.count(),
        _("indicator values"): IndicatorValue.objects.count(),
    },
)
