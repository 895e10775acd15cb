"""Manifest of the API app: the index of every capability's routes, the schema and its docs."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import Capability, MenuEntry

CAPABILITY = Capability(
    key="api",
    name=_("API"),
    url_prefix="api/",
    urlconf="ecocite.web.api.urls",
    menu=[MenuEntry("api:docs", _("API"))],
)
