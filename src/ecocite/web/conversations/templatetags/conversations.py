"""Template hooks the consultation pages use: a process's conversations, group agreement.

They let the consultations templates show what comes from conversations without the
consultations app knowing this one (``{% load conversations %}``).
"""

from __future__ import annotations

from collections.abc import Iterable
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
def group_agreements(proposals: Iterable[Any]) -> dict[int, float]:
    """For proposals made from statements: proposal id → share of participants whose group agrees.

    One query when none came from a statement, a constant few otherwise.
    """
    links = list(
        StatementProposal.objects.filter(proposal__in=[p.pk for p in proposals]).select_related(
            "statement"
        )
    )
    shares = services.group_agreements([link.statement for link in links])
    return {
        link.proposal_id: shares[link.statement_id] for link in links if link.statement_id in shares
    }


@register.filter
def agreement_of(agreements: dict[int, float], proposal_id: int) -> float | None:
    """Look a proposal up in the result of :func:`group_agreements`."""
    return agreements.get(proposal_id)
