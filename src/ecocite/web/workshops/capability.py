"""Manifest of the workshops app: meetings in person, online and hybrid."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import ApiRoute, Capability, Watch
from ecocite.web.workshops.api import RegistrationViewSet, WorkshopViewSet
from ecocite.web.workshops.models import Registration, Workshop
from ecocite.web.workshops.rules import RULES

CAPABILITY = Capability(
    key="workshops",
    name=_("Workshops"),
    url_prefix="workshops/",
    urlconf="ecocite.web.workshops.urls",
    api=(
        ApiRoute("workshops", WorkshopViewSet, "workshop"),
        ApiRoute("workshop-registrations", RegistrationViewSet, "workshop-registration"),
    ),
    rules=RULES,
    watches=(
        Watch(Workshop, latest=("id",), count=True),
        Watch(Registration, latest=("id",), count=True),
    ),
    statistics={_("workshops"): Workshop.objects.count},
)
