"""The factor library: sources on every factor, GWP cross-check, lookups, local overrides."""

from __future__ import annotations

import math

import globalwarmingpotentials
import pandas as pd
import pytest

from ecocite.carbon.errors import ValidationFailed
from ecocite.carbon.library import DATA, FactorLibrary, gwp, manifest, waste_defaults


@pytest.mark.parametrize(
    "name",
    ["fuel_properties.csv", "combustion_ch4_n2o.csv", "grid_electricity_china.csv", "gwp.csv"],
)
def test_every_factor_has_a_source_and_a_confidence_mark(name: str) -> None:
    with (DATA / name).open(encoding="utf-8") as fh:
        table = pd.read_csv(fh)
    assert not table.empty
    assert table["source"].fillna("").str.strip().ne("").all()
    assert set(table["confidence"]) <= {"V", "S", "U"}
    # an [U] factor must say so in its source text
    unverified = table[table["confidence"] == "U"]
    assert unverified["source"].str.contains("unverified").all()


def test_waste_defaults_carry_sources() -> None:
    for key, block in waste_defaults().items():
        if isinstance(block, dict):
            assert block.get("source"), key
            assert block.get("confidence") in {"V", "S", "U"}, key


def test_manifest_lists_existing_files() -> None:
    for name in manifest()["files"].values():
        assert (DATA / name).is_file(), name


# the package reads its data with a deprecated importlib call; not our code
@pytest.mark.filterwarnings("ignore:open_text is deprecated:DeprecationWarning")
@pytest.mark.parametrize(("gwp_set", "column"), [("ar5", "AR5GWP100"), ("ar6", "AR6GWP100")])
def test_gwp_tables_match_the_globalwarmingpotentials_package(gwp_set: str, column: str) -> None:
    reference = globalwarmingpotentials.as_frame()
    ours = gwp(gwp_set)
    assert ours["CO2"] == 1
    for gas in ("CH4", "N2O"):
        assert ours[gas] == pytest.approx(float(reference.loc[gas, column]))


def test_unknown_gwp_set_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown GWP set"):
        gwp("ar4x")


def test_chinese_default_factors_reproduce_the_published_tco2_per_tonne() -> None:
    """carbon.md §3.4: EF = NCV × C × oxidation × 44/12 / 1000 gives 2.925 (gasoline), 3.096 (diesel)."""
    lib = FactorLibrary(factor_sets=("china_default",))
    for fuel, published in [
        ("motor_gasoline", 2.925),
        ("gas_diesel_oil", 3.096),
        ("other_bituminous_coal", 1.742),
    ]:
        ncv = lib.ncv(fuel)
        co2 = lib.combustion(fuel, "CO2", "manufacturing")
        assert ncv is not None and co2 is not None
        t_per_t = ncv.value * co2.value * co2.oxidation / 1e6  # MJ/kg × kg/TJ → t/t
        assert t_per_t == pytest.approx(published, abs=0.001)


def test_grid_factor_takes_the_exact_vintage_else_the_latest_earlier_else_the_earliest() -> None:
    lib = FactorLibrary()
    assert lib.electricity("national", 2022).value == 0.5366  # type: ignore[union-attr]
    assert lib.electricity("national", 2025).year == 2023  # type: ignore[union-attr]
    hubei = lib.electricity("hubei", 2020)
    assert hubei is not None and hubei.year == 2023 and hubei.value == 0.4044
    assert lib.electricity("atlantis", 2020) is None


def test_local_factor_overrides_the_default_and_is_recorded() -> None:
    local = pd.DataFrame(
        [
            {"factor_id": "city:grid", "kind": "electricity", "grid_region": "hubei", "gas": "CO2",
             "value": 0.3, "unit": "kg/kWh", "source": "city utility 2020", "quality": "high"},
        ]
    )  # fmt: skip
    lib = FactorLibrary(local=local)
    f = lib.electricity("hubei", 2020)
    assert f is not None and f.factor_id == "city:grid" and f.value == 0.3 and f.quality == "high"
    # with local switched off the default comes back
    f2 = FactorLibrary(local=local, factor_sets=("china_default", "ipcc2006")).electricity(
        "hubei", 2020
    )
    assert f2 is not None and f2.factor_id == "mee_nbs:hubei:2023"


def test_bad_local_factor_file_lists_every_problem() -> None:
    local = pd.DataFrame(
        [
            {
                "factor_id": "a",
                "kind": "steam",
                "gas": "CO2",
                "value": 1,
                "unit": "kg/GJ",
                "source": "x",
            },
            {
                "factor_id": "b",
                "kind": "heat",
                "gas": "CO2",
                "value": -1,
                "unit": "bananas/GJ",
                "source": "",
            },
        ]
    )
    with pytest.raises(ValidationFailed) as info:
        FactorLibrary(local=local, local_file="local.csv")
    fields = {(e.row, e.field) for e in info.value.errors}
    assert {(2, "kind"), (3, "value"), (3, "unit"), (3, "source")} <= fields
    assert all(e.file == "local.csv" for e in info.value.errors)


def test_ipcc_derived_tonnes_per_tonne_match_the_reference_sheet() -> None:
    lib = FactorLibrary(factor_sets=("ipcc2006",))
    for fuel, sheet in [
        ("anthracite", 2.62),
        ("motor_gasoline", 3.07),
        ("gas_diesel_oil", 3.19),
        ("lpg", 2.98),
    ]:
        ncv, co2 = lib.ncv(fuel), lib.combustion(fuel, "CO2", "residential")
        assert ncv is not None and co2 is not None
        assert math.isclose(ncv.value * co2.value / 1e6, sheet, abs_tol=0.006)
