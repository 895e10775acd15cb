"""Manifest of the sliders app: a site's vision and its effect on indicators and CO₂."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import ApiRoute, Capability, Watch
from ecocite.web.sliders.api import SliderSiteViewSet, VisionViewSet
from ecocite.web.sliders.models import SliderSite, Vision
from ecocite.web.sliders.rules import RULES

CAPABILITY = Capability(
    key="sliders",
    name=_("Scenario sliders"),
    url_prefix="sliders/",
    urlconf="ecocite.web.sliders.urls",
    api=(
        ApiRoute("slider-sites", SliderSiteViewSet, "slider-site"),
        ApiRoute("visions", VisionViewSet, "vision"),
    ),
    rules=RULES,
    watches=(
        Watch(SliderSite, latest=("id",), count=True),
        Watch(Vision, latest=("id",), count=True),
    ),
    statistics={_("visions submitted"): Vision.objects.count},
)
