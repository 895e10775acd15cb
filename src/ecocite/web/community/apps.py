"""Django configuration of the community app (label ``community``)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Configure the community app."""

    name = "ecocite.web.community"
    label = "community"
    verbose_name = _("Communities of practice")
    default_auto_field = "django.db.models.BigAutoField"
