"""Manifest of the frameworks app: reference frameworks, bundled and uploaded."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import ApiRoute, Capability, MenuEntry
from ecocite.web.frameworks.api import FrameworkViewSet
from ecocite.web.frameworks.rules import RULES

CAPABILITY = Capability(
    key="frameworks",
    name=_("Reference frameworks"),
    url_prefix="frameworks/",
    urlconf="ecocite.web.frameworks.urls",
    api=(ApiRoute("frameworks", FrameworkViewSet, "framework"),),
    rules=RULES,
    menu=[MenuEntry("frameworks:list", _("Frameworks"))],
)
