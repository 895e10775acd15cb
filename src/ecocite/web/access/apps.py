"""Django configuration of the walking-access app (label ``access``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """The access app: walking-access runs, maps and indicator imports."""

    name = "ecocite.web.access"
    label = "access"
    verbose_name = _("Walking access")
    default_auto_field = "django.db.models.BigAutoField"
