"""Background job: recompute a conversation's opinion map (``ecocite-web worker`` runs it)."""

from __future__ import annotations

from django_tasks import task

from ecocite.web.conversations.services import compute_map


@task()
def recompute_map(conversation_id: int) -> None:
    """Recompute and store the opinion map of one conversation."""
    compute_map(conversation_id)
