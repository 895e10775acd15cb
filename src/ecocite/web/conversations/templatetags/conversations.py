"""Template hooks the consultation pages use: a process's conversations, group agreement.

They let the consultations templates show what comes from conversations without the
consultations app knowing this one (``{% load conversations %}``).
"""

from __future__ import annotations

from typing import Any

from django import template

from ecocite.web.conversations import services
from ecocite.web.conversations.models import Conversation, StatementProposal

register = template.Library()


@register.inclusion_tag("conversations/_of_process.html", takes_context=True)
def conversations_of(context: dict[str, Any], process: Any) -> dict[str, Any]:
    """List a process's conversations, with a link to start one for those who may."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "process": process,
        "conversations": list(Conversation.objects.filter(process=process).order_by("id")),
        "can_start": bool(user and user.has_perm("conversations.add_conversation", process)),
    }


@register.simple_tag
def group_agreement(proposal: Any) -> float | None:
    """For a proposal made from a statement: the share of participants whose group agrees."""
    link = StatementProposal.objects.filter(proposal=proposal).select_related("statement").first()
    if link is None:
        return None
    return services.group_agreement(link.statement)
