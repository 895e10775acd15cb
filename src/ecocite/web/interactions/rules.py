"""Rules of the interactions app: who comments, edits, deletes, supports, reports, attaches.

Participation follows the phase governing the object (``phase_allows``) and the person's roles
there (a moderator of the process, a facilitator of the workshop, an administrator).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import rules
from django.utils import timezone

from ecocite.web.accounts.predicates import is_administrator, is_facilitator, is_moderator
from ecocite.web.core.phases import is_signed_in, may_take_part, phase_allows

# How long an author may still edit a comment after writing it.
EDIT_WINDOW = timedelta(minutes=15)


@rules.predicate
def is_author(user: Any, comment: Any) -> bool:
    """Tell whether the person wrote the comment."""
    return bool(user and user.is_authenticated and comment and comment.author_id == user.pk)


@rules.predicate
def is_live(user: Any, comment: Any) -> bool:
    """Tell whether the comment is not deleted."""
    return comment is not None and comment.deleted_at is None


@rules.predicate
def within_edit_window(user: Any, comment: Any) -> bool:
    """Tell whether the comment is still within its edit window."""
    return comment is not None and timezone.now() - comment.created_at <= EDIT_WINDOW


@rules.predicate
def is_open_thread(user: Any, obj: Any) -> bool:
    """Tell whether ``obj`` keeps a discussion open to anyone signed in, whatever the phase.

    A model says so with ``open_thread = True`` (a call for contributors, a published case):
    they outlive the phases of the process they came from.
    """
    return bool(getattr(obj, "open_thread", False))


is_steward = is_moderator | is_administrator

RULES = {
    "interactions.add_comment": may_take_part("comment")
    | (is_signed_in & is_open_thread)
    | is_steward,
    "interactions.change_comment": is_author & is_live & within_edit_window,
    "interactions.delete_comment": is_live & (is_author | is_steward),
    "interactions.add_support": is_signed_in & phase_allows("support"),
    "interactions.add_report": is_signed_in,
    "interactions.add_attachment": (is_signed_in & phase_allows("propose"))
    | is_facilitator
    | is_steward,
}
