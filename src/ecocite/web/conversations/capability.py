"""Manifest of the conversations app: statements, votes and the live opinion map."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.conversations.api import ConversationViewSet, StatementViewSet, VoteViewSet
from ecocite.web.conversations.models import Conversation, OpinionMap, Statement, Vote
from ecocite.web.conversations.rules import RULES
from ecocite.web.core.capabilities import ApiRoute, Capability, MenuEntry, Watch

CAPABILITY = Capability(
    key="conversations",
    name=_("Conversations"),
    url_prefix="conversations/",
    urlconf="ecocite.web.conversations.urls",
    api=(
        ApiRoute("conversations", ConversationViewSet, "conversation"),
        ApiRoute("conversation-statements", StatementViewSet, "conversation-statement"),
        ApiRoute("conversation-votes", VoteViewSet, "conversation-vote"),
    ),
    rules=RULES,
    watches=(
        Watch(Conversation, latest=("id",), count=True),
        Watch(Statement, latest=("id",), count=True),
        Watch(OpinionMap, latest=("computed_at", "id"), count=True),
    ),
    menu=[MenuEntry("conversations:index", _("Conversations"))],
    statistics={_("votes on statements"): Vote.objects.count},
)
