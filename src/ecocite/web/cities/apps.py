"""Django application of the cities app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitiesConfig(AppConfig):
    """The cities app: registry, list, map and city pages."""

    name = "ecocite.web.cities"
    label = "cities"
    verbose_name = _("Cities")
