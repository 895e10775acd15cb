from django.utils.translation import gettext_lazy as _

from ecocite.web.carbon.models import CarbonInventory
from ecocite.web.core.capabilities import Capability, MenuEntry

CAPABILITY = Capability(
    key="carbon",
    name=_("Carbon"),
    menu=[MenuEntry("carbon:index", _("Carbon"))],
    permissions=["upload_data"],
    statistics={_("carbon inventories"): CarbonInventory.objects.count},
)
