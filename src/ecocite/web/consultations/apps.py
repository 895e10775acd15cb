"""Django configuration of the consultations app (label ``consultations``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    """Configure the consultations app."""

    name = "ecocite.web.consultations"
    label = "consultations"
    verbose_name = _("Consultations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Keep each process's version token fresh (cached proposal lists and map data)."""
        from ecocite.web.consultations import freshness

        freshness.connect()
