"""Low-carbon pathways from a base-year inventory to 2060: BAU, levers, wedges, targets, Monte Carlo.

The model is a small, transparent decomposition (CURB/LEAP-style, not an energy-system optimiser):

* **BAU.** Each pathway segment (buildings, industry, road transport, other transport, waste) grows
  with population and GDP through an elasticity, less a yearly autonomous efficiency gain.
  Population follows a growth rate plus a *rebalancing inflow* (residents arriving from the coast,
  a share of the base population per year for a number of years). The grid factor stays at its
  base-year value in BAU.
* **Levers** move linearly from 0 (at ``ramp_start``) to their planned level (at ``ramp_end``);
  a lever at 0 leaves BAU unchanged. Electrification adds grid electricity, so it can *raise*
  emissions on a dirty grid: wedges can be negative.
* **Wedges** are computed by switching levers on one after the other in the order of
  ``levers.csv``; they add up exactly to BAU − scenario.
* **Monte Carlo** draws every driver in its [low, high] range and every lever's delivery as a
  multiplier of its plan (uniform, seeded), all vectorised over draws × years.

Driver and lever ranges are in ``data/drivers.csv`` and ``data/levers.csv``; they are illustrative
unless their source says otherwise, and every output says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

import ecocite
from ecocite.carbon import kernel
from ecocite.carbon.context import CityContext
from ecocite.carbon.inventory import Inventory
from ecocite.carbon.library import DATA, gpc_subsectors

SEGMENTS = ("buildings", "industry", "road_transport", "other_transport", "waste")
MWH_PER_TJ = 1e6 / 3600.0
PEAK_TARGET_YEAR = 2030  # peak "before 2030" read as: peak year no later than 2030
INTENSITY_TARGET = 0.65  # CO2/GDP at least 65 % below 2005 by 2030 (NDC 2021, carbon.md §4)
NEUTRALITY_YEAR = 2060
PERCENTILES = (5, 25, 50, 75, 95)


@lru_cache(maxsize=1)
def lever_table() -> pd.DataFrame:
    """Levers with range, plan value, delivery range, ramp years and source."""
    with (DATA / "levers.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh).set_index("lever", drop=False)


@lru_cache(maxsize=1)
def driver_table() -> pd.DataFrame:
    """BAU drivers and model constants with value, [low, high] range and source."""
    with (DATA / "drivers.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh).set_index("parameter", drop=False)


LEVERS: tuple[str, ...] = tuple(str(i) for i in lever_table().index)


def lever_info(name: str) -> dict[str, Any]:
    """One lever's row of ``levers.csv`` as a plain dict."""
    return {str(k): v for k, v in lever_table().loc[name].to_dict().items()}


@dataclass(frozen=True)
class PathwayBase:
    """Base-year quantities a pathway starts from (one city, BASIC level)."""

    city: str
    base_year: int
    population: float
    gdp_wan_cny: float
    fuel_co2e: dict[str, float]  # t CO2e from fuel combustion by segment
    fuel_co2: dict[str, float]
    fuel_tj: dict[str, float]
    electricity_mwh: dict[str, float]
    other_co2e: dict[str, float]  # heat, direct and waste emissions by segment
    other_co2: dict[str, float]
    grid_factor: float  # t CO2 / MWh, city average of the base year
    co2_2005_t: float | None = None
    gdp_2005_wan_cny: float | None = None
    illustrative: bool = False
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def total_co2e(self) -> float:
        """Return the total CO2e of the base year."""
        return float(
            sum(self.fuel_co2e.values())
            + sum(self.other_co2e.values())
            + sum(self.electricity_mwh.values()) * self.grid_factor
        )


