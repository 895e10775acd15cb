"""Django application of the accounts app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """The accounts app: users, roles and sign-in."""

    name = "ecocite.web.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")
