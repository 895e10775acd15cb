"""Turn the consultations signals into follows and notifications.

- proposing or commenting makes the author follow the proposal (documented in
  ``docs/consultations.md``; they can unfollow);
- an official answer, and a status change not made by that answer, tell the followers of the
  proposal and of its process;
- a reply tells the author of the comment answered.

Phase openings are not signalled when they happen (a phase opens by the clock): the job
``ecocite-web notify-phases`` announces them (:func:`services.announce_phases`).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ecocite.web.notifications import services
from ecocite.web.notifications.models import Kind


def _proposal_data(proposal: Any, **more: Any) -> dict[str, Any]:
    return {
        "title": proposal.title,
        "path": reverse("consultations:proposal", args=[proposal.pk]),
        **more,
    }


def on_submitted(sender: Any, proposal: Any, user: Any = None, **kwargs: Any) -> None:
    """Make the author follow their proposal."""
    if user is not None and user.is_authenticated:
        services.follow(user, proposal, check=False)


def on_answered(
    sender: Any, proposal: Any, user: Any, answer: str, status: str, **kwargs: Any
) -> None:
    """Tell the followers of the proposal and its process about the official answer."""
    stamp = proposal.answered_at.isoformat() if proposal.answered_at else ""
    services.notify(
        services.followers(proposal, proposal.process),
        str(Kind.ANSWER),
        proposal,
        _proposal_data(proposal, status=status, excerpt=answer[: services.EXCERPT_CHARS]),
        f"answer:{proposal.pk}:{stamp}",
        exclude=user,
    )


def on_status_changed(
    sender: Any,
    proposal: Any,
    user: Any,
    old_status: str,
    new_status: str,
    reason: str = "",
    **kwargs: Any,
) -> None:
    """Tell the followers of a status change (one made by an answer was told with the answer)."""
    by_answer = (
        user is not None
        and bool(reason)
        and reason == proposal.answer
        and proposal.answered_by_id == getattr(user, "pk", None)
    )
    if by_answer:
        return
    last = proposal.history.order_by("-changed_at", "-id").values_list("pk", flat=True).first()
    services.notify(
        services.followers(proposal, proposal.process),
        str(Kind.STATUS),
        proposal,
        _proposal_data(
            proposal, status=new_status, excerpt=(reason or "")[: services.EXCERPT_CHARS]
        ),
        f"status:{proposal.pk}:{last}",
        exclude=user,
    )


def on_comment(sender: Any, proposal: Any, comment: Any, user: Any = None, **kwargs: Any) -> None:
    """Make the commenter follow the proposal; tell the author of the comment answered."""
    if user is not None and user.is_authenticated:
        services.follow(user, proposal, check=False)
    parent = comment.parent
    if parent is None or parent.author is None or parent.author_id == getattr(user, "pk", None):
        return
    data = _proposal_data(
        proposal,
        who=user.get_username() if user is not None else "",
        excerpt=comment.text[: services.EXCERPT_CHARS],
    )
    data["path"] += f"#comment-{comment.pk}"
    services.notify([parent.author], str(Kind.REPLY), proposal, data, f"reply:{comment.pk}")


def connect() -> None:
    """Connect the receivers (called once, by the app's ``ready``)."""
    from ecocite.web.consultations import signals

    uid = "ecocite.web.notifications"
    signals.proposal_submitted.connect(on_submitted, dispatch_uid=f"{uid}.submitted")
    signals.proposal_answered.connect(on_answered, dispatch_uid=f"{uid}.answered")
    signals.proposal_status_changed.connect(on_status_changed, dispatch_uid=f"{uid}.status")
    signals.comment_added.connect(on_comment, dispatch_uid=f"{uid}.comment")