def pathway_base(inventory: Inventory, context: CityContext) -> PathwayBase:
    """Aggregate a BASIC inventory of ``context.city`` / ``context.year`` into pathway segments."""
    rows = inventory.select("basic")
    rows = rows[(rows["city"] == context.city) & (rows["year"] == context.year)]
    if rows.empty:
        raise ValueError(f"the inventory has no BASIC rows for {context.city} {context.year}")
    segment = rows["gpc_ref"].map(gpc_subsectors()["pathway_segment"])
    fuel = rows["activity"] == "fuel"
    elec = rows["activity"] == "electricity"

    def by(mask: pd.Series, col: str) -> dict[str, float]:
        sums = rows[mask].groupby(segment[mask])[col].sum()
        return {s: float(sums.get(s, 0.0)) for s in SEGMENTS}

    mwh = float(rows.loc[elec, "electricity_mwh"].sum())
    grid = float(rows.loc[elec, "co2_t"].sum()) / mwh if mwh > 0 else 0.0
    other = ~fuel & ~elec
    return PathwayBase(
        city=context.city,
        base_year=context.year,
        population=context.population,
        gdp_wan_cny=context.gdp_wan_cny,
        fuel_co2e=by(fuel, "co2e_t"),
        fuel_co2=by(fuel, "co2_t"),
        fuel_tj=by(fuel, "energy_tj"),
        electricity_mwh=by(elec, "electricity_mwh"),
        other_co2e=by(other, "co2e_t"),
        other_co2=by(other, "co2_t"),
        grid_factor=grid,
        co2_2005_t=context.co2_2005_t,
        gdp_2005_wan_cny=context.gdp_2005_wan_cny,
        illustrative=inventory.illustrative or context.illustrative,
        provenance={"inventory": inventory.provenance, "context": context.as_dict()},
    )


def _column(values: Mapping[str, Any], name: str, n: int) -> np.ndarray:
    """Return a parameter as an (n, 1) column so it broadcasts against (years,)."""
    return np.broadcast_to(np.asarray(values[name], dtype=float).reshape(-1, 1), (n, 1))


def _ramp(years: np.ndarray, start: float, end: float) -> np.ndarray:
    return np.clip((years - start) / max(end - start, 1.0), 0.0, 1.0)


