"""Django application of the kernel."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The core app: the kernel every capability builds on."""

    name = "ecocite.web.core"
    label = "core"
    verbose_name = _("EcoCité")
