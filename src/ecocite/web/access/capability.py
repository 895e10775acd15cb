"""Manifest of the access app: walking access (life circles) and urban form from OSM extracts."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.access.rules import RULES
from ecocite.web.core.capabilities import Capability, MenuEntry

CAPABILITY = Capability(
    key="access",
    name=_("Walking access"),
    url_prefix="access/",
    urlconf="ecocite.web.access.urls",
    rules=RULES,
    menu=[MenuEntry("access:index", _("Walking access"))],
)
