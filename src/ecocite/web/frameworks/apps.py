"""Django application of the frameworks app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    """The frameworks app: browser and upload."""

    name = "ecocite.web.frameworks"
    label = "frameworks"
    verbose_name = _("Reference frameworks")
