"""The kernel builds the site from the apps' manifests: pages, API, rules and page freshness."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ecocite.web.core.capabilities import ApiRoute, Capability, capabilities, manifest_of
from ecocite.web.core.freshness import data_version
from ecocite.web.core.permissions import rule_set
from ecocite.web.core.scopes import scope_of

WEB = Path(__file__).resolve().parents[3] / "src" / "ecocite" / "web"


def _package(root: Path, name: str, capability: str | None) -> None:
    folder = root / name
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    if capability is not None:
        (folder / "capability.py").write_text(capability)


def test_a_broken_manifest_raises_and_a_missing_one_is_skipped(
    tmp_path: Path, monkeypatch: Any
) -> None:
    _package(tmp_path, "brokenapp", "import a_module_that_does_not_exist\n")
    _package(tmp_path, "plainapp", None)
    _package(tmp_path, "oddapp", "CAPABILITY = {'key': 'oddapp'}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError, match="a_module_that_does_not_exist"):
        manifest_of("brokenapp")
    assert manifest_of("plainapp") is None
    with pytest.raises(TypeError, match=r"oddapp\.capability"):
        manifest_of("oddapp")
    for name in ("brokenapp", "plainapp", "oddapp"):
        sys.modules.pop(name, None)
        sys.modules.pop(f"{name}.capability", None)


def test_a_rule_must_carry_its_app_label() -> None:
    with pytest.raises(ValueError, match=r"must start with 'cities\.'"):
        Capability(key="cities", name="Cities", rules={"datasets.add_dataset": lambda u: True})


def test_every_app_with_pages_is_mounted_from_its_manifest() -> None:
    mounted = {
        (str(p.pattern), p.urlconf_name.__name__)
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and hasattr(p.urlconf_name, "__name__")
    }
    declared = {(c.url_prefix, c.urlconf) for c in capabilities() if c.urlconf}
    assert ("cities/", "ecocite.web.cities.urls") in declared
    assert declared <= mounted


def _views(resolver: URLResolver) -> set[type[Any]]:
    found: set[type[Any]] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            found |= _views(pattern)
        elif isinstance(pattern, URLPattern):
            cls = getattr(pattern.callback, "cls", None)
            if cls is not None:
                found.add(cls)
    return found


def test_every_declared_api_route_is_served() -> None:
    routes: list[ApiRoute] = [route for c in capabilities() for route in c.api]
    assert len(routes) >= 6
    served = _views(get_resolver())
    assert {route.view for route in routes} <= served


def test_moved_pages_keep_their_addresses() -> None:
    assert reverse("datasets:upload", args=["jingzhou"]) == "/cities/jingzhou/upload/"
    assert reverse("assessments:new", args=["jingzhou"]) == "/cities/jingzhou/assess/"
    assert reverse("assessments:detail", args=[3]) == "/assessments/3/"
    assert reverse("datasets:detail", args=[3]) == "/datasets/3/"


def test_core_imports_no_app() -> None:
    apps = {p.name for p in WEB.iterdir() if (p / "apps.py").exists()} - {"core"}
    for module in (WEB / "core").rglob("*.py"):
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                assert not (
                    parts[:2] == ["ecocite", "web"] and len(parts) > 2 and parts[2] in apps
                ), f"{module.relative_to(WEB)} imports {name}"


# What code asks for: has_perm("x.y"), permission_required("x.y" …), require(request, "x.y" …),
# check_permission(user, "x.y" …).
ASKED = re.compile(
    r"""(?:has_perm|permission_required|require|check_permission)\(\s*(?:[\w.]+,\s*)?["']([a-z_]+\.[a-z_]+)["']"""
)


def _asked_rules() -> set[str]:
    asked: set[str] = set()
    for path in WEB.rglob("*.py"):
        asked |= set(ASKED.findall(path.read_text()))
    return asked


def _asked_by_the_admin_site() -> set[str]:
    """The admin site asks ``<app>.<action>_<model>`` of every model it shows."""
    from django.contrib import admin

    return {
        f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        for model in admin.site._registry
        for action in model._meta.default_permissions
    }


# Declared ahead of the pages that will ask for them; each entry says which.
AWAITED = {"accounts.sit_on_jury": "the label programme's jury pages (labels issue)"}


def test_every_rule_asked_for_exists_and_every_declared_rule_is_asked_for() -> None:
    declared = set(rule_set())
    asked = _asked_rules()
    assert asked, "the scan found no permission checks"
    assert asked - declared == set(), "asked for but never declared"
    unused = declared - asked - _asked_by_the_admin_site()
    assert unused == set(AWAITED), "declared but never asked for"
    for name in declared:
        assert re.fullmatch(r"[a-z]+\.[a-z]+_[a-z_]+", name), name


def test_unknown_rule_is_an_error_but_django_model_permissions_still_answer(
    make_user: Any,
) -> None:
    person = make_user("someone")
    with pytest.raises(KeyError, match=r"datasets\.launch_rockets"):
        person.has_perm("datasets.launch_rockets")
    assert person.has_perm("cities.view_city") is False  # asked by the admin site
    with pytest.raises(KeyError, match=r"now datasets\.add_dataset"):
        person.has_perm("ecocite.upload_data")  # the name before the rules moved to the apps
    with pytest.raises(KeyError, match="<app>"):
        person.has_perm("upload_data")


def test_scope_of_walks_to_the_city(
    city: Any, good_csv: bytes, framework_key: str, django_capture_on_commit_callbacks: Any
) -> None:
    from ecocite.web.assessments.services import request_assessment
    from ecocite.web.datasets.services import import_upload

    dataset = import_upload("v.csv", good_csv, city=city, framework_key=framework_key, user=None)
    with django_capture_on_commit_callbacks(execute=False):
        run = request_assessment(
            city, framework_key=framework_key, stage="planning_design", year=2020, user=None
        )
    assert scope_of(city, "city") == city
    assert scope_of(dataset, "city") == city
    assert scope_of(run, "city") == city
    assert scope_of(run, "process") is None
    assert scope_of(None, "city") is None


def test_the_fingerprint_follows_the_watched_tables(
    city: Any, other_city: Any, good_csv: bytes, framework_key: str
) -> None:
    from ecocite.web.datasets.services import import_upload

    first = data_version()
    assert data_version() == first
    import_upload("v.csv", good_csv, city=city, framework_key=framework_key, user=None)
    second = data_version()
    assert second != first
    other_city.name_en = "Foshan (renamed)"
    other_city.save()
    assert data_version() != second


def test_the_view_mixin_refuses_and_redirects_like_the_decorator(
    rf: Any, make_user: Any, city: Any, other_city: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse
    from django.views import View

    from ecocite.web.accounts.models import RoleKind
    from ecocite.web.core.permissions import PermissionRequiredMixin

    class EditCity(PermissionRequiredMixin, View):
        permission_required = "cities.change_city"

        def get_permission_object(self) -> Any:
            return {"here": city, "there": other_city}[self.kwargs["where"]]

        def get(self, request: Any, where: str) -> HttpResponse:
            return HttpResponse("ok")

    official = make_user("official", (RoleKind.CITY_OFFICIAL, city))
    request = rf.get("/edit/")
    request.user = official
    assert EditCity.as_view()(request, where="here").status_code == 200
    with pytest.raises(PermissionDenied):
        EditCity.as_view()(request, where="there")
    request.user = AnonymousUser()
    response = EditCity.as_view()(request, where="here")
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
