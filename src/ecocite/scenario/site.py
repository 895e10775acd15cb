"""Read the slider catalogue and a site file, with errors that name the file and the field.

A site file (YAML) gives the site's area, today's observed values (population, green area,
floor area, mode shares, renewable share), the constants of the CO₂ computation and the
life-circle coverage of the facilities that may be added; each value carries its source and
whether it is sourced or illustrative. Today's slider positions are derived from the observed
values so that the default sliders reproduce today's indicators.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ecocite.data.contract import InputRejected, RowError

# A site file is a page of YAML: anything much larger is a mistake or an attack.
MAX_SITE_CHARS = 100_000
MAX_SITE_NODES = 5_000
LEVELS = (5, 10, 15)  # minutes of walking: the 5/10/15-minute life circles
TODAY_KEYS = ("population", "green_area_m2", "floor_area_m2", "walk_share", "cycle_share",
              "transit_share", "renewable_share")  # fmt: skip
CONSTANT_KEYS = ("existing_intensity_kwh_m2", "electric_share", "grid_kg_per_kwh",
                 "gas_kg_per_kwh", "trips_per_person_day", "km_per_trip", "car_kg_per_pkm",
                 "transit_kg_per_pkm")  # fmt: skip


class ScenarioError(InputRejected):
    """A site file or a slider setting that cannot be used; nothing was computed."""

    summary = "problem(s) in the scenario; nothing was computed"


@dataclass(frozen=True)
class Figure:
    """A number with its source, and whether that source is a published fact."""

    value: float
    source: str
    sourced: bool


@dataclass(frozen=True)
class Slider:
    """One slider of the catalogue: its range, unit and names."""

    id: str
    unit: str
    min: float
    max: float
    step: float
    name: Mapping[str, str]
    help: Mapping[str, str]


@dataclass(frozen=True)
class Facility:
    """A facility the organiser may add, with the life-circle coverage today and once added."""

    id: str
    name: Mapping[str, str]
    today: Mapping[int, float]
    added: Mapping[int, float]


@dataclass(frozen=True)
class Site:
    """A site whose vision participants explore with the sliders."""

    id: str
    city: str
    name: Mapping[str, str]
    area_ha: Figure
    today: Mapping[str, Figure]
    constants: Mapping[str, Figure]
    facilities: tuple[Facility, ...] = ()
    life_circles_sourced: bool = False
    life_circles_source: str = ""
    file: str = ""
    sliders: tuple[Slider, ...] = field(default=())

    @property
    def site_m2(self) -> float:
        """Give the site's area in square metres."""
        return self.area_ha.value * 10_000

    def defaults(self) -> dict[str, float]:
        """Give today's position of each slider, derived from the observed values."""
        t = {k: f.value for k, f in self.today.items()}
        return {
            "density": t["population"] / self.area_ha.value,
            "green_share": 100 * t["green_area_m2"] / self.site_m2,
            "far": t["floor_area_m2"] / self.site_m2,
            "heritage_kept": 100.0,
            "walk_share": t["walk_share"],
            "cycle_share": t["cycle_share"],
            "transit_share": t["transit_share"],
            "energy_standard": self.constants["existing_intensity_kwh_m2"].value,
            "renewable_share": t["renewable_share"],
        }

    def slider(self, slider_id: str) -> Slider:
        """Return the catalogue entry of a slider."""
        return next(s for s in self.sliders if s.id == slider_id)


@lru_cache(maxsize=1)
def load_catalogue() -> tuple[Slider, ...]:
    """Read the bundled slider catalogue (once: it is package data)."""
    text = resources.files("ecocite.scenario").joinpath("catalogue.yaml").read_text("utf-8")
    return tuple(Slider(**row) for row in yaml.safe_load(text)["sliders"])


def bundled_site(name: str) -> Path:
    """Return the path of a site file shipped with EcoCité (``vegueta``)."""
    return Path(str(resources.files("ecocite.scenario").joinpath("sites", f"{name}.yaml")))


def _figure(raw: Any, file: str, where: str, errors: list[RowError]) -> Figure | None:
    if not isinstance(raw, Mapping) or "value" not in raw:
        errors.append(RowError.described(file, None, where, "missing", "{value, source, sourced}"))
        return None
    value = raw["value"]
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        errors.append(RowError.described(file, None, where, repr(value), "a number"))
        return None
    if not str(raw.get("source", "")).strip():
        errors.append(
            RowError.described(file, None, f"{where}.source", "empty", "where the value comes from")
        )
        return None
    return Figure(float(value), str(raw["source"]), bool(raw.get("sourced", False)))


