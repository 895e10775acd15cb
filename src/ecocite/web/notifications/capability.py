"""Manifest of the notifications app: follows, notifications, e-mails and their settings."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import Capability
from ecocite.web.notifications.rules import RULES

CAPABILITY = Capability(
    key="notifications",
    name=_("Notifications"),
    url_prefix="notifications/",
    urlconf="ecocite.web.notifications.urls",
    rules=RULES,
)
