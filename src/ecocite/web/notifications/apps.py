"""Django configuration of the notifications app (label ``notifications``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Configure the notifications app and connect it to the consultations signals."""

    name = "ecocite.web.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Connect the receivers of the consultations signals."""
        from ecocite.web.notifications import receivers

        receivers.connect()
