"""Object-level permission rules: who may do what, for which city.

Every view and API endpoint asks ``user.has_perm("ecocite.<rule>", city)``; Django routes the
question to :class:`RoleBackend`, which answers from the person's roles. The rules live here, in
one place, so the pages, the API and the tests share them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ecocite.web.accounts.models import Role

PREFIX = "ecocite."


def _roles(user: Any) -> list[tuple[str, int | None]]:
    """(kind, city id) pairs, read once per request and kept on the user object."""
    cached = getattr(user, "_ecocite_roles", None)
    if cached is None:
        cached = list(Role.objects.filter(user_id=user.pk).values_list("kind", "city_id"))
        user._ecocite_roles = cached
    return cached


def is_administrator(user: Any) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return bool(user.is_superuser) or any(k == "administrator" for k, _ in _roles(user))


def has_city_role(user: Any, kind: str, city: Any) -> bool:
    if not (user and user.is_authenticated and user.is_active) or city is None:
        return False
    return (str(kind), city.pk) in _roles(user)


def _edit_city(user: Any, city: Any) -> bool:
    return is_administrator(user) or has_city_role(user, "city_official", city)


def _upload_data(user: Any, city: Any) -> bool:
    return (
        is_administrator(user)
        or has_city_role(user, "city_official", city)
        or has_city_role(user, "assessor", city)
    )


def _run_assessment(user: Any, city: Any) -> bool:
    return _upload_data(user, city)


def _sit_on_jury(user: Any, city: Any) -> bool:
    return has_city_role(user, "jury", city) and not has_city_role(user, "assessor", city)


def _add_city(user: Any, obj: Any) -> bool:
    return is_administrator(user)


def _upload_framework(user: Any, obj: Any) -> bool:
    return is_administrator(user)


def _manage_roles(user: Any, obj: Any) -> bool:
    return is_administrator(user)


RULES: dict[str, Callable[[Any, Any], bool]] = {
    "edit_city": _edit_city,
    "upload_data": _upload_data,
    "run_assessment": _run_assessment,
    "sit_on_jury": _sit_on_jury,
    "add_city": _add_city,
    "upload_framework": _upload_framework,
    "manage_roles": _manage_roles,
}


class RoleBackend:
    """A Django authentication backend that only answers permission questions."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if not perm.startswith(PREFIX):
            return False
        rule = RULES.get(perm.removeprefix(PREFIX))
        if rule is None:
            raise KeyError(f"unknown permission {perm!r}; known: {sorted(RULES)}")
        return rule(user_obj, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False
