"""Facility categories and life-circle reference figures, read from data files.

``data/categories.yaml`` maps OSM tags to categories and life-circle levels (the user may pass an
edited copy); ``data/life_circles.yaml`` holds the distances and thresholds with their sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ecocite.access.errors import AccessInputError
from ecocite.i18n import Text

DATA_PACKAGE = "ecocite.access.data"
LEVEL_NONE = "none"


@dataclass(frozen=True)
class Category:
    """One facility category: OSM tags that select it, its life-circle level, how it is reached.

    ``access`` is ``"point"`` (a shop, a stop: its location) or ``"entrances"`` (an area reached
    from points along its boundary, counted once however many entrances it has).
    """

    name: str
    label: Text
    level: str
    tags: Mapping[str, tuple[str, ...]]
    access: str = "point"


@dataclass(frozen=True)
class Level:
    """A life-circle level: its name and walking distance."""

    name: str
    distance_m: float
    minutes: int
    label: Text
    source: str


@dataclass(frozen=True)
class CategoryTable:
    """The facility categories of the life circles, with the source of the table."""

    categories: tuple[Category, ...]
    source: str

    @property
    def names(self) -> list[str]:
        """Return the category names, in table order."""
        return [c.name for c in self.categories]

    def __getitem__(self, name: str) -> Category:
        for c in self.categories:
            if c.name == name:
                return c
        raise unknown_category(name, self.names)

    def select(self, names: Iterable[str] | None) -> CategoryTable:
        """Return the table restricted to ``names`` (all when None); unknown names are an error."""
        if names is None:
            return self
        wanted = list(names)
        return CategoryTable(tuple(self[n] for n in wanted), self.source)

    def tag_keys(self) -> list[str]:
        """Return the OpenStreetMap tag keys any category matches on."""
        return sorted({k for c in self.categories for k in c.tags})

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """Return the table as a frame, names and notes in ``lang``."""
        return pd.DataFrame(
            [
                {
                    "category": c.name,
                    "label": c.label(lang),
                    "level": c.level,
                    "access": c.access,
                    "tags": "; ".join(f"{k}={'|'.join(v)}" for k, v in c.tags.items()),
                }
                for c in self.categories
            ]
        )


def unknown_category(name: str, known: Sequence[str]) -> AccessInputError:
    """Return the error for a category name that is not in the table."""
    return AccessInputError(f"unknown category {name!r}; known categories: {', '.join(known)}")


def _read_yaml(path: Path | None, default: str) -> tuple[dict[str, Any], str]:
    if path is None:
        text = resources.files(DATA_PACKAGE).joinpath(default).read_text(encoding="utf-8")
        return yaml.safe_load(text), f"ecocite/access/data/{default}"
    p = Path(path)
    if not p.is_file():
        raise AccessInputError(f"{p}: file not found")
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise AccessInputError(f"{p}: not valid YAML ({exc})") from None
    if not isinstance(doc, dict):
        raise AccessInputError(f"{p}: expected a mapping at the top level")
    return doc, str(p)


def load_levels(path: Path | None = None) -> dict[str, Any]:
    """Return the reference figures of ``life_circles.yaml`` (or an edited copy at ``path``)."""
    doc, _ = _read_yaml(path, "life_circles.yaml")
    return doc


def life_circle_levels(path: Path | None = None) -> dict[str, Level]:
    """Return the life-circle levels (5, 10, 15 minutes) by name, with their distances."""
    doc = load_levels(path)
    return {
        name: Level(
            name, float(v["distance_m"]), int(v["minutes"]), Text(**v["label"]), v["source"]
        )
        for name, v in doc["levels"].items()
    }


def load_categories(path: str | Path | None = None) -> CategoryTable:
    """Read a category table; errors name the file, the category and the field."""
    doc, label = _read_yaml(Path(path) if path is not None else None, "categories.yaml")
    levels = set(life_circle_levels()) | {LEVEL_NONE}
    raw = doc.get("categories")
    if not isinstance(raw, dict) or not raw:
        raise AccessInputError(f"{label}: field 'categories' must be a non-empty mapping")
    out = []
    for name, spec in raw.items():
        where = f"{label}: category '{name}'"
        if not isinstance(spec, dict):
            raise AccessInputError(f"{where}: expected a mapping")
        level = str(spec.get("level", LEVEL_NONE))
        if level not in levels:
            raise AccessInputError(
                f"{where}, field 'level': {level!r} is not one of {', '.join(sorted(levels))}"
            )
        tags = spec.get("tags")
        if not isinstance(tags, dict) or not tags:
            raise AccessInputError(f"{where}, field 'tags': must map OSM keys to lists of values")
        clean: dict[str, tuple[str, ...]] = {}
        for key, values in tags.items():
            vals = [values] if isinstance(values, str) else values
            if not isinstance(vals, list) or not vals:
                raise AccessInputError(f"{where}, field 'tags.{key}': must be a list of values")
            clean[str(key)] = tuple(str(v) for v in vals)
        access = str(spec.get("access", "point"))
        if access not in ("point", "entrances"):
            raise AccessInputError(f"{where}, field 'access': must be 'point' or 'entrances'")
        lab = spec.get("label") or {}
        text = Text(
            fr=str(lab.get("fr", name)), zh=str(lab.get("zh", name)), en=str(lab.get("en", name))
        )
        out.append(Category(str(name), text, level, clean, access))
    return CategoryTable(tuple(out), str(doc.get("level_source", label)))


def classify(features: pd.DataFrame, table: CategoryTable) -> pd.DataFrame:
    """Which categories each feature belongs to, from its tag columns.

    Returns a frame with columns ``feature`` (the row position in ``features``) and
    ``category``; a feature in several categories appears once per category.
    """
    parts = []
    for cat in table.categories:
        hit = np.zeros(len(features), bool)
        for key, values in cat.tags.items():
            if key not in features.columns:
                continue
            col = features[key].astype("string")
            if "*" in values:
                hit |= col.notna().to_numpy()
            else:
                hit |= col.isin(values).fillna(False).to_numpy(dtype=bool)
        idx = np.flatnonzero(hit)
        parts.append(pd.DataFrame({"feature": idx, "category": cat.name}))
    if not parts:
        return pd.DataFrame({"feature": pd.Series(dtype=int), "category": pd.Series(dtype=str)})
    return pd.concat(parts, ignore_index=True)
