"""Django application of the carbon app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarbonConfig(AppConfig):
    """The carbon app: inventories and pathways."""

    name = "ecocite.web.carbon"
    label = "carbon"
    verbose_name = _("Carbon")
