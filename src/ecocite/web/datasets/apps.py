"""Django application of the datasets app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatasetsConfig(AppConfig):
    """The datasets app: uploads and indicator values."""

    name = "ecocite.web.datasets"
    label = "datasets"
    verbose_name = _("Datasets")
