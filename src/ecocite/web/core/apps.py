from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ecocite.web.core"
    label = "core"
    verbose_name = _("EcoCité")
