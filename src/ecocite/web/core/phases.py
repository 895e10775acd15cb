"""Read the phases of a process-like object: the active one, and what it allows.

``active_phase(obj, now=…)`` is the one phase whose dates contain ``now``; the predicate
``phase_allows("comment")`` is true when the active phase of the object (or of the process it
hangs on, along :func:`~ecocite.web.core.scopes.scope_chain`) opens that action — to compose
with role predicates: ``is_signed_in & phase_allows("comment") | is_moderator``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import rules
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ecocite.web.core.models import Action, Phase
from ecocite.web.core.scopes import scope_chain


def phases_of(obj: Any) -> list[Phase]:
    """Return the phases of ``obj`` in order (empty if it has none)."""
    kind = ContentType.objects.get_for_model(obj)
    return list(Phase.objects.filter(process_type=kind, process_id=obj.pk).order_by("position"))


def active_phase(obj: Any, now: datetime | None = None) -> Phase | None:
    """Return the phase of ``obj`` running at ``now`` (default: the present), or ``None``."""
    moment = now or timezone.now()
    kind = ContentType.objects.get_for_model(obj)
    return (
        Phase.objects.filter(
            process_type=kind, process_id=obj.pk, starts_at__lte=moment, ends_at__gt=moment
        )
        .order_by("position")
        .first()
    )


def governing_phase(obj: Any, now: datetime | None = None) -> tuple[bool, Phase | None]:
    """Whether ``obj`` or something it hangs on has phases, and the active phase if so.

    The first object along the scope chain that has phases governs: a comment on a proposal of
    a process follows the process's phases.
    """
    for link in scope_chain(obj):
        if not hasattr(link, "_meta") or link.pk is None:
            continue
        if phases_of(link):
            return True, active_phase(link, now)
    return False, None


def phase_allows(action: str) -> Any:
    """Return a predicate of (user, obj): the phase governing ``obj`` runs and opens ``action``."""
    if action not in Action.values:
        raise ValueError(f"unknown action {action!r}; known: {Action.values}")

    def check(user: Any, obj: Any) -> bool:
        has_phases, phase = governing_phase(obj)
        return has_phases and phase is not None and phase.opens(action)

    return rules.predicate(check, name=f"phase_allows:{action}")


@rules.predicate
def phase_open_to_anonymous(user: Any, obj: Any) -> bool:
    """Tell whether the phase governing ``obj`` lets people without an account take part."""
    _, phase = governing_phase(obj)
    return phase is not None and phase.anonymous_allowed


@rules.predicate
def is_signed_in(user: Any) -> bool:
    """Tell whether the person is signed in with an active account."""
    return bool(user and user.is_authenticated and user.is_active)


def may_take_part(action: str) -> Any:
    """Return the predicate: the phase opens ``action`` to the signed-in, or to all."""
    return phase_allows(action) & (is_signed_in | phase_open_to_anonymous)
