from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import Capability, MenuEntry

CAPABILITY = Capability(
    key="frameworks",
    name=_("Reference frameworks"),
    menu=[MenuEntry("frameworks:list", _("Frameworks"))],
    permissions=["upload_framework"],
)
