"""Manifest of the consultations app: bodies, processes, proposals, answers."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.consultations.api import (
    BlockViewSet,
    CommentViewSet,
    ModerationLogViewSet,
    ModerationQueueViewSet,
    PhaseViewSet,
    ProcessViewSet,
    ProposalViewSet,
    SupportViewSet,
)
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.consultations.rules import RULES
from ecocite.web.core.capabilities import ApiRoute, Capability, MenuEntry, Watch

CAPABILITY = Capability(
    key="consultations",
    name=_("Consultations"),
    url_prefix="consultations/",
    urlconf="ecocite.web.consultations.urls",
    api=(
        ApiRoute("consultation-processes", ProcessViewSet, "consultation-process"),
        ApiRoute("consultation-phases", PhaseViewSet, "consultation-phase"),
        ApiRoute("proposals", ProposalViewSet, "proposal"),
        ApiRoute("proposal-comments", CommentViewSet, "proposal-comment"),
        ApiRoute("proposal-supports", SupportViewSet, "proposal-support"),
        ApiRoute("moderation-reports", ModerationQueueViewSet, "moderation-report"),
        ApiRoute("moderation-log", ModerationLogViewSet, "moderation-act"),
        ApiRoute("moderation-blocks", BlockViewSet, "moderation-block"),
    ),
    rules=RULES,
    watches=(
        Watch(Process, latest=("id",), count=True),
        Watch(Proposal, latest=("updated_at", "id"), count=True),
    ),
    menu=[MenuEntry("consultations:index", _("Consultations"))],
    exports=[MenuEntry("consultations:schema", _("Consultation open data"))],
    statistics={_("proposals"): Proposal.objects.filter(hidden_at__isnull=True).count},
)