def simulate(
    base: PathwayBase,
    levers: Mapping[str, Any],
    drivers: Mapping[str, Any],
    *,
    end_year: int = NEUTRALITY_YEAR,
) -> dict[str, np.ndarray]:
    """Vectorised core: arrays of shape (draws, years) for population, GDP, CO2e, CO2.

    ``levers`` and ``drivers`` map names to scalars or 1-D arrays of equal length (the draws);
    levers missing from ``levers`` are off (0). Growth terms are summed in logs and exponentiated
    once per activity driver, which keeps the 10,000-draw run to a handful of passes over memory.
    """
    years = np.arange(base.base_year, end_year + 1, dtype=float)
    sizes = [np.size(v) for v in (*levers.values(), *drivers.values())]
    n = max(sizes, default=1)
    d = {k: _column(drivers, k, n) for k in drivers}
    lev = {k: _column(levers, k, n) if k in levers else np.zeros((n, 1)) for k in LEVERS}
    info = {k: lever_info(k) for k in LEVERS}
    ramp = {
        k: _ramp(years, float(info[k]["ramp_start"]), float(info[k]["ramp_end"])) for k in LEVERS
    }
    dt = years - base.base_year

    # Population: ordinary growth plus the rebalancing inflow (a share of the base per year).
    pop_idx = np.exp(dt * np.log1p(d["population_growth"]))
    pop_idx += d["rebalancing_inflow"] * np.minimum(dt, d["rebalancing_years"])
    log_pop = np.log(pop_idx)
    # GDP: piecewise growth rates, accumulated in logs.
    log_growth = np.zeros((n, years.size))
    for col, (lo, hi) in {
        "gdp_growth_2021_2025": (2021, 2025),
        "gdp_growth_2026_2030": (2026, 2030),
        "gdp_growth_2031_2040": (2031, 2040),
        "gdp_growth_2041_2050": (2041, 2050),
        "gdp_growth_2051_2060": (2051, 2100),
    }.items():
        mask = (years >= lo) & (years <= hi) & (years > base.base_year)
        log_growth[:, mask] = np.log1p(d[col])
    log_gdp = np.cumsum(log_growth, axis=1)
    log_gdppc = log_gdp - log_pop

    def grow(pop: float, elasticity: str, efficiency: str | None) -> np.ndarray:
        expo = d[elasticity] * (log_gdp if pop == 0 else log_gdppc)
        if pop:
            expo = expo + log_pop
        if efficiency:
            expo = expo + dt * np.log1p(-d[efficiency])
        return np.exp(expo)

    a_build = grow(1, "elasticity_buildings", "autonomous_efficiency_buildings")
    a_ind = grow(0, "elasticity_industry", "autonomous_efficiency_industry")
    a_trans = grow(1, "elasticity_transport", "autonomous_efficiency_transport")
    a_waste = grow(1, "elasticity_waste", None)

    # Buildings: the base stock shrinks by demolition; what is above it is new floor area.
    existing = np.minimum(np.exp(dt * np.log1p(-d["demolition_rate"])), a_build)
    new = np.maximum(a_build - existing, 0.0)
    started = np.maximum(years - float(info["building_retrofit_rate"]["ramp_start"]) + 1, 0.0)
    retrofitted = np.minimum(1.0, lev["building_retrofit_rate"] * started)
    d_build = a_build - d["retrofit_saving"] * retrofitted * existing
    d_build -= (
        (lev["green_building_share"] * d["green_building_saving"])
        * ramp["green_building_share"]
        * new
    )
    heat_switch = lev["heat_electrification"] * ramp["heat_electrification"]
    d_ind = a_ind * (1 - lev["industry_efficiency"] * ramp["industry_efficiency"])
    ind_switch = lev["industry_electrification"] * ramp["industry_electrification"]
    d_road = a_trans * (
        1 - (lev["modal_shift"] * (1 - d["modal_shift_residual"])) * ramp["modal_shift"]
    )
    ev_switch = lev["transport_electrification"] * ramp["transport_electrification"]
    waste_keep = 1 - lev["waste_diversion"] * ramp["waste_diversion"]

    f, fc, o, oc = base.fuel_co2e, base.fuel_co2, base.other_co2e, base.other_co2
    e, tj = base.electricity_mwh, base.fuel_tj
    energy_e = (
        d_build * (f["buildings"] * (1 - heat_switch) + o["buildings"])
        + d_ind * (f["industry"] * (1 - ind_switch) + o["industry"])
        + d_road * (f["road_transport"] * (1 - ev_switch) + o["road_transport"])
        + a_trans * (f["other_transport"] + o["other_transport"])
    )
    energy_c = (
        d_build * (fc["buildings"] * (1 - heat_switch) + oc["buildings"])
        + d_ind * (fc["industry"] * (1 - ind_switch) + oc["industry"])
        + d_road * (fc["road_transport"] * (1 - ev_switch) + oc["road_transport"])
        + a_trans * (fc["other_transport"] + oc["other_transport"])
    )
    elec_mwh = (
        d_build
        * (
            e["buildings"]
            + (tj["buildings"] * MWH_PER_TJ * d["heat_pump_electricity_per_fuel"]) * heat_switch
        )
        + d_ind
        * (
            e["industry"]
            + (tj["industry"] * MWH_PER_TJ * d["industry_electricity_per_fuel"]) * ind_switch
        )
        + d_road
        * (
            e["road_transport"]
            + (tj["road_transport"] * MWH_PER_TJ * d["ev_electricity_per_fuel"]) * ev_switch
        )
        + a_trans * e["other_transport"]
        + a_waste * e["waste"]
    )
    purchased_share = 1 - lev["renewable_generation"] * ramp["renewable_generation"]
    grid = base.grid_factor * (1 - lev["grid_decarbonisation"] * ramp["grid_decarbonisation"])
    elec_co2 = elec_mwh * (purchased_share * grid)
    # Waste lever acts on the waste segment only; FOD lag is not modelled here (see docs).
    waste = a_waste * waste_keep
    energy_c += elec_co2
    return {
        "years": years,
        "population": base.population * pop_idx,
        "gdp_wan_cny": base.gdp_wan_cny * np.exp(log_gdp),
        "co2e_t": energy_e + elec_co2 + waste * (f["waste"] + o["waste"]),
        "co2_t": energy_c + waste * (fc["waste"] + oc["waste"]),
        "energy_co2_t": energy_c,
        "electricity_mwh": elec_mwh,
    }


