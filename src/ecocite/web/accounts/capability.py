"""Manifest of the accounts app: sign-in pages, roles, the API token."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.accounts.api import TokenView
from ecocite.web.accounts.rules import RULES
from ecocite.web.core.capabilities import ApiRoute, Capability

CAPABILITY = Capability(
    key="accounts",
    name=_("Accounts"),
    url_prefix="accounts/",
    urlconf="ecocite.web.accounts.urls",
    api=(ApiRoute("token/", TokenView, "token"),),
    rules=RULES,
)
