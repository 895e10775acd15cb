"""Manifest of the label app: programmes, applications, reviews, jury, registry, decision log."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import Capability, Watch
from ecocite.web.label.models import Application, LogRow
from ecocite.web.label.rules import RULES

CAPABILITY = Capability(
    key="label",
    name=_("Eco-city label"),
    rules=RULES,
    watches=(
        Watch(Application, latest=("updated_at", "id"), count=True),
        Watch(LogRow, latest=("id",)),
    ),
)
