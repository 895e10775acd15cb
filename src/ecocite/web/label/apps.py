"""Django configuration of the label app (label ``label``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabelConfig(AppConfig):
    """Configure the label app."""

    name = "ecocite.web.label"
    label = "label"
    verbose_name = _("Eco-city label")
    default_auto_field = "django.db.models.BigAutoField"
