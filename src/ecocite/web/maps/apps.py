"""Django configuration of the maps app (label ``maps``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    """Configure the maps app."""

    name = "ecocite.web.maps"
    label = "maps"
    verbose_name = _("City maps")
    default_auto_field = "django.db.models.BigAutoField"
