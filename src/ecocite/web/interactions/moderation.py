"""Moderation: hide and restore with a public reason, dismiss reports, block participants.

Every act is checked against the rules and written with its entry in the moderation log
(:class:`~ecocite.web.interactions.models.ModerationAct`: who, what, when, why, where) in one
transaction. An app with its own hideable objects (consultation proposals) calls :func:`hide`
and :func:`restore` with its own rule; comments use ``interactions.hide_comment``.

A hideable object has ``hidden_at`` and ``hidden_reason`` fields; the public sees a placeholder
with the reason, counts and exports leave it out, its moderators still read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ecocite.web.accounts.predicates import is_administrator
from ecocite.web.core.permissions import check_permission
from ecocite.web.core.scopes import scope_chain
from ecocite.web.interactions.models import (
    Block,
    Comment,
    ModerationAct,
    ModerationAction,
    Report,
)

REASON_MAX_CHARS = 2000


def moderation_scope(obj: Any) -> Any:
    """Return where an act on ``obj`` counts: the last object of its scope chain (a process)."""
    chain = [link for link in scope_chain(obj) if hasattr(link, "_meta")]
    return chain[-1] if chain else None


def _ref(obj: Any, prefix: str) -> dict[str, Any]:
    if obj is None:
        return {f"{prefix}_type": None, f"{prefix}_id": None}
    return {f"{prefix}_type": ContentType.objects.get_for_model(obj), f"{prefix}_id": obj.pk}


def clean_reason(reason: str) -> str:
    """Return the reason stripped; a moderation act always says why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason (it is shown to the public).")})
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": REASON_MAX_CHARS}})
    return reason


def log_act(
    actor: Any,
    action: str,
    reason: str,
    *,
    target: Any = None,
    subject: Any = None,
    scope: Any = None,
    affected: int = 0,
) -> ModerationAct:
    """Write one entry of the moderation log."""
    return ModerationAct.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        reason=reason,
        subject=subject,
        affected=affected,
        **_ref(target, "target"),
        **_ref(scope, "scope"),
    )


def reports_on(obj: Any) -> QuerySet[Report]:
    """Return the reports about ``obj``."""
    return Report.objects.filter(**_ref(obj, "target"))


def _author(obj: Any) -> Any:
    return getattr(obj, "author", None)


def hide(user: Any, obj: Any, reason: str, *, rule: str, scope: Any = None) -> Any:
    """Hide ``obj`` with a public reason; its open reports are handled. Logged."""
    check_permission(user, rule, obj)
    reason = clean_reason(reason)
    if obj.hidden_at is not None:
        raise ValidationError({"reason": _("This is already hidden.")})
    now = timezone.now()
    with transaction.atomic():
        obj.hidden_at, obj.hidden_reason = now, reason
        obj.save()
        reports_on(obj).filter(handled_at__isnull=True).update(handled_at=now)
        log_act(
            user,
            str(ModerationAction.HIDE),
            reason,
            target=obj,
            subject=_author(obj),
            scope=scope or moderation_scope(obj),
            affected=1,
        )
    return obj


def restore(user: Any, obj: Any, reason: str, *, rule: str, scope: Any = None) -> Any:
    """Show a hidden ``obj`` again, saying why. Logged."""
    check_permission(user, rule, obj)
    reason = clean_reason(reason)
    if obj.hidden_at is None:
        raise ValidationError({"reason": _("This is not hidden.")})
    with transaction.atomic():
        obj.hidden_at, obj.hidden_reason = None, ""
        obj.save()
        log_act(
            user,
            str(ModerationAction.RESTORE),
            reason,
            target=obj,
            subject=_author(obj),
            scope=scope or moderation_scope(obj),
            affected=1,
        )
    return obj


def dismiss(user: Any, obj: Any, reason: str, *, rule: str, scope: Any = None) -> int:
    """Close the open reports about ``obj`` without hiding it; how many were closed. Logged."""
    check_permission(user, rule, obj)
    reason = clean_reason(reason)
    with transaction.atomic():
        closed = reports_on(obj).filter(handled_at__isnull=True).update(handled_at=timezone.now())
        log_act(
            user,
            str(ModerationAction.DISMISS),
            reason,
            target=obj,
            subject=_author(obj),
            scope=scope or moderation_scope(obj),
            affected=closed,
        )
    return closed


def hide_comment(user: Any, comment: Comment, reason: str) -> Comment:
    """Hide a comment with a public reason (its thread keeps a placeholder)."""
    return hide(user, comment, reason, rule="interactions.hide_comment")


def restore_comment(user: Any, comment: Comment, reason: str) -> Comment:
    """Show a hidden comment again."""
    return restore(user, comment, reason, rule="interactions.hide_comment")


def block_user(
    user: Any, person: Any, scope: Any, reason: str, content: Iterable[QuerySet[Any]] = ()
) -> Block:
    """Block ``person`` in ``scope`` (``None``: everywhere) and hide all their ``content`` there.

    ``content`` are querysets of hideable objects in the scope (with an ``author`` field);
    the rows ``person`` wrote are hidden with the block's reason, in the same transaction.
    """
    check_permission(user, "interactions.block_user", scope)
    reason = clean_reason(reason)
    if person is None or not person.is_authenticated:
        raise ValidationError({"user": _("Only a participant with an account can be blocked.")})
    if person.pk == user.pk or is_administrator(person):
        raise ValidationError({"user": _("This account cannot be blocked.")})
    where = _ref(scope, "scope")
    if Block.objects.filter(user=person, **where).exists():
        raise ValidationError({"user": _("This participant is already blocked here.")})
    now = timezone.now()
    with transaction.atomic():
        block = Block.objects.create(user=person, blocked_by=user, reason=reason, **where)
        hidden = 0
        for rows in content:
            changes: dict[str, Any] = {"hidden_at": now, "hidden_reason": reason}
            if any(f.name == "updated_at" for f in rows.model._meta.get_fields()):
                changes["updated_at"] = now  # the data fingerprint sees the change
            hidden += rows.filter(author=person, hidden_at__isnull=True).update(**changes)
        log_act(
            user, str(ModerationAction.BLOCK), reason, subject=person, scope=scope, affected=hidden
        )
    person.__dict__.pop("_ecocite_blocks", None)
    return block


def unblock_user(user: Any, block: Block, reason: str) -> None:
    """Lift a block (content hidden by it stays hidden until restored one by one). Logged."""
    scope = block.scope
    check_permission(user, "interactions.block_user", scope)
    reason = clean_reason(reason)
    with transaction.atomic():
        log_act(user, str(ModerationAction.UNBLOCK), reason, subject=block.user, scope=scope)
        block.delete()


def blocks_in(scope: Any) -> QuerySet[Block]:
    """Return the blocks in ``scope`` (``None``: the platform-wide ones)."""
    return Block.objects.filter(**_ref(scope, "scope")).select_related("user", "blocked_by")


def log_of(scope: Any) -> QuerySet[ModerationAct]:
    """Return the moderation log of ``scope``, newest first."""
    return ModerationAct.objects.filter(**_ref(scope, "scope")).select_related("actor", "subject")
