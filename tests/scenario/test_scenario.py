"""Scenario sliders: today's positions reproduce today, hand-computed CO₂, ranges, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ecocite.cli import app
from ecocite.frameworks import get_framework
from ecocite.scenario import ScenarioError, evaluate, load_catalogue, load_site
from ecocite.scenario.site import bundled_site

SITE = load_site(bundled_site("vegueta"))
CATALOGUE = {s.id: s for s in load_catalogue()}


def test_today_positions_reproduce_the_observed_values() -> None:
    result = evaluate(SITE)
    today = {k: f.value for k, f in SITE.today.items()}
    assert result.value("population") == pytest.approx(today["population"], rel=1e-12)
    assert result.value("green_space_per_capita") == pytest.approx(
        today["green_area_m2"] / today["population"], rel=1e-12
    )
    assert result.value("floor_area_ratio") == pytest.approx(
        today["floor_area_m2"] / SITE.site_m2, rel=1e-12
    )
    assert all(o.value == pytest.approx(o.today, rel=1e-12) for o in result.outcomes)
    assert result.trade_offs == []
    # Every default lies inside its slider's range (a slider can be put back where it was).
    for key, value in SITE.defaults().items():
        assert CATALOGUE[key].min <= value <= CATALOGUE[key].max, key


def test_co2_by_hand() -> None:
    c = {k: f.value for k, f in SITE.constants.items()}
    result = evaluate(
        SITE,
        {"far": 2.0, "heritage_kept": 50, "energy_standard": 40, "renewable_share": 30,
         "walk_share": 40, "cycle_share": 10, "transit_share": 30, "density": 200},
    )  # fmt: skip
    site_m2 = SITE.area_ha.value * 10_000
    floor, today_floor = 2.0 * site_m2, SITE.today["floor_area_m2"].value
    kept = 0.5 * today_floor
    energy = kept * c["existing_intensity_kwh_m2"] + (floor - kept) * 40
    per_kwh = (
        c["electric_share"] * c["grid_kg_per_kwh"] * 0.7
        + (1 - c["electric_share"]) * c["gas_kg_per_kwh"]
    )
    people = 200 * SITE.area_ha.value
    buildings = energy * per_kwh / 1000 / people
    transport = c["trips_per_person_day"] * 365 * c["km_per_trip"] * (
        0.20 * c["car_kg_per_pkm"] + 0.30 * c["transit_kg_per_pkm"]
    ) / 1000  # fmt: skip
    assert result.value("co2_buildings_per_capita") == pytest.approx(buildings, rel=1e-12)
    assert result.value("co2_transport_per_capita") == pytest.approx(transport, rel=1e-12)
    assert result.value("co2_per_capita") == pytest.approx(buildings + transport, rel=1e-12)
    assert result.value("heritage_floor_kept") == pytest.approx(50)


def test_mode_shares_over_100_are_scaled_and_the_car_takes_nothing() -> None:
    c = {k: f.value for k, f in SITE.constants.items()}
    result = evaluate(SITE, {"walk_share": 80, "cycle_share": 40, "transit_share": 40})
    # scaled to 50 / 25 / 25 %: only public transport emits
    expected = (
        c["trips_per_person_day"] * 365 * c["km_per_trip"] * 0.25 * c["transit_kg_per_pkm"] / 1000
    )
    assert result.value("co2_transport_per_capita") == pytest.approx(expected, rel=1e-12)


def test_points_and_trade_offs_from_the_framework() -> None:
    framework = get_framework("sino-french-ecocity")
    result = evaluate(SITE, {"green_share": 30, "density": 100}, framework=framework)
    green = next(o for o in result.outcomes if o.indicator == "green_space_per_capita")
    assert green.framework_indicator == "public_green_space_per_capita"
    assert green.today_points == 0 and green.points == green.max_points == 2  # 30 m²/person ≥ 14.8
    # Fewer people in the same floor area: more building CO₂ per person, said as a trade-off.
    assert "co2_buildings_per_capita" in result.trade_offs


def test_facilities_change_the_life_circles() -> None:
    result = evaluate(SITE, facilities=("kindergarten",))
    kindergarten = next(f for f in SITE.facilities if f.id == "kindergarten")
    assert result.life_circles["kindergarten"] == dict(kindergarten.added)
    assert result.life_circles_today["kindergarten"] == dict(kindergarten.today)
    assert result.illustrative  # the demo site's figures are illustrative


def _ranges() -> st.SearchStrategy[dict[str, float]]:
    return st.fixed_dictionaries(
        {k: st.floats(s.min, s.max, allow_nan=False) for k, s in CATALOGUE.items()}
    )


@settings(max_examples=300, deadline=None)
@given(_ranges(), st.sets(st.sampled_from(["kindergarten", "elderly_care", "market"])))
def test_any_slider_position_stays_physical(values: dict[str, float], added: set[str]) -> None:
    result = evaluate(SITE, values, facilities=tuple(sorted(added)))
    v = {o.indicator: o.value for o in result.outcomes}
    assert v["population"] > 0
    assert v["green_space_per_capita"] >= 0
    assert v["co2_buildings_per_capita"] >= 0 and v["co2_transport_per_capita"] >= 0
    assert v["co2_per_capita"] == pytest.approx(
        v["co2_buildings_per_capita"] + v["co2_transport_per_capita"]
    )
    assert 0 <= v["heritage_floor_kept"] <= 100
    assert CATALOGUE["far"].min <= v["floor_area_ratio"] <= CATALOGUE["far"].max
    for shares in result.life_circles.values():
        assert all(0 <= share <= 1 for share in shares.values())


def test_bad_settings_name_the_slider() -> None:
    with pytest.raises(ScenarioError) as caught:
        evaluate(SITE, {"density": 9999, "bogus": 1})
    fields = {e.field for e in caught.value.errors}
    assert fields == {"density", "bogus"}
    with pytest.raises(ScenarioError, match="facilities"):
        evaluate(SITE, facilities=("stadium",))


def test_bad_site_files_name_file_and_field(tmp_path: Path) -> None:
    raw = yaml.safe_load(bundled_site("vegueta").read_text(encoding="utf-8"))
    raw["area_ha"] = {"value": -3, "source": "x"}
    del raw["today"]["population"]
    raw["constants"]["km_per_trip"] = {"value": "far", "source": "x"}
    raw["life_circles"]["facilities"][0]["added"] = {5: 1.4, 10: 1, 15: 1}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_site(path)
    fields = {e.field for e in caught.value.errors}
    assert {
        "area_ha",
        "today.population",
        "constants.km_per_trip",
        "life_circles.facilities[0]",
    } <= fields
    assert all(e.file == str(path) for e in caught.value.errors)
    (tmp_path / "broken.yaml").write_text("a: [1, 2", encoding="utf-8")
    with pytest.raises(ScenarioError):
        load_site(tmp_path / "broken.yaml")


def test_cli_json_and_refusal() -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["scenario", "evaluate", "vegueta", "--set", "density=150",
                               "--facility", "market", "--format", "json"])  # fmt: skip
    assert done.exit_code == 0, done.output
    body = json.loads(done.output)
    assert body["settings"]["density"] == 150 and body["illustrative"] is True
    population = next(i for i in body["indicators"] if i["indicator"] == "population")
    assert population["value"] == pytest.approx(150 * SITE.area_ha.value)
    refused = runner.invoke(app, ["scenario", "evaluate", "vegueta", "--set", "far=99"])
    assert refused.exit_code == 1 and "far" in refused.output


def test_a_yaml_bomb_is_refused_before_it_expands() -> None:
    from ecocite.scenario.site import parse_site

    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    with pytest.raises(ScenarioError, match="aliases"):
        parse_site(bomb, file="bomb.yaml")
    with pytest.raises(ScenarioError, match="characters"):
        parse_site("x: 1\n" * 30_000, file="long.yaml")


def test_distribution_by_college_and_the_median_vision() -> None:
    import pandas as pd

    from ecocite.scenario.visions import closest_to_median, slider_distribution

    frame = pd.DataFrame(
        {"college": ["residents", "residents", "universities", ""],
         "density": [100.0, 200.0, 300.0, 150.0], "green_share": [10.0, 20.0, 30.0, 40.0]},
        index=[11, 12, 13, 14],
    )  # fmt: skip
    summary = slider_distribution(frame, ["density", "green_share"])
    everyone = summary[(summary.group == "") & (summary.slider == "density")].iloc[0]
    assert everyone["count"] == 4 and everyone["median"] == 175 and everyone["q1"] == 137.5
    residents = summary[(summary.group == "residents") & (summary.slider == "green_share")].iloc[0]
    assert residents["median"] == 15
    # medians 175 and 25; scaled distances: row 12 (200, 20) is nearest.
    ranges = {"density": (10.0, 600.0), "green_share": (0.0, 60.0)}
    assert closest_to_median(frame, ["density", "green_share"], ranges) == 12
    assert closest_to_median(frame.iloc[0:0], ["density"], ranges) is None


def test_the_demo_life_circles_are_what_the_access_engine_computes() -> None:
    """The Vegueta site file's life circles are recomputed from the real OSM extract."""
    from ecocite.scenario.life_circles import life_circles

    shared = next(
        p / "shared" / "data" / "las-palmas"
        for p in Path(__file__).resolve().parents
        if (p / "shared" / "data" / "las-palmas").is_dir()
    )
    raw = yaml.safe_load(bundled_site("vegueta").read_text(encoding="utf-8"))
    polygon = {"type": "Polygon", "coordinates": [[[-15.4185, 28.0985], [-15.4105, 28.0985],
               [-15.4105, 28.1045], [-15.4185, 28.1045], [-15.4185, 28.0985]]]}  # fmt: skip
    wanted = {f["id"]: (f["category"], *f["place"]) for f in raw["life_circles"]["facilities"]}
    computed = life_circles(shared / "las_palmas_2023-02-21.osm.pbf", polygon, wanted)
    for facility in raw["life_circles"]["facilities"]:
        got = computed[facility["id"]]
        for level in (5, 10, 15):
            assert got["today"][level] == pytest.approx(facility["today"][level], abs=1e-4)
            assert got["added"][level] == pytest.approx(facility["added"][level], abs=1e-4)
            assert got["added"][level] >= got["today"][level]  # adding never takes access away
    assert raw["life_circles"]["sourced"] is True
