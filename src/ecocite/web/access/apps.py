"""Django configuration of the walking-access app (label ``access``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "ecocite.web.access"
    label = "access"
    verbose_name = _("Walking access")
    default_auto_field = "django.db.models.BigAutoField"
