"""Evaluate a vision for a site: sliders in, eco-city indicators, CO₂ and trade-offs out.

The model is deliberately simple and explicit (each formula below is the whole story):

- population = density (person/ha) × area (ha);
- green space per person = green share × site area / population;
- floor area = FAR × site area; the floor area kept from today is ``heritage_kept`` × the
  smaller of today's and the new floor area, at today's energy intensity; the rest is new, at
  the slider's energy standard;
- buildings' CO₂ = energy × (electric share × grid factor × (1 − renewable share)
  + (1 − electric share) × gas factor);
- transport CO₂ = population × trips/day × 365 × km/trip × Σ mode share × kg CO₂/pkm
  (walking and cycling emit nothing; the car takes what walking, cycling and public transport
  leave; if those three exceed 100 % they are scaled down to 100 % and the car share is 0);
- life circles: for each facility the organiser offers, the share of residents within 5, 10
  and 15 minutes today, or once added (precomputed for the site).

At today's slider positions (``Site.defaults``) the results equal today's observed values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ecocite.data.contract import RowError
from ecocite.scenario.site import LEVELS, ScenarioError, Site

DAYS_PER_YEAR = 365

# indicator → (unit, framework indicator id or "", better direction)
INDICATORS: dict[str, tuple[str, str, str]] = {
    "population": ("person", "", ""),
    "density": ("person/ha", "", ""),
    "floor_area_ratio": ("1", "floor_area_ratio", ""),
    "green_space_per_capita": ("m**2/person", "public_green_space_per_capita", "higher"),
    "co2_buildings_per_capita": ("t/person", "", "lower"),
    "co2_transport_per_capita": ("t/person", "", "lower"),
    "co2_per_capita": ("t/person", "co2_per_capita", "lower"),
    "heritage_floor_kept": ("%", "", "higher"),
}


@dataclass(frozen=True)
class Outcome:
    """One indicator of the scenario, today's value, and whether it rests on illustrative figures."""

    indicator: str
    unit: str
    value: float
    today: float
    illustrative: bool
    framework_indicator: str = ""
    points: float | None = None
    max_points: float | None = None
    today_points: float | None = None

    @property
    def worse(self) -> bool:
        """Tell whether the scenario makes this indicator worse than today."""
        direction = INDICATORS.get(self.indicator, ("", "", ""))[2]
        if direction == "higher":
            return self.value < self.today - 1e-9
        if direction == "lower":
            return self.value > self.today + 1e-9
        return False


@dataclass(frozen=True)
class ScenarioResult:
    """What a vision does to a site: indicators, life circles, points and trade-offs."""

    site: str
    settings: Mapping[str, float]
    outcomes: tuple[Outcome, ...]
    life_circles: Mapping[str, Mapping[int, float]] = field(default_factory=dict)
    life_circles_today: Mapping[str, Mapping[int, float]] = field(default_factory=dict)
    life_circles_illustrative: bool = True

    def value(self, indicator: str) -> float:
        """Return one indicator's value."""
        return next(o.value for o in self.outcomes if o.indicator == indicator)

    @property
    def trade_offs(self) -> list[str]:
        """Name the indicators the scenario makes worse than today."""
        return [o.indicator for o in self.outcomes if o.worse]

    @property
    def illustrative(self) -> bool:
        """Tell whether any figure rests on illustrative values."""
        return any(o.illustrative for o in self.outcomes) or self.life_circles_illustrative


def check_settings(site: Site, settings: Mapping[str, float]) -> dict[str, float]:
    """Complete ``settings`` with today's positions and check each against its slider's range."""
    full = site.defaults()
    errors = []
    for key, value in settings.items():
        if key not in full:
            known = ", ".join(sorted(full))
            errors.append(RowError.described("(sliders)", None, key, "unknown slider", known))
            continue
        slider = site.slider(key)
        if not isinstance(value, int | float) or value != value:
            errors.append(RowError.described("(sliders)", None, key, repr(value), "a number"))
        elif not slider.min <= float(value) <= slider.max:
            errors.append(
                RowError.described(
                    "(sliders)",
                    None,
                    key,
                    str(value),
                    f"{slider.min} to {slider.max} {slider.unit}",
                )
            )
        else:
            full[key] = float(value)
    if errors:
        raise ScenarioError(errors)
    return full


def _mode_shares(s: Mapping[str, float]) -> dict[str, float]:
    walk, cycle, transit = s["walk_share"], s["cycle_share"], s["transit_share"]
    active = walk + cycle + transit
    if active > 100:
        scale = 100 / active
        walk, cycle, transit = walk * scale, cycle * scale, transit * scale
    return {
        "walk": walk,
        "cycle": cycle,
        "transit": transit,
        "car": max(0.0, 100 - walk - cycle - transit),
    }


