"""Role predicates, composable with ``&``, ``|`` and ``~`` (``rules``): who holds which role where.

Each predicate takes (user, object); the object is resolved to its city by
:func:`ecocite.web.core.scopes.scope_of`, so ``is_city_official`` answers for a city, a dataset
of that city or an assessment of it alike. The person's roles are read once per request.
"""

from __future__ import annotations

from typing import Any

import rules
from django.contrib.contenttypes.models import ContentType

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.core.scopes import scope_chain, scope_of


def _roles(user: Any) -> list[tuple[str, int | None, int | None, int | None]]:
    """(kind, city id, scope type id, scope id) rows, read once and kept on the user object."""
    cached = getattr(user, "_ecocite_roles", None)
    if cached is None:
        cached = list(
            Role.objects.filter(user_id=user.pk).values_list(
                "kind", "city_id", "scope_type_id", "scope_id"
            )
        )
        user._ecocite_roles = cached
    return cached


def _signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_administrator(user: Any) -> bool:
    """Tell whether the person is a superuser or holds the platform-wide administrator role."""
    if not _signed_in(user):
        return False
    return bool(user.is_superuser) or any(row[0] == RoleKind.ADMINISTRATOR for row in _roles(user))


def has_city_role(kind: str) -> Any:
    """Return a predicate: the person holds role ``kind`` for the object's city."""

    def check(user: Any, obj: Any) -> bool:
        city = scope_of(obj, "city")
        if not _signed_in(user) or city is None:
            return False
        return any(row[0] == kind and row[1] == city.pk for row in _roles(user))

    return rules.predicate(check, name=f"has_city_role:{kind}")


def has_scope_role(kind: str, *, everywhere: bool = False) -> Any:
    """Return a predicate: the person holds role ``kind`` for the object or anything it hangs on.

    The object's :func:`~ecocite.web.core.scopes.scope_chain` is walked (a comment → its
    proposal → its process …), so a moderator of a process moderates every comment in it.
    With ``everywhere``, the role held without a scope (platform-wide) also counts.
    """

    def check(user: Any, obj: Any) -> bool:
        if not _signed_in(user):
            return False
        held = [(row[2], row[3]) for row in _roles(user) if row[0] == kind]
        if everywhere and (None, None) in held:
            return True
        if obj is None or not held:
            return False
        types = ContentType.objects
        return any(
            (types.get_for_model(link).pk, link.pk) in held
            for link in scope_chain(obj)
            if hasattr(link, "_meta")
        )

    return rules.predicate(check, name=f"has_scope_role:{kind}")


is_city_official = has_city_role(str(RoleKind.CITY_OFFICIAL))
is_city_assessor = has_city_role(str(RoleKind.ASSESSOR))
is_city_juror = has_city_role(str(RoleKind.JURY))
is_moderator = has_scope_role(str(RoleKind.MODERATOR), everywhere=True)
is_facilitator = has_scope_role(str(RoleKind.FACILITATOR))
is_secretariat = has_scope_role(str(RoleKind.SECRETARIAT))
