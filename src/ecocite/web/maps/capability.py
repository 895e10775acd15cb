"""Manifest of the maps app: a city's offline base layers, heritage layer and place search.

The app has no rules of its own: its pages serve public map files and searches; building a map
is an administrator's command (``ecocite-web manage build_city_map``).
"""

from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import Capability

CAPABILITY = Capability(
    key="maps",
    name=_("City maps"),
    url_prefix="maps/",
    urlconf="ecocite.web.maps.urls",
)
