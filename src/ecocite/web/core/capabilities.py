"""Capability manifests: each app declares what it brings; the kernel builds the site.

The manifest of an app is its ``<app>/capability.py``.

A manifest names the app's pages (URL prefix and urlconf), its API routes, its permission rules
(name → predicate), the tables whose changes invalidate cached pages, its menu entries,
statistics and exports. The project's ``urls.py``, the API index, the permission backend
(:mod:`ecocite.web.core.permissions`) and the page cache (:mod:`ecocite.web.core.freshness`) read
these manifests, so adding a capability means adding an app with one, and ``core`` imports no app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.utils.functional import Promise

PACKAGE = "ecocite.web."


@dataclass(frozen=True)
class MenuEntry:
    """A link in the navigation or the export list: a URL name and its translated label."""

    url_name: str
    label: str | Promise


@dataclass(frozen=True)
class ApiRoute:
    """One API route under ``/api/v1/``.

    Parameters
    ----------
    prefix
        The path under ``/api/v1/`` (router prefix for a viewset, a ``path()`` route otherwise).
    view
        A DRF viewset class (registered on the router) or an ``APIView`` class.
    name
        The router's basename for a viewset, the URL name (in the ``api`` namespace) otherwise.
    """

    prefix: str
    view: type[Any]
    name: str


@dataclass(frozen=True)
class Watch:
    """A table whose changes must invalidate cached pages.

    The fingerprint reads, for each watched table, ``COUNT(*)`` if ``count`` and ``MAX(column)``
    for each of ``latest`` — over the rows matching ``where`` (column → value), if given.
    """

    model: type[Any]
    latest: tuple[str, ...] = ("id",)
    count: bool = False
    where: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Capability:
    """The manifest of one EcoCité app.

    Parameters
    ----------
    key
        The app label; permission rules are named ``<key>.<verb>_<object>``.
    name
        Human name of the capability.
    url_prefix, urlconf
        Where the app's pages are mounted (``""`` when its urlconf writes full paths) and the
        dotted path of its urlconf (``None`` for an app without pages).
    api
        The app's API routes, served under ``/api/v1/``.
    rules
        Permission rules: ``"<key>.<verb>_<object>"`` → a ``rules`` predicate of (user, object).
    watches
        Tables whose changes invalidate the cached portfolio pages.
    menu, exports
        Navigation entries and downloadable exports.
    statistics
        Label → how to count it (counted lazily, cached by the home page until the data changes).
    """

    key: str
    name: str | Promise
    url_prefix: str = ""
    urlconf: str | None = None
    api: tuple[ApiRoute, ...] = ()
    rules: Mapping[str, Callable[..., bool]] = field(default_factory=dict)
    watches: tuple[Watch, ...] = ()
    menu: list[MenuEntry] = field(default_factory=list)
    statistics: dict[str | Promise, Callable[[], int]] = field(default_factory=dict)
    exports: list[MenuEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        for rule in self.rules:
            if not rule.startswith(f"{self.key}."):
                raise ValueError(
                    f"capability {self.key!r}: rule {rule!r} must start with '{self.key}.'"
                )


def manifest_of(app_name: str) -> Capability | None:
    """Return the app's manifest; ``None`` only when the app has no ``capability`` module at all.

    An import error *inside* a manifest (a typo, a missing dependency) propagates: silently
    dropping an app would hide its pages and its rules.
    """
    module_name = f"{app_name}.capability"
    if find_spec(module_name) is None:
        return None
    module = import_module(module_name)
    capability = getattr(module, "CAPABILITY", None)
    if not isinstance(capability, Capability):
        raise TypeError(f"{module_name}: CAPABILITY must be a Capability, got {capability!r}")
    return capability


@lru_cache(maxsize=1)
def capabilities() -> tuple[Capability, ...]:
    """Return the manifests of the installed EcoCité apps, in INSTALLED_APPS order."""
    found = []
    for app in apps.get_app_configs():
        if app.name.startswith(PACKAGE):
            capability = manifest_of(app.name)
            if capability is not None:
                found.append(capability)
    return tuple(found)


def all_rules() -> dict[str, Callable[..., bool]]:
    """Every declared permission rule, by name; two apps declaring one name is an error."""
    merged: dict[str, Callable[..., bool]] = {}
    for capability in capabilities():
        for name, predicate in capability.rules.items():
            if name in merged:
                raise ValueError(f"permission rule {name!r} declared twice")
            merged[name] = predicate
    return merged
