"""Fused Monte Carlo kernel of the carbon pathway, compiled with numba.

The pathway model of :func:`ecocite.carbon.pathways.simulate`, one draw and one year at a time.

The numpy version makes about a hundred passes over (draws × years) arrays; this one makes a single
pass with no temporaries, which is what lets 300 cities × 10,000 draws run in seconds. The formulas
are the same line for line (the tests compare both on random draws); ``simulate`` stays the
readable reference. Without numba, :func:`available` is False and callers use ``simulate``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

try:  # numba is an optional speed-up (the ``carbon`` extra installs it)
    from numba import njit
except ImportError:  # pragma: no cover - exercised only without the extra
    njit = None  # type: ignore[assignment]

DRIVER_ORDER = (
    "population_growth", "rebalancing_inflow", "rebalancing_years",
    "gdp_growth_2021_2025", "gdp_growth_2026_2030", "gdp_growth_2031_2040",
    "gdp_growth_2041_2050", "gdp_growth_2051_2060",
    "elasticity_buildings", "elasticity_industry", "elasticity_transport", "elasticity_waste",
    "autonomous_efficiency_buildings", "autonomous_efficiency_industry",
    "autonomous_efficiency_transport", "demolition_rate", "retrofit_saving",
    "green_building_saving", "heat_pump_electricity_per_fuel", "ev_electricity_per_fuel",
    "modal_shift_residual", "industry_electricity_per_fuel",
)  # fmt: skip
LEVER_ORDER = (
    "grid_decarbonisation", "building_retrofit_rate", "green_building_share",
    "heat_electrification", "transport_electrification", "modal_shift",
    "industry_efficiency", "industry_electrification", "waste_diversion", "renewable_generation",
)  # fmt: skip
# base coefficients, in this order
BASE_ORDER = (
    "f_b", "o_b", "fc_b", "oc_b", "e_b", "tj_b",
    "f_i", "o_i", "fc_i", "oc_i", "e_i", "tj_i",
    "f_r", "o_r", "fc_r", "oc_r", "e_r", "tj_r",
    "f_o", "o_o", "fc_o", "oc_o", "e_o",
    "f_w", "o_w", "fc_w", "oc_w", "e_w",
    "grid", "mwh_per_tj",
)  # fmt: skip

# Column indices as module constants (numba reads them as compile-time constants).
_D = {name: i for i, name in enumerate(DRIVER_ORDER)}
_L = {name: i for i, name in enumerate(LEVER_ORDER)}
_B = {name: i for i, name in enumerate(BASE_ORDER)}
POP_G, REB_IN, REB_YRS, GDP0 = (
    _D["population_growth"],
    _D["rebalancing_inflow"],
    _D["rebalancing_years"],
    _D["gdp_growth_2021_2025"],
)
EL_B, EL_I, EL_T, EL_W = (
    _D[f"elasticity_{s}"] for s in ("buildings", "industry", "transport", "waste")
)
EF_B, EF_I, EF_T = (
    _D[f"autonomous_efficiency_{s}"] for s in ("buildings", "industry", "transport")
)
DEMOL, RETRO_SAVE, GREEN_SAVE = (
    _D["demolition_rate"],
    _D["retrofit_saving"],
    _D["green_building_saving"],
)
HP, EVR, MS_RES, IND_E = (
    _D["heat_pump_electricity_per_fuel"], _D["ev_electricity_per_fuel"], _D["modal_shift_residual"],
    _D["industry_electricity_per_fuel"],
)  # fmt: skip
L_GRID, L_RETRO, L_GREEN, L_HEAT = (
    _L[k]
    for k in (
        "grid_decarbonisation",
        "building_retrofit_rate",
        "green_building_share",
        "heat_electrification",
    )
)
L_EV, L_MODAL, L_IEFF, L_IELEC = (
    _L[k]
    for k in (
        "transport_electrification",
        "modal_shift",
        "industry_efficiency",
        "industry_electrification",
    )
)
L_WASTE, L_REN = _L["waste_diversion"], _L["renewable_generation"]
F_B, O_B, FC_B, OC_B, E_B, TJ_B = (_B[k] for k in ("f_b", "o_b", "fc_b", "oc_b", "e_b", "tj_b"))
F_I, O_I, FC_I, OC_I, E_I, TJ_I = (_B[k] for k in ("f_i", "o_i", "fc_i", "oc_i", "e_i", "tj_i"))
F_R, O_R, FC_R, OC_R, E_R, TJ_R = (_B[k] for k in ("f_r", "o_r", "fc_r", "oc_r", "e_r", "tj_r"))
F_O, O_O, FC_O, OC_O, E_O = (_B[k] for k in ("f_o", "o_o", "fc_o", "oc_o", "e_o"))
F_W, O_W, E_W, GRID, MWH = _B["f_w"], _B["o_w"], _B["e_w"], _B["grid"], _B["mwh_per_tj"]


def _kernel(
    p: np.ndarray, lv: np.ndarray, ramps: np.ndarray, years: np.ndarray, period: np.ndarray,
    b: np.ndarray, y0: float, retrofit_start: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    n, t = p.shape[0], years.shape[0]
    co2e = np.empty((n, t))
    energy = np.empty((n, t))
    gdp = np.empty((n, t))
    for i in range(n):
        log_growth = np.empty(5)
        for k in range(5):
            log_growth[k] = math.log1p(p[i, GDP0 + k])
        # Yearly factors are carried forward by multiplication: one log and four exps per cell; the
        # numpy reference raises to powers instead, so the two agree to rounding, not bit for bit.
        grow_pop = 1.0
        keep_b = keep_i = keep_t = standing = gdp_idx = 1.0
        log_gdp = 0.0
        for j in range(t):
            dt = years[j] - y0
            if j > 0:
                grow_pop *= 1.0 + p[i, POP_G]
                keep_b *= 1.0 - p[i, EF_B]
                keep_i *= 1.0 - p[i, EF_I]
                keep_t *= 1.0 - p[i, EF_T]
                standing *= 1.0 - p[i, DEMOL]
            pop = grow_pop + p[i, REB_IN] * min(dt, p[i, REB_YRS])
            lp = math.log(pop)
            if period[j] >= 0:
                log_gdp += log_growth[period[j]]
                gdp_idx *= 1.0 + p[i, GDP0 + period[j]]
            lgpc = log_gdp - lp
            a_build = pop * math.exp(p[i, EL_B] * lgpc) * keep_b
            a_ind = math.exp(p[i, EL_I] * log_gdp) * keep_i
            a_trans = pop * math.exp(p[i, EL_T] * lgpc) * keep_t
            a_waste = pop * math.exp(p[i, EL_W] * lgpc)
            existing = min(standing, a_build)
            new = max(a_build - existing, 0.0)
            retrofitted = min(1.0, lv[i, L_RETRO] * max(years[j] - retrofit_start + 1.0, 0.0))
            d_build = a_build - p[i, RETRO_SAVE] * retrofitted * existing
            d_build -= (lv[i, L_GREEN] * p[i, GREEN_SAVE]) * ramps[L_GREEN, j] * new
            heat = lv[i, L_HEAT] * ramps[L_HEAT, j]
            d_ind = a_ind * (1.0 - lv[i, L_IEFF] * ramps[L_IEFF, j])
            ind = lv[i, L_IELEC] * ramps[L_IELEC, j]
            d_road = a_trans * (1.0 - (lv[i, L_MODAL] * (1.0 - p[i, MS_RES])) * ramps[L_MODAL, j])
            ev = lv[i, L_EV] * ramps[L_EV, j]
            waste_keep = 1.0 - lv[i, L_WASTE] * ramps[L_WASTE, j]
            e_e = (
                d_build * (b[F_B] * (1.0 - heat) + b[O_B])
                + d_ind * (b[F_I] * (1.0 - ind) + b[O_I])
                + d_road * (b[F_R] * (1.0 - ev) + b[O_R])
                + a_trans * (b[F_O] + b[O_O])
            )
            e_c = (
                d_build * (b[FC_B] * (1.0 - heat) + b[OC_B])
                + d_ind * (b[FC_I] * (1.0 - ind) + b[OC_I])
                + d_road * (b[FC_R] * (1.0 - ev) + b[OC_R])
                + a_trans * (b[FC_O] + b[OC_O])
            )
            mwh = (
                d_build * (b[E_B] + (b[TJ_B] * b[MWH] * p[i, HP]) * heat)
                + d_ind * (b[E_I] + (b[TJ_I] * b[MWH] * p[i, IND_E]) * ind)
                + d_road * (b[E_R] + (b[TJ_R] * b[MWH] * p[i, EVR]) * ev)
                + a_trans * b[E_O]
                + a_waste * b[E_W]
            )
            purchased = 1.0 - lv[i, L_REN] * ramps[L_REN, j]
            grid = b[GRID] * (1.0 - lv[i, L_GRID] * ramps[L_GRID, j])
            elec = mwh * (purchased * grid)
            waste = a_waste * waste_keep
            co2e[i, j] = e_e + elec + waste * (b[F_W] + b[O_W])
            energy[i, j] = e_c + elec
            gdp[i, j] = gdp_idx
    return co2e, energy, gdp


_compiled: Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray]] | None = (
    njit(cache=True, fastmath=False)(_kernel) if njit is not None else None
)


def available() -> bool:
    """Tell whether the numba-compiled kernel is available."""
    return _compiled is not None


def run(
    base: Any,
    levers: Mapping[str, np.ndarray],
    drivers: Mapping[str, np.ndarray],
    *,
    years: np.ndarray,
    ramps: np.ndarray,
    retrofit_start: float,
    mwh_per_tj: float,
    compiled: bool = True,
) -> dict[str, np.ndarray]:
    """Simulate the pathway draws year by year.

    Arrays (draws, years) of scenario CO2e, energy CO2 and GDP; ``compiled=False`` runs the same
    loop in plain Python (for tests on a few draws).
    """
    n = max(np.size(v) for v in (*levers.values(), *drivers.values()))
    p = np.column_stack(
        [np.broadcast_to(np.asarray(drivers[k], dtype=float), (n,)) for k in DRIVER_ORDER]
    )
    lv = np.column_stack(
        [np.broadcast_to(np.asarray(levers.get(k, 0.0), dtype=float), (n,)) for k in LEVER_ORDER]
    )
    segs = ("buildings", "industry", "road_transport", "other_transport", "waste")
    b_list: list[float] = []
    for s in segs:
        b_list += [
            base.fuel_co2e[s],
            base.other_co2e[s],
            base.fuel_co2[s],
            base.other_co2[s],
            base.electricity_mwh[s],
        ]
        if s in ("buildings", "industry", "road_transport"):
            b_list.append(base.fuel_tj[s])
    b_list += [base.grid_factor, mwh_per_tj]
    b = np.asarray(b_list, dtype=float)
    bounds = ((2021, 2025), (2026, 2030), (2031, 2040), (2041, 2050), (2051, 2100))
    period = np.full(years.size, -1, dtype=np.int64)
    for k, (lo, hi) in enumerate(bounds):
        period[(years >= lo) & (years <= hi) & (years > base.base_year)] = k
    fn = _compiled if (compiled and _compiled is not None) else _kernel
    co2e, energy, gdp = fn(
        np.ascontiguousarray(p), np.ascontiguousarray(lv), np.ascontiguousarray(ramps),
        years.astype(float), period, b, float(base.base_year), float(retrofit_start),
    )  # fmt: skip
    return {
        "years": years,
        "co2e_t": co2e,
        "energy_co2_t": energy,
        "gdp_wan_cny": base.gdp_wan_cny * gdp,
    }
