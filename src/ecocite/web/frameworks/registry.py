"""Every framework the platform knows: bundled with the engine, or uploaded; looked up by key."""

from __future__ import annotations

from functools import lru_cache

from ecocite.frameworks import (
    Framework,
    UnknownFrameworkError,
    bundled_framework_files,
    load_framework,
    parse_framework,
    superseded_framework_files,
)
from ecocite.web.frameworks.models import UploadedFramework


@lru_cache(maxsize=16)
def _bundled() -> dict[str, Framework]:
    frameworks = (load_framework(path) for path in bundled_framework_files().values())
    return {fw.key: fw for fw in frameworks}


@lru_cache(maxsize=4)
def _superseded() -> dict[str, Framework]:
    """Earlier versions of the bundled frameworks: assessments made with them still read."""
    frameworks = (load_framework(path) for path in superseded_framework_files().values())
    return {fw.key: fw for fw in frameworks}


@lru_cache(maxsize=64)
def _parsed(key: str, text: str) -> Framework:
    return parse_framework(text, filename=key)


def available_frameworks() -> dict[str, Framework]:
    """Frameworks by ``id@version``: bundled first, then uploaded ones."""
    found = dict(_bundled())
    for row in UploadedFramework.objects.only("framework_id", "version", "yaml_text"):
        found.setdefault(row.key, _parsed(row.key, row.yaml_text))
    return found


def framework_by_key(key: str) -> Framework:
    """Return the framework ``id@version`` (or the bundled one with that id).

    Raises
    ------
    UnknownFrameworkError
        No bundled or uploaded framework has this key (a LookupError).
    """
    bundled = _bundled()
    if key in bundled:
        return bundled[key]
    if key in _superseded():
        return _superseded()[key]
    for fw in bundled.values():
        if fw.id == key:
            return fw
    framework_id, _, version = key.partition("@")
    row = UploadedFramework.objects.filter(framework_id=framework_id, version=version).first()
    if row is None:
        raise UnknownFrameworkError(key, sorted(available_frameworks()))
    return _parsed(row.key, row.yaml_text)


def indicator_names(key: str) -> dict[str, str]:
    """Return indicator names in the active language by id; empty when the framework is unknown."""
    from ecocite.web.core.languages import pick

    try:
        framework = framework_by_key(key)
    except KeyError:
        return {}
    return {ind.id: pick(ind.name) for _, ind in framework.indicators()}


def default_framework_key() -> str:
    """Return the key of the default framework (the Sino-French one when bundled)."""
    keys = sorted(_bundled())
    preferred = [k for k in keys if k.startswith("sino-french")]
    return (preferred or keys or [""])[0]


def warm_up() -> None:
    """Parse the bundled frameworks now (a server calls this before forking its workers)."""
    _bundled()
