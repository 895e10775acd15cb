from django.utils.translation import gettext_lazy as _

from ecocite.web.cities.models import City
from ecocite.web.core.capabilities import Capability, MenuEntry

CAPABILITY = Capability(
    key="cities",
    name=_("Cities"),
    menu=[MenuEntry("cities:list", _("Cities"))],
    permissions=["edit_city", "add_city"],
    statistics={_("cities"): City.objects.count},
    exports=[MenuEntry("cities:map_data", _("Boundaries (GeoJSON)"))],
)
