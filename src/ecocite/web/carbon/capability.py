"""Manifest of the carbon app: GPC inventories from activity files, pathways and scenarios."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.carbon.api import CityInventoryUpload, InventoryViewSet, ScenarioViewSet
from ecocite.web.carbon.rules import RULES
from ecocite.web.core.capabilities import ApiRoute, Capability, MenuEntry

# No home-page statistic yet: the carbon table is not among the watched tables (``watches``),
# so a count on the cached home page would lag behind new inventories.
CAPABILITY = Capability(
    key="carbon",
    name=_("Carbon"),
    url_prefix="carbon/",
    urlconf="ecocite.web.carbon.urls",
    api=(
        ApiRoute("carbon-inventories", InventoryViewSet, "carbon-inventory"),
        ApiRoute(
            "cities/<slug:slug>/carbon-inventories/", CityInventoryUpload, "city-carbon-upload"
        ),
        ApiRoute("carbon-scenarios", ScenarioViewSet, "carbon-scenario"),
    ),
    rules=RULES,
    menu=[MenuEntry("carbon:index", _("Carbon"))],
)
