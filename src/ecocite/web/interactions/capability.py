"""Manifest of the interactions app: comments, supports, reports and attachments on anything."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import Capability
from ecocite.web.interactions.rules import RULES

CAPABILITY = Capability(key="interactions", name=_("Interactions"), rules=RULES)
