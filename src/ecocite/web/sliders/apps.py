"""Django configuration of the sliders app (label ``sliders``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlidersConfig(AppConfig):
    """Configure the sliders app."""

    name = "ecocite.web.sliders"
    label = "sliders"
    verbose_name = _("Scenario sliders")
    default_auto_field = "django.db.models.BigAutoField"