def _indicators(site: Site, s: Mapping[str, float]) -> dict[str, float]:
    c = {k: f.value for k, f in site.constants.items()}
    today_floor = site.today["floor_area_m2"].value
    population = s["density"] * site.area_ha.value
    floor = s["far"] * site.site_m2
    kept = s["heritage_kept"] / 100 * min(today_floor, floor)
    energy_kwh = kept * c["existing_intensity_kwh_m2"] + (floor - kept) * s["energy_standard"]
    kg_per_kwh = (
        c["electric_share"] * c["grid_kg_per_kwh"] * (1 - s["renewable_share"] / 100)
        + (1 - c["electric_share"]) * c["gas_kg_per_kwh"]
    )
    buildings_t = energy_kwh * kg_per_kwh / 1000
    modes = _mode_shares(s)
    kg_per_pkm = (
        modes["car"] * c["car_kg_per_pkm"] + modes["transit"] * c["transit_kg_per_pkm"]
    ) / 100
    transport_t = (
        population
        * c["trips_per_person_day"]
        * DAYS_PER_YEAR
        * c["km_per_trip"]
        * kg_per_pkm
        / 1000
    )
    return {
        "population": population,
        "density": s["density"],
        "floor_area_ratio": s["far"],
        "green_space_per_capita": s["green_share"] / 100 * site.site_m2 / population,
        "co2_buildings_per_capita": buildings_t / population,
        "co2_transport_per_capita": transport_t / population,
        "co2_per_capita": (buildings_t + transport_t) / population,
        "heritage_floor_kept": 100 * kept / today_floor if today_floor else 100.0,
    }


# Which site figures each indicator (today's value or the scenario's) rests on: an illustrative
# one makes the result illustrative.
_BUILDINGS = (
    "area_ha",
    "population",
    "floor_area_m2",
    "existing_intensity_kwh_m2",
    "electric_share",
    "grid_kg_per_kwh",
    "gas_kg_per_kwh",
    "renewable_share",
)
_TRANSPORT = (
    "trips_per_person_day",
    "km_per_trip",
    "car_kg_per_pkm",
    "transit_kg_per_pkm",
    "walk_share",
    "cycle_share",
    "transit_share",
)
RESTS_ON: dict[str, tuple[str, ...]] = {
    "population": ("area_ha", "population"),
    "density": ("population",),
    "floor_area_ratio": ("floor_area_m2",),
    "green_space_per_capita": ("area_ha", "population", "green_area_m2"),
    "co2_buildings_per_capita": _BUILDINGS,
    "co2_transport_per_capita": _TRANSPORT,
    "co2_per_capita": _BUILDINGS + _TRANSPORT,
    "heritage_floor_kept": ("floor_area_m2",),
}  # fmt: skip


def _illustrative(site: Site, indicator: str) -> bool:
    figures = {"area_ha": site.area_ha, **site.today, **site.constants}
    return any(not figures[name].sourced for name in RESTS_ON[indicator])


def _points(
    framework: object | None, stage: str, values: Mapping[str, float]
) -> dict[str, tuple[float, float]]:
    """Points and maximum points of the scenario's framework indicators (none without a framework)."""
    if framework is None:
        return {}
    from ecocite.assessment.compiled import compile_stage, indicator_points

    cs = compile_stage(framework, stage)  # type: ignore[arg-type]
    row = np.full((1, len(cs.ids)), np.nan)
    wanted = {fid: ind for ind, (_u, fid, _d) in INDICATORS.items() if fid and fid in cs.ids}
    for fid, ind in wanted.items():
        row[0, cs.index(fid)] = values[ind]
    points = indicator_points(cs, row)[0]
    scoring = cs.scored | cs.bonus
    return {
        fid: (float(points[cs.index(fid)]), float(cs.max_points[cs.index(fid)]))
        for fid in wanted
        if scoring[cs.index(fid)]
    }


def evaluate(
    site: Site,
    settings: Mapping[str, float] | None = None,
    *,
    facilities: tuple[str, ...] = (),
    framework: object | None = None,
    stage: str = "planning_design",
) -> ScenarioResult:
    """Evaluate a vision for ``site``.

    Parameters
    ----------
    site : Site
        The site (``load_site``).
    settings : mapping of str to float, optional
        Slider id → value; sliders left out stay at today's position. Values outside a slider's
        range are refused (:class:`ScenarioError` naming the slider).
    facilities : tuple of str
        Ids of the facilities the vision adds (among the site's ``life_circles``).
    framework : Framework, optional
        A reference framework whose indicators give points (``public_green_space_per_capita``,
        ``co2_per_capita`` …); none: no points.
    stage : str
        The framework stage.

    Returns
    -------
    ScenarioResult
    """
    chosen = check_settings(site, settings or {})
    unknown = sorted(set(facilities) - {f.id for f in site.facilities})
    if unknown:
        known = ", ".join(f.id for f in site.facilities) or "none"
        raise ScenarioError(
            [RowError.described(site.file, None, "facilities", ", ".join(unknown), known)]
        )
    now = _indicators(site, site.defaults())
    then = _indicators(site, chosen)
    points = _points(framework, stage, then)
    points_now = _points(framework, stage, now)
    outcomes = []
    for name, (unit, fid, _direction) in INDICATORS.items():
        earned = points.get(fid)
        outcomes.append(
            Outcome(
                indicator=name,
                unit=unit,
                value=then[name],
                today=now[name],
                illustrative=_illustrative(site, name),
                framework_indicator=fid,
                points=None if earned is None else earned[0],
                max_points=None if earned is None else earned[1],
                today_points=points_now[fid][0] if fid in points_now else None,
            )
        )
    circles = {f.id: dict(f.added if f.id in facilities else f.today) for f in site.facilities}
    return ScenarioResult(
        site=site.id,
        settings=chosen,
        outcomes=tuple(outcomes),
        life_circles=circles,
        life_circles_today={f.id: dict(f.today) for f in site.facilities},
        life_circles_illustrative=not site.life_circles_sourced,
    )


__all__ = ["LEVELS", "Outcome", "ScenarioResult", "evaluate"]
