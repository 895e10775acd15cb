"""Rules of the interactions app: who comments, edits, deletes, supports, reports, attaches.

Participation follows the phase governing the object (``phase_allows``) and the person's roles
there (a moderator of the process, a facilitator of the workshop, an administrator). A person
blocked where the object lives (or everywhere) writes nothing there.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import rules
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ecocite.web.accounts.predicates import is_administrator, is_facilitator, is_moderator
from ecocite.web.core.phases import is_signed_in, may_take_part, phase_allows
from ecocite.web.core.scopes import scope_chain


def edit_window() -> timedelta:
    """How long an author may still edit a comment after writing it (``COMMENT_EDIT_WINDOW_S``)."""
    return timedelta(seconds=int(getattr(settings, "COMMENT_EDIT_WINDOW_S", 15 * 60)))


@rules.predicate
def is_author(user: Any, comment: Any) -> bool:
    """Tell whether the person wrote the comment."""
    return bool(user and user.is_authenticated and comment and comment.author_id == user.pk)


@rules.predicate
def is_live(user: Any, comment: Any) -> bool:
    """Tell whether the comment is neither deleted nor hidden by the moderators."""
    return comment is not None and comment.deleted_at is None and comment.hidden_at is None


@rules.predicate
def not_deleted(user: Any, comment: Any) -> bool:
    """Tell whether the comment is not deleted (a hidden one may still be deleted)."""
    return comment is not None and comment.deleted_at is None


@rules.predicate
def within_edit_window(user: Any, comment: Any) -> bool:
    """Tell whether the comment is still within its edit window."""
    return comment is not None and timezone.now() - comment.created_at <= edit_window()


def _blocks(user: Any) -> list[tuple[int | None, int | None]]:
    """(scope type id, scope id) of the person's blocks, read once and kept on the user object."""
    cached = getattr(user, "_ecocite_blocks", None)
    if cached is None:
        from ecocite.web.interactions.models import Block

        cached = list(
            Block.objects.filter(user_id=user.pk).values_list("scope_type_id", "scope_id")
        )
        user._ecocite_blocks = cached
    return cached


def blocked_for(user: Any, obj: Any) -> bool:
    """Tell whether ``user`` is blocked everywhere, or for ``obj`` or anything it hangs on."""
    if not (user and user.is_authenticated):
        return False
    held = _blocks(user)
    if not held:
        return False
    if (None, None) in held:
        return True
    types = ContentType.objects
    return any(
        (types.get_for_model(link).pk, link.pk) in held
        for link in scope_chain(obj)
        if hasattr(link, "_meta") and link.pk is not None
    )


@rules.predicate
def is_blocked(user: Any, obj: Any) -> bool:
    """Tell whether the moderators blocked the person here (or everywhere)."""
    return blocked_for(user, obj)


@rules.predicate
def is_open_thread(user: Any, obj: Any) -> bool:
    """Tell whether ``obj`` keeps a discussion open to anyone signed in, whatever the phase.

    A model says so with ``open_thread = True`` (a call for contributors, a published case):
    they outlive the phases of the process they came from.
    """
    return bool(getattr(obj, "open_thread", False))


is_steward = is_moderator | is_administrator
not_blocked = ~is_blocked

RULES = {
    "interactions.add_comment": (may_take_part("comment") & not_blocked)
    | (is_signed_in & is_open_thread & not_blocked)
    | is_steward,
    "interactions.change_comment": is_author & is_live & within_edit_window & not_blocked,
    "interactions.delete_comment": not_deleted & (is_author | is_steward),
    "interactions.add_support": is_signed_in & phase_allows("support") & not_blocked,
    "interactions.add_report": is_signed_in & not_blocked,
    "interactions.add_attachment": (is_signed_in & phase_allows("propose") & not_blocked)
    | is_facilitator
    | is_steward,
    # asked about the comment: hide it with a public reason, or restore it
    "interactions.hide_comment": is_steward,
    # asked about the scope (a process), or nothing for a block on the whole platform
    "interactions.block_user": is_steward,
}
