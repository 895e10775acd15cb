"""Django configuration of the conversations app (label ``conversations``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    """Configure the conversations app."""

    name = "ecocite.web.conversations"
    label = "conversations"
    verbose_name = _("Conversations")
    default_auto_field = "django.db.models.BigAutoField"
