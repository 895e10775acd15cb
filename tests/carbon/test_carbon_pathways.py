"""Pathways: a lever at zero is BAU, wedges add up, targets, seeded Monte Carlo, rebalancing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecocite.carbon import CityContext, compute_inventory, monte_carlo, pathway_base, run_pathway
from ecocite.carbon.demo import demo_contexts, demo_inventory
from ecocite.carbon.pathways import (
    LEVERS,
    default_drivers,
    lever_info,
    plan_levers,
    simulate,
)


@pytest.fixture(scope="module")
def jingzhou():  # type: ignore[no-untyped-def]
    return pathway_base(demo_inventory(), demo_contexts()["jingzhou"])


def _bau(base, drivers=None):  # type: ignore[no-untyped-def]
    return simulate(base, {}, default_drivers(drivers))["co2e_t"][0]


def test_base_segments_add_up_to_the_inventory_total(jingzhou) -> None:  # type: ignore[no-untyped-def]
    total = demo_inventory().totals("basic").set_index("city").loc["jingzhou", "co2e_t"]
    assert jingzhou.total_co2e == pytest.approx(total, rel=1e-9)
    assert _bau(jingzhou)[0] == pytest.approx(total, rel=1e-9)  # the base year is the inventory


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(LEVERS), st.floats(0, 1))
def test_a_lever_at_zero_equals_bau(lever: str, other: float) -> None:
    base = pathway_base(demo_inventory(), demo_contexts()["jilin"])
    plan = plan_levers()
    levers = {k: v * other for k, v in plan.items()}
    levers[lever] = 0.0
    without = {k: v for k, v in levers.items() if k != lever}
    dv = default_drivers()
    np.testing.assert_allclose(
        simulate(base, levers, dv)["co2e_t"], simulate(base, without, dv)["co2e_t"]
    )
    zero = dict.fromkeys(LEVERS, 0.0)
    np.testing.assert_allclose(simulate(base, zero, dv)["co2e_t"][0], _bau(base))


def test_wedges_add_up_to_bau_minus_scenario(jingzhou) -> None:  # type: ignore[no-untyped-def]
    p = run_pathway(jingzhou)
    wedge_sum = p.wedges[list(LEVERS)].sum(axis=1).to_numpy()
    gap = (p.yearly["bau_co2e_t"] - p.yearly["scenario_co2e_t"]).to_numpy()
    np.testing.assert_allclose(wedge_sum, gap, rtol=1e-9, atol=1e-6)
    assert (p.wedges.loc[p.wedges["year"] == 2020, list(LEVERS)] == 0).all().all()


@settings(max_examples=30, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1))
def test_more_grid_decarbonisation_never_raises_emissions(a: float, b: float) -> None:
    base = pathway_base(demo_inventory(), demo_contexts()["qingyun"])
    lo, hi = sorted((a, b))
    dv = default_drivers()
    e_lo = simulate(base, {"grid_decarbonisation": lo}, dv)["co2e_t"]
    e_hi = simulate(base, {"grid_decarbonisation": hi}, dv)["co2e_t"]
    assert (e_hi <= e_lo + 1e-6).all()


def test_lever_out_of_range_and_unknown_names_are_refused() -> None:
    with pytest.raises(ValueError, match="outside its range"):
        plan_levers({"modal_shift": 0.9})
    with pytest.raises(KeyError, match="unknown lever"):
        plan_levers({"teleportation": 0.1})
    with pytest.raises(KeyError, match="unknown driver"):
        default_drivers({"luck": 1.0})


def test_population_rebalancing_adds_residents_and_bau_emissions(jingzhou) -> None:  # type: ignore[no-untyped-def]
    plain = simulate(jingzhou, {}, default_drivers())
    moved = simulate(
        jingzhou, {}, default_drivers({"rebalancing_inflow": 0.01, "rebalancing_years": 10})
    )
    # 1 % of the base population per year for 10 years on top of ordinary growth
    extra = moved["population"][0] - plain["population"][0]
    assert extra[10] == pytest.approx(0.10 * jingzhou.population)
    assert extra[-1] == pytest.approx(0.10 * jingzhou.population)
    assert (moved["co2e_t"][0][1:] > plain["co2e_t"][0][1:]).all()


def test_targets_on_a_constructed_city() -> None:
    """Only industrial grid electricity; a fully decarbonised grid in 2060 leaves ~0."""
    rows = pd.DataFrame(
        [{"city": "g", "year": 2020, "gpc_ref": "I.3.2", "activity": "electricity", "amount": 1e6,
          "unit": "MWh", "grid_region": "national"}]
    )  # fmt: skip
    inv = compute_inventory(rows)
    base = pathway_base(inv, CityContext("g", 2020, 1e6, 1e7, co2_2005_t=1e6, gdp_2005_wan_cny=2e6))
    off = dict.fromkeys(LEVERS, 0.0)
    bau = run_pathway(base, levers=off)
    # industry demand ∝ GDP^0.6 × 0.98^t: it rises while GDP growth exceeds ~3.4 %/yr (to 2040)
    assert bau.targets["bau"]["peak_year"] == 2040 and not bau.targets["bau"]["peak_by_2030"]
    full = run_pathway(base, levers={**off, "grid_decarbonisation": 1.0})
    assert full.targets["scenario"]["residual_2060_t"] == pytest.approx(0.0, abs=1e-6)
    # CO2/GDP 2005 = 0.5 t/wan; 2020 = 530.6e3 t / 1e7 wan
    y2030 = full.yearly.set_index("year").loc[2030]
    expected = 1 - (y2030["scenario_energy_co2_t"] / y2030["gdp_wan_cny"]) / 0.5
    assert full.targets["scenario"]["intensity_reduction_2030"] == pytest.approx(expected)
    assert full.targets["scenario"]["intensity_target_met"] == (expected >= 0.65)


def test_monte_carlo_is_seeded_and_percentiles_are_ordered(jingzhou) -> None:  # type: ignore[no-untyped-def]
    a = monte_carlo(jingzhou, draws=2000, seed=7)
    b = monte_carlo(jingzhou, draws=2000, seed=7)
    c = monte_carlo(jingzhou, draws=2000, seed=8)
    pd.testing.assert_frame_equal(a.fan, b.fan)
    assert not a.fan.equals(c.fan)
    q = a.fan[["p5", "p25", "p50", "p75", "p95"]].to_numpy()
    assert (np.diff(q, axis=1) >= -1e-9).all()
    assert q[0, 0] == pytest.approx(q[0, -1])  # the base year is known: no spread
    assert q[-1, -1] > q[-1, 0]  # spread by 2060
    assert 0.0 <= a.probabilities["peak_by_2030"] <= 1.0
    assert len(a.fan) == 41  # 2020–2060


def test_lever_delivery_stays_in_range() -> None:
    from ecocite.carbon.pathways import draw_parameters

    levers, drivers = draw_parameters(5000, seed=3)
    for name, values in levers.items():
        info = lever_info(name)
        assert values.min() >= float(info["min"]) and values.max() <= float(info["max"])
    assert drivers["population_growth"].min() >= -0.005


@pytest.mark.parametrize("compiled", [True, False])
def test_fused_kernel_agrees_with_the_numpy_reference(compiled: bool) -> None:
    from ecocite.carbon import kernel
    from ecocite.carbon.pathways import draw_parameters, fused_run

    assert kernel.available()  # the carbon extra installs numba
    assert kernel.LEVER_ORDER == LEVERS
    base = pathway_base(demo_inventory(), demo_contexts()["foshan"])
    n = 300 if compiled else 15
    levers, drivers = draw_parameters(n, seed=11, drivers={"rebalancing_inflow": 0.004})
    ref = simulate(base, levers, drivers)
    got = fused_run(base, levers, drivers, compiled=compiled)
    for key in ("co2e_t", "energy_co2_t", "gdp_wan_cny"):
        np.testing.assert_allclose(got[key], ref[key], rtol=1e-11)
