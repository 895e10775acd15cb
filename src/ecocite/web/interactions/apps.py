"""App config of interactions: comments, supports, reports and attachments on any object."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionsConfig(AppConfig):
    """The interactions app: comments, supports and reports on any object."""

    name = "ecocite.web.interactions"
    label = "interactions"
    verbose_name = _("Interactions")
