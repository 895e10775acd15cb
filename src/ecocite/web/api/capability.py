from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import Capability, MenuEntry

CAPABILITY = Capability(
    key="api",
    name=_("API"),
    menu=[MenuEntry("api:docs", _("API"))],
)