def default_drivers(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """Central driver values from ``drivers.csv``, with ``overrides`` applied."""
    table = driver_table()
    out = {str(k): float(v) for k, v in table["value"].items()}
    for key, value in (overrides or {}).items():
        if key not in out:
            raise KeyError(f"unknown driver {key!r}; expected one of {sorted(out)}")
        out[key] = float(value)
    return out


def plan_levers(
    overrides: Mapping[str, float] | None = None, *, bau: bool = False
) -> dict[str, float]:
    """Planned lever levels (``plan`` column), or all zero with ``bau=True``; checked against ranges."""
    out = {k: 0.0 if bau else float(lever_info(k)["plan"]) for k in LEVERS}
    for key, value in (overrides or {}).items():
        if key not in out:
            raise KeyError(f"unknown lever {key!r}; expected one of {list(LEVERS)}")
        info = lever_info(key)
        lo, hi = float(info["min"]), float(info["max"])
        if not lo <= float(value) <= hi:
            raise ValueError(f"lever {key}={value} outside its range [{lo}, {hi}] ({info['unit']})")
        out[key] = float(value)
    return out


@dataclass
class Pathway:
    """A deterministic pathway: yearly table, wedges, peak year and distance to targets."""

    city: str
    yearly: pd.DataFrame
    wedges: pd.DataFrame
    targets: dict[str, Any]
    levers: dict[str, float]
    drivers: dict[str, float]
    illustrative: bool
    provenance: dict[str, Any]


def _targets(
    base: PathwayBase, years: np.ndarray, co2e: np.ndarray, energy_co2: np.ndarray, gdp: np.ndarray
) -> dict[str, np.ndarray]:
    """Per draw: peak year, CO2/GDP reduction in 2030 vs 2005, residual CO2e in 2060."""
    peak = years[np.argmax(energy_co2, axis=1)]
    out: dict[str, np.ndarray] = {"peak_year": peak, "peak_by_2030": peak <= PEAK_TARGET_YEAR}
    last = co2e[:, -1]
    out["residual_2060_t"] = (
        last if years[-1] == NEUTRALITY_YEAR else np.full(co2e.shape[0], np.nan)
    )
    out["residual_2060_share_of_base"] = out["residual_2060_t"] / co2e[:, 0]
    if base.co2_2005_t and base.gdp_2005_wan_cny and PEAK_TARGET_YEAR in years:
        i = int(np.searchsorted(years, PEAK_TARGET_YEAR))
        ref = base.co2_2005_t / base.gdp_2005_wan_cny
        out["intensity_reduction_2030"] = 1.0 - (energy_co2[:, i] / gdp[:, i]) / ref
        out["intensity_target_met"] = out["intensity_reduction_2030"] >= INTENSITY_TARGET
    return out


def run_pathway(
    base: PathwayBase,
    *,
    levers: Mapping[str, float] | None = None,
    drivers: Mapping[str, float] | None = None,
    end_year: int = NEUTRALITY_YEAR,
) -> Pathway:
    """BAU and the planned scenario year by year, wedges per lever and distance to targets.

    Parameters
    ----------
    levers:
        Lever levels overriding the ``plan`` column of ``levers.csv`` (units in that file).
    drivers:
        Driver values overriding the ``value`` column of ``drivers.csv``.
    """
    lv = plan_levers(levers)
    dv = default_drivers(drivers)
    bau = simulate(base, {}, dv, end_year=end_year)
    scen = simulate(base, lv, dv, end_year=end_year)
    years = bau["years"].astype(int)
    yearly = pd.DataFrame(
        {
            "city": base.city,
            "year": years,
            "population": bau["population"][0],
            "gdp_wan_cny": bau["gdp_wan_cny"][0],
            "bau_co2e_t": bau["co2e_t"][0],
            "scenario_co2e_t": scen["co2e_t"][0],
            "bau_energy_co2_t": bau["energy_co2_t"][0],
            "scenario_energy_co2_t": scen["energy_co2_t"][0],
            "scenario_electricity_mwh": scen["electricity_mwh"][0],
        }
    )
    yearly["scenario_co2_per_gdp"] = yearly["scenario_energy_co2_t"] / yearly["gdp_wan_cny"]
    yearly["illustrative"] = True  # drivers and levers are illustrative unless the user sets them
    previous = bau["co2e_t"][0]
    wedges = {"year": years}
    on: dict[str, float] = {}
    for name in LEVERS:
        on[name] = lv[name]
        now = simulate(base, on, dv, end_year=end_year)["co2e_t"][0]
        wedges[name] = previous - now
        previous = now
    targets: dict[str, Any] = {}
    for label, run in (("bau", bau), ("scenario", scen)):
        t = _targets(base, bau["years"], run["co2e_t"], run["energy_co2_t"], run["gdp_wan_cny"])
        targets[label] = {
            k: (v[0].item() if isinstance(v[0], np.generic) else v[0]) for k, v in t.items()
        }
        if "intensity_reduction_2030" in t:
            targets[label]["intensity_gap_2030_pp"] = max(
                0.0, (INTENSITY_TARGET - float(t["intensity_reduction_2030"][0])) * 100
            )
    targets["definitions"] = {
        "peak_by_2030": "peak year of energy-related CO2 no later than 2030 (China: peak before 2030, carbon.md §4)",
        "intensity_target_met": "energy CO2 per GDP in 2030 at least 65 % below 2005 (NDC 2021, carbon.md §4)",
        "residual_2060_t": "BASIC CO2e left in 2060 before sinks/offsets (neutrality before 2060, carbon.md §4)",
    }
    prov = {
        "engine": "ecocite.carbon.pathways",
        "version": ecocite.__version__,
        "base": base.provenance,
        "levers": lv,
        "drivers": dv,
        "illustrative_parameters": "levers.csv and drivers.csv ranges are illustrative unless sourced",
    }
    return Pathway(base.city, yearly, pd.DataFrame(wedges), targets, lv, dv, True, prov)


def fused_run(
    base: PathwayBase,
    levers: Mapping[str, Any],
    drivers: Mapping[str, Any],
    *,
    end_year: int = NEUTRALITY_YEAR,
    compiled: bool = True,
) -> dict[str, np.ndarray]:
    """:func:`simulate` through the fused numba kernel (CO2e, energy CO2 and GDP only)."""
    years = np.arange(base.base_year, end_year + 1, dtype=float)
    info = {k: lever_info(k) for k in kernel.LEVER_ORDER}
    ramps = np.stack(
        [
            _ramp(years, float(info[k]["ramp_start"]), float(info[k]["ramp_end"]))
            for k in kernel.LEVER_ORDER
        ]
    )
    return kernel.run(
        base,
        levers,
        drivers,
        years=years,
        ramps=ramps,
        retrofit_start=float(info["building_retrofit_rate"]["ramp_start"]),
        mwh_per_tj=MWH_PER_TJ,
        compiled=compiled,
    )


@dataclass
class MonteCarlo:
    """Percentile fan of scenario CO2e and probabilities of meeting each target."""

    city: str
    fan: pd.DataFrame  # year × percentile of scenario CO2e (t)
    probabilities: dict[str, float]
    draws: int
    seed: int
    provenance: dict[str, Any]


def draw_parameters(
    draws: int,
    *,
    seed: int = 0,
    levers: Mapping[str, float] | None = None,
    drivers: Mapping[str, float] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Uniform draws of drivers in [low, high] and lever delivery in [delivery_low, delivery_high] × plan.

    A driver fixed in ``drivers`` is not drawn (its value is used for every draw).
    """
    rng = np.random.default_rng(seed)
    dt = driver_table()
    fixed = dict(drivers or {})
    dv: dict[str, np.ndarray] = {}
    for rec in dt.to_dict("records"):
        key, row = str(rec["parameter"]), rec
        if key in fixed:
            dv[key] = np.full(draws, float(fixed[key]))
        else:
            dv[key] = rng.uniform(float(row["low"]), float(row["high"]), draws)
    plan = plan_levers(levers)
    lv: dict[str, np.ndarray] = {}
    for name in LEVERS:
        info = lever_info(name)
        mult = rng.uniform(float(info["delivery_low"]), float(info["delivery_high"]), draws)
        lv[name] = np.clip(plan[name] * mult, float(info["min"]), float(info["max"]))
    return lv, dv


def monte_carlo(
    base: PathwayBase,
    *,
    draws: int = 10_000,
    seed: int = 0,
    levers: Mapping[str, float] | None = None,
    drivers: Mapping[str, float] | None = None,
    end_year: int = NEUTRALITY_YEAR,
    percentiles: tuple[int, ...] = PERCENTILES,
) -> MonteCarlo:
    """Monte Carlo over driver and lever-delivery ranges; seeded, vectorised over draws × years."""
    lv, dv = draw_parameters(draws, seed=seed, levers=levers, drivers=drivers)
    run = (
        fused_run(base, lv, dv, end_year=end_year)
        if kernel.available()
        else simulate(base, lv, dv, end_year=end_year)
    )
    years = run["years"].astype(int)
    q = np.percentile(run["co2e_t"], percentiles, axis=0)
    fan = pd.DataFrame({"year": years, **{f"p{p}": q[i] for i, p in enumerate(percentiles)}})
    fan.insert(0, "city", base.city)
    t = _targets(base, run["years"], run["co2e_t"], run["energy_co2_t"], run["gdp_wan_cny"])
    probs = {"peak_by_2030": float(np.mean(t["peak_by_2030"]))}
    if "intensity_target_met" in t:
        probs["intensity_target_met"] = float(np.mean(t["intensity_target_met"]))
    probs["residual_2060_share_median"] = float(np.nanmedian(t["residual_2060_share_of_base"]))
    prov = {
        "engine": "ecocite.carbon.pathways.monte_carlo",
        "version": ecocite.__version__,
        "draws": draws,
        "seed": seed,
        "sampling": "independent uniform draws of drivers in [low, high] and of lever delivery multipliers",
        "illustrative_parameters": True,
    }
    return MonteCarlo(base.city, fan, probs, draws, seed, prov)
