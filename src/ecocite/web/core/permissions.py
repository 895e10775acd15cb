"""The permission kernel: one backend, one view decorator and mixin, one API check.

The backend answers from the rules the manifests collect.

Rules are named ``<app>.<verb>_<object>`` and declared in each app's ``rules.py`` (collected by
its ``capability.py``). Views ask ``@permission_required("datasets.add_dataset", fn=city_from_slug)``
or use :class:`PermissionRequiredMixin` with ``get_permission_object``; a signed-in person
without the right gets a 403 page, an anonymous one is sent to sign in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any

from django.apps import apps
from django.contrib.auth.mixins import PermissionRequiredMixin as DjangoPermissionRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rules import RuleSet

from ecocite.web.core.capabilities import all_rules, capabilities


@lru_cache(maxsize=1)
def rule_set() -> RuleSet:
    """Every app's rules in one ``rules.RuleSet`` (built once, from the manifests)."""
    rules = RuleSet()
    for name, predicate in all_rules().items():
        rules.add_rule(name, predicate)
    return rules


@lru_cache(maxsize=1)
def _model_permissions() -> frozenset[str]:
    """Django's own per-model permission names in EcoCité apps (asked by the admin site)."""
    keys = {capability.key for capability in capabilities()}
    names = set()
    for key in keys:
        for model in apps.get_app_config(key).get_models():
            for action in model._meta.default_permissions:
                names.add(f"{key}.{action}_{model._meta.model_name}")
    return frozenset(names)


# The names used before rules moved into the apps: asking for one is a merge left-over, and
# an error that names the new rule beats a silent "no".
RENAMED = {
    "ecocite.upload_data": "datasets.add_dataset (carbon.add_inventory for activity files)",
    "ecocite.run_assessment": "assessments.add_assessment",
    "ecocite.edit_city": "cities.change_city",
    "ecocite.add_city": "cities.add_city",
    "ecocite.upload_framework": "frameworks.add_framework",
    "ecocite.manage_roles": "accounts.change_role",
    "ecocite.sit_on_jury": "accounts.sit_on_jury",
}


class RuleBackend:
    """An authentication backend that only answers permission questions, from the rules.

    A question about an EcoCité app that names neither a declared rule nor one of Django's
    model permissions is a typo: it raises ``KeyError`` instead of quietly answering no.
    """

    def authenticate(self, request: Any, **credentials: Any) -> None:
        """Authenticate nobody: this backend only answers permission questions."""
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        """Tell whether the rule ``perm`` allows ``user_obj`` on ``obj``."""
        rules = rule_set()
        if perm in RENAMED:
            raise KeyError(f"permission {perm!r} is now {RENAMED[perm]}")
        if "." not in perm:
            raise KeyError(f"permission {perm!r}: rules are named <app>.<verb>_<object>")
        if perm in rules:
            return bool(rules.test_rule(perm, user_obj, obj))
        app_label = perm.partition(".")[0]
        if any(c.key == app_label for c in capabilities()) and perm not in _model_permissions():
            raise KeyError(f"unknown permission {perm!r}; known: {sorted(rules)}")
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        """Refuse module permissions: the rules are per object."""
        return False


def deny(request: HttpRequest) -> HttpResponse:
    """Send an anonymous visitor to sign in; refuse a signed-in person with a 403 page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


ObjectGetter = Callable[..., Any]


def permission_required(
    perm: str, fn: ObjectGetter | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view function: check ``perm`` on the object ``fn(request, *args, **kwargs)``.

    Parameters
    ----------
    perm
        A declared rule name, e.g. ``"datasets.add_dataset"``.
    fn
        Returns the object the permission is asked about (a 404 raised there stays a 404);
        ``None`` for a permission about no object.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            obj = fn(request, *args, **kwargs) if fn is not None else None
            if not request.user.has_perm(perm, obj):
                return deny(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class PermissionRequiredMixin(DjangoPermissionRequiredMixin):
    """Class-based views: set ``permission_required`` and override ``get_permission_object``.

    Django's ``AccessMixin`` already answers 403 to a signed-in person and redirects an
    anonymous one to sign in; this adds the object.
    """

    def get_permission_object(self) -> Any:
        """Return the object the rule is checked on (None: a global rule)."""
        return None

    def has_permission(self) -> bool:
        """Tell whether the signed-in person may use the view."""
        perms = self.get_permission_required()
        return self.request.user.has_perms(perms, self.get_permission_object())


def check_permission(user: Any, perm: str, obj: Any = None) -> None:
    """Raise Django's ``PermissionDenied`` unless the rule allows."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


def require(request: Any, perm: str, obj: Any = None) -> None:
    """Raise DRF's ``PermissionDenied`` (403) unless the rule allows."""
    from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied

    if not request.user.has_perm(perm, obj):
        # In the caller's language, with the rule's name for client code.
        raise ApiPermissionDenied(
            _("Your roles do not allow this action here (%(rule)s).") % {"rule": perm}
        )
