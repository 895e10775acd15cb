"""Role predicates, composable with ``&``, ``|`` and ``~`` (``rules``): who holds which role where.

Each predicate takes (user, object); the object is resolved to its city by
:func:`ecocite.web.core.scopes.scope_of`, so ``is_city_official`` answers for a city, a dataset
of that city or an assessment of it alike. The person's roles are read once per request.
"""

from __future__ import annotations

from typing import Any

import rules

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.core.scopes import scope_of


def _roles(user: Any) -> list[tuple[str, int | None]]:
    """(kind, city id) pairs, read once per request and kept on the user object."""
    cached = getattr(user, "_ecocite_roles", None)
    if cached is None:
        cached = list(Role.objects.filter(user_id=user.pk).values_list("kind", "city_id"))
        user._ecocite_roles = cached
    return cached


def _signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_administrator(user: Any) -> bool:
    """A superuser or a holder of the platform-wide administrator role."""
    if not _signed_in(user):
        return False
    return bool(user.is_superuser) or any(k == RoleKind.ADMINISTRATOR for k, _ in _roles(user))


def has_city_role(kind: str) -> Any:
    """A predicate: the person holds role ``kind`` for the object's city."""

    def check(user: Any, obj: Any) -> bool:
        city = scope_of(obj, "city")
        if not _signed_in(user) or city is None:
            return False
        return (str(kind), city.pk) in _roles(user)

    return rules.predicate(check, name=f"has_city_role:{kind}")


is_city_official = has_city_role(str(RoleKind.CITY_OFFICIAL))
is_city_assessor = has_city_role(str(RoleKind.ASSESSOR))
is_city_juror = has_city_role(str(RoleKind.JURY))
