"""Each app declares what it brings in one manifest (``<app>/capability.py``): its menu entries,
the permission rules it checks, its statistics and its exports. The navigation, the home page
and the API index read these manifests; adding a capability means adding an app with one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module

from django.apps import apps
from django.utils.functional import Promise


@dataclass(frozen=True)
class MenuEntry:
    url_name: str
    label: str | Promise


@dataclass(frozen=True)
class Capability:
    key: str
    name: str | Promise
    menu: list[MenuEntry] = field(default_factory=list)
    permissions: list[str] = field(default_factory=list)
    # Label → how to count it (counted lazily, cached by the home page until the data changes).
    statistics: dict[str | Promise, Callable[[], int]] = field(default_factory=dict)
    exports: list[MenuEntry] = field(default_factory=list)


@lru_cache(maxsize=1)
def capabilities() -> tuple[Capability, ...]:
    """The manifests of the installed EcoCité apps, in INSTALLED_APPS order."""
    found = []
    for app in apps.get_app_configs():
        if not app.name.startswith("ecocite.web."):
            continue
        try:
            module = import_module(f"{app.name}.capability")
        except ModuleNotFoundError:
            continue
        found.append(module.CAPABILITY)
    return tuple(found)