def load_site(path: str | Path) -> Site:
    """Read and check a site file; every problem is reported at once, naming its field."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        problem = getattr(err, "strerror", None) or "unreadable"
        raise ScenarioError(
            [RowError.described(file, None, "(file)", problem, "a readable YAML file")]
        ) from err
    return parse_site(text, file=file, default_id=Path(path).stem)


def parse_site(text: str, *, file: str = "<site>", default_id: str = "site") -> Site:
    """Check a site given as YAML text (an upload, a stored definition)."""
    from ecocite.frameworks.loader import _expanded_size  # the framework reader's bomb check

    if len(text) > MAX_SITE_CHARS:
        raise ScenarioError(
            [
                RowError.described(
                    file, None, "(file)", f"{len(text):,} characters", f"at most {MAX_SITE_CHARS:,}"
                )
            ]
        )
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is not None and _expanded_size(root) > MAX_SITE_NODES:
            raise ScenarioError(
                [
                    RowError.described(
                        file,
                        None,
                        "(file)",
                        "aliases expand too far",
                        f"at most {MAX_SITE_NODES:,} values",
                    )
                ]
            )
        raw = yaml.safe_load(text)
    except RecursionError:
        raise ScenarioError(
            [RowError.described(file, None, "(file)", "nested too deeply", "a flat YAML mapping")]
        ) from None
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        raise ScenarioError(
            [
                RowError.described(
                    file, None if line is None else line + 1, "(file)", "not YAML", "a YAML mapping"
                )
            ]
        ) from err
    if not isinstance(raw, Mapping):
        raise ScenarioError(
            [RowError.described(file, None, "(file)", type(raw).__name__, "a YAML mapping")]
        )
    errors: list[RowError] = []
    area = _figure(raw.get("area_ha"), file, "area_ha", errors)
    if area is not None and area.value <= 0:
        errors.append(RowError.described(file, None, "area_ha", str(area.value), "a positive area"))
    today = {
        k: _figure((raw.get("today") or {}).get(k), file, f"today.{k}", errors) for k in TODAY_KEYS
    }
    constants = {
        k: _figure((raw.get("constants") or {}).get(k), file, f"constants.{k}", errors)
        for k in CONSTANT_KEYS
    }
    for key, fig in {**today, **constants}.items():
        if fig is not None and fig.value < 0:
            errors.append(RowError.described(file, None, key, str(fig.value), "a value ≥ 0"))
    population = today.get("population")
    if population is not None and population.value <= 0:
        errors.append(RowError.described(file, None, "today.population", "0", "residents > 0"))
    shares = [f for k in ("walk_share", "cycle_share", "transit_share") if (f := today.get(k))]
    if len(shares) == 3 and sum(f.value for f in shares) > 100:
        errors.append(
            RowError.described(
                file, None, "today.walk_share", "shares > 100 %", "walk + cycle + transit ≤ 100 %"
            )
        )
    facilities = []
    circles = raw.get("life_circles") or {}
    for i, row in enumerate(circles.get("facilities") or []):
        try:
            rows = {
                name: {int(k): float(v) for k, v in row[name].items()}
                for name in ("today", "added")
            }
        except (KeyError, TypeError, ValueError, AttributeError):
            errors.append(
                RowError.described(
                    file,
                    None,
                    f"life_circles.facilities[{i}]",
                    "malformed",
                    "id, name, today and added shares per level",
                )
            )
            continue
        bad = [v for part in rows.values() for v in part.values() if not 0 <= v <= 1]
        if bad or any(set(part) != set(LEVELS) for part in rows.values()):
            errors.append(
                RowError.described(
                    file,
                    None,
                    f"life_circles.facilities[{i}]",
                    "shares",
                    "a share 0–1 for each of 5, 10 and 15 minutes",
                )
            )
            continue
        facilities.append(
            Facility(str(row.get("id")), row.get("name") or {}, rows["today"], rows["added"])
        )
    if errors:
        raise ScenarioError(errors)
    return Site(
        id=str(raw.get("id", default_id)),
        city=str(raw.get("city", "")),
        name=raw.get("name") or {},
        area_ha=area,  # type: ignore[arg-type]
        today=today,  # type: ignore[arg-type]
        constants=constants,  # type: ignore[arg-type]
        facilities=tuple(facilities),
        life_circles_sourced=bool(circles.get("sourced", False)),
        life_circles_source=str(circles.get("source", "")),
        file=file,
        sliders=load_catalogue(),
    )
