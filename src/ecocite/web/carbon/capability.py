from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import Capability, MenuEntry

# No home-page statistic yet: the home page is cached under core.freshness.data_version(), which
# does not watch the carbon table, so a count would lag behind new inventories.
CAPABILITY = Capability(
    key="carbon",
    name=_("Carbon"),
    menu=[MenuEntry("carbon:index", _("Carbon"))],
    permissions=["upload_data"],
)
