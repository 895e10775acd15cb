"""Manifest of the cities app: the portfolio of cities, their map and their API."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.cities.api import CityViewSet
from ecocite.web.cities.models import City
from ecocite.web.cities.rules import RULES
from ecocite.web.core.capabilities import ApiRoute, Capability, MenuEntry, Watch

CAPABILITY = Capability(
    key="cities",
    name=_("Cities"),
    url_prefix="cities/",
    urlconf="ecocite.web.cities.urls",
    api=(ApiRoute("cities", CityViewSet, "city"),),
    rules=RULES,
    watches=(Watch(City, latest=("id", "updated_at"), count=True),),
    menu=[MenuEntry("cities:list", _("Cities"))],
    statistics={_("cities"): City.objects.count},
    exports=[MenuEntry("cities:map_data", _("Boundaries (GeoJSON)"))],
)
