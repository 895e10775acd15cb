"""Landfill methane by IPCC first-order decay: hand example, recursion = closed form, mass balance."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecocite.carbon.waste import ch4_from_deposit, fod_series


def test_hand_example_food_waste_one_year_after_deposit() -> None:
    """1000 t food, DOC 0.15, DOCf 0.5, MCF 1 → DDOCm 75 t; k 0.185 (temperate wet)."""
    got = ch4_from_deposit(waste_t=1000, deposit_year=2019, year=2020, k=0.185, doc=0.15)
    assert got == pytest.approx(75 * (1 - math.exp(-0.185)) * 0.5 * 16 / 12)
    assert ch4_from_deposit(waste_t=1000, deposit_year=2020, year=2020, k=0.185, doc=0.15) == 0.0


@settings(max_examples=50, deadline=None)
@given(
    deposits=st.lists(st.floats(0, 1e5), min_size=1, max_size=30),
    k=st.floats(0.02, 0.4),
    mcf=st.sampled_from([0.4, 0.5, 0.6, 0.8, 1.0]),
    ox=st.sampled_from([0.0, 0.1]),
)
def test_recursion_equals_sum_of_closed_forms(
    deposits: list[float], k: float, mcf: float, ox: float
) -> None:
    series = fod_series(np.array(deposits), k=k, doc=0.2, mcf=mcf, ox=ox)
    for year in range(len(deposits)):
        closed = sum(
            ch4_from_deposit(waste_t=w, deposit_year=y, year=year, k=k, doc=0.2, mcf=mcf, ox=ox)
            for y, w in enumerate(deposits)
        )
        assert series[year] == pytest.approx(closed, rel=1e-9, abs=1e-9)


def test_all_decomposable_carbon_ends_up_as_methane() -> None:
    deposits = np.zeros(400)
    deposits[0] = 1000.0
    total = fod_series(deposits, k=0.06, doc=0.4).sum()
    assert total == pytest.approx(1000 * 0.4 * 0.5 * 1.0 * 0.5 * 16 / 12, rel=1e-6)
