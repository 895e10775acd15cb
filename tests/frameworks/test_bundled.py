"""The two bundled reference frameworks load, validate and keep their promises.

Promises checked here: the GB/T 51255-2017 structure (eight categories + innovation, two stages,
50/65/80 star levels), a source for every threshold, "own choice" said out loud, three languages
everywhere, physical ranges that contain the thresholds, the indicator ids the Measure engines
produce (helpers' ids contract), and ISO 37120 as a threshold-free, completeness-graded framework.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from ecocite.assessment import assess_many
from ecocite.frameworks import (
    Framework,
    IndicatorKind,
    Stage,
    bundled_framework_files,
    get_framework,
    parse_framework,
)
from ecocite.frameworks.schema import BandScoring, Direction, Indicator, LinearScoring, Source
from ecocite.i18n import LANGUAGES, Text
from ecocite.units import conversion_factor, parse_unit

SINO = "sino-french-ecocity"
ISO = "iso-37120"

GBT51255_CATEGORIES = {
    "land_use": "4",
    "ecological_environment": "5",
    "green_buildings": "6",
    "resources_carbon": "7",
    "green_transport": "8",
    "information_management": "9",
    "industry_economy": "10",
    "humanities": "11",
    "innovation": "12",
}

# The ids the carbon and access engines write into the tidy indicator table, with their units and
# directions (measure = not scored). A framework renaming one of these breaks the data flow.
ENGINE_IDS: dict[str, tuple[str, str, Direction | None]] = {
    "co2_per_capita": ("resources_carbon", "t/person", Direction.LOWER),
    "co2_per_gdp": ("resources_carbon", "t/wan_CNY", Direction.LOWER),
    "co2_intensity_reduction_2005": ("resources_carbon", "%", Direction.HIGHER),
    "renewable_energy_share": ("resources_carbon", "%", Direction.HIGHER),
    "ghg_per_capita": ("resources_carbon", "t/person", None),
    "life_circle_5min_coverage": ("land_use", "%", Direction.HIGHER),
    "life_circle_10min_coverage": ("land_use", "%", Direction.HIGHER),
    "life_circle_15min_coverage": ("land_use", "%", Direction.HIGHER),
    "service_desert_share": ("land_use", "%", Direction.LOWER),
    "park_service_coverage": ("ecological_environment", "%", Direction.HIGHER),
    "public_green_space_per_capita": ("ecological_environment", "m**2/person", Direction.HIGHER),
    "intersection_density": ("green_transport", "intersection/km**2", Direction.HIGHER),
    "land_use_mix": ("land_use", "dimensionless", Direction.HIGHER),
    "frequent_transit_coverage": ("green_transport", "%", Direction.HIGHER),
    "floor_area_ratio": ("land_use", "dimensionless", None),
    "building_coverage_ratio": ("land_use", "%", None),
}

# Public thresholds the framework promises to carry (indicator → best threshold, words its
# source must contain). Figures from the reference sheets; a typo in the YAML fails here.
PUBLIC_THRESHOLDS: dict[str, tuple[float, str]] = {
    "good_air_quality_days": (310, "Tianjin"),
    "native_plant_share": (70, "Tianjin"),
    "green_trip_share": (90, "Tianjin"),
    "affordable_housing_share": (20, "Tianjin"),
    "built_up_green_coverage": (43, "eco-garden city"),
    "public_green_space_per_capita": (14.8, "eco-garden city"),
    "park_service_coverage": (90, "eco-garden city"),
    "shaded_street_coverage": (85, "eco-garden city"),
    "large_public_building_2star_share": (50, "Chongqing"),
    "co2_intensity_reduction_2005": (65, "2030"),
    "energy_intensity_reduction_2020": (13.5, "14th Five-Year Plan"),
    "co2_peak_year": (2030, "peak"),
}
PUBLIC_REQUIREMENTS: dict[str, tuple[float, str]] = {
    "sewage_treatment_rate": (100, "Chongqing"),
    "refuse_harmless_treatment_rate": (100, "Chongqing"),
    "green_building_share_new": (100, "Chongqing"),
    "green_building_2star_share_new": (30, "Chongqing"),
    "life_circle_public_green_per_capita": (1.0, "GB 50180-2018"),
    "natural_wetland_net_loss": (0, "Tianjin"),
}

DOCS = Path(__file__).resolve().parents[2] / "docs" / "frameworks.md"

CJK = re.compile(r"[\u4e00-\u9fff]")


@cache
def _load(ref: str) -> Framework:
    return get_framework(ref)  # frameworks are frozen, so one parse serves every test


@pytest.fixture
def sino() -> Framework:
    return _load(SINO)


@pytest.fixture
def iso() -> Framework:
    return _load(ISO)


def _texts(fw: Framework) -> list[tuple[str, Text]]:
    """Every person-facing text of a framework, labelled by where it sits."""
    found: list[tuple[str, Text]] = [("framework.name", fw.name)]
    if fw.description is not None:
        found.append(("framework.description", fw.description))
    found += [(f"level {lv.id}", lv.name) for lv in fw.grading.levels]
    for cat in fw.categories:
        found.append((f"category {cat.id}", cat.name))
        if cat.description is not None:
            found.append((f"category {cat.id}.description", cat.description))
        for ind in cat.indicators:
            found.append((f"indicator {ind.id}", ind.name))
            if ind.description is not None:
                found.append((f"indicator {ind.id}.description", ind.description))
    return found


def _sources(fw: Framework) -> list[tuple[str, Source]]:
    found: list[tuple[str, Source]] = []
    if fw.grading.source is not None:
        found.append(("grading", fw.grading.source))
    found += [(f"level {lv.id}", lv.source) for lv in fw.grading.levels if lv.source]
    found += [
        (f"category {c.id}", c.min_points_source) for c in fw.categories if c.min_points_source
    ]
    found += [(f"indicator {i.id}", i.source) for _, i in fw.indicators() if i.source]
    return found


def _thresholds(ind: Indicator) -> list[float]:
    if isinstance(ind.scoring, BandScoring):
        return [b.threshold for b in ind.scoring.bands]
    if isinstance(ind.scoring, LinearScoring):
        return [ind.scoring.worst, ind.scoring.best]
    return [] if ind.requirement is None else [ind.requirement]


def _best_threshold(ind: Indicator) -> float:
    values = _thresholds(ind)
    return max(values) if ind.direction == Direction.HIGHER else min(values)


# ── both frameworks ─────────────────────────────────────────────────────────────────────────────


def test_both_are_bundled_and_load_by_id_and_version() -> None:
    files = bundled_framework_files()
    assert {SINO, ISO} <= set(files)
    for ref, key in [(SINO, "sino-french-ecocity@1.1.0"), (ISO, "iso-37120@2018")]:
        fw = get_framework(ref)
        assert fw.key == key
        assert fw.id == ref  # file stem and id agree, so get_framework(fw.id) finds it
        assert get_framework(key) == fw


@pytest.mark.parametrize("ref", [SINO, ISO])
def test_every_text_has_three_languages(ref: str) -> None:
    fw = _load(ref)
    missing = [
        f"{where}.{lang}"
        for where, text in _texts(fw)
        for lang in LANGUAGES
        if not getattr(text, lang).strip()
    ]
    assert missing == []
    not_chinese = [where for where, text in _texts(fw) if not CJK.search(text.zh)]
    assert not_chinese == [], "a zh text without a single Chinese character"
    copied = [where for where, text in _texts(fw) if text.fr == text.en and len(text.en) > 12]
    assert copied == [], "French text identical to the English"


@pytest.mark.parametrize("ref", [SINO, ISO])
def test_units_parse_and_percent_ranges_stop_at_100(ref: str) -> None:
    fw = _load(ref)
    for _, ind in fw.indicators():
        parse_unit(ind.unit)
        if ind.unit == "%":  # a share stops at 100 %; a change cannot fall below -100 %
            assert ind.range.max == 100 or ind.range.min == -100, ind.id
        if ind.range.min is not None and ind.range.max is not None:
            assert ind.range.min < ind.range.max, ind.id


@pytest.mark.parametrize("ref", [SINO, ISO])
def test_own_choice_is_said_in_the_source_text(ref: str) -> None:
    fw = _load(ref)
    silent = [
        where
        for where, src in _sources(fw)
        if src.own_choice and "own choice" not in src.text.lower()
    ]
    assert silent == []
    empty = [where for where, src in _sources(fw) if len(src.text.strip()) < 20]
    assert empty == []


# ── sino-french-ecocity ─────────────────────────────────────────────────────────────────────────


def test_sino_french_has_the_gbt51255_structure(sino: Framework) -> None:
    assert sino.version == "1.1.0"
    assert [c.id for c in sino.categories] == list(GBT51255_CATEGORIES)
    for cat in sino.categories:
        assert cat.crosswalk["gbt51255"] == GBT51255_CATEGORIES[cat.id]
    assert set(sino.stages) == set(Stage)
    assert len(sino.indicator_ids()) >= 40


def test_sino_french_kinds_sit_where_gbt51255_puts_them(sino: Framework) -> None:
    for cat in sino.categories:
        kinds = {ind.kind for ind in cat.indicators}
        if cat.id == "innovation":
            assert kinds == {IndicatorKind.BONUS}
        else:
            assert IndicatorKind.BONUS not in kinds, cat.id
            assert IndicatorKind.SCORED in kinds, cat.id
            assert IndicatorKind.CONTROL in kinds, f"{cat.id} has no control item"
    bonus_total = sum(i.points for _, i in sino.indicators() if i.kind == IndicatorKind.BONUS)
    assert bonus_total > sino.grading.bonus_cap  # the cap binds


def test_sino_french_grading_is_the_star_scheme(sino: Framework) -> None:
    grading = sino.grading
    assert grading.method == "points"
    assert grading.scale == 100
    assert grading.bonus_cap == 10
    assert [(lv.id, lv.min_points) for lv in grading.levels] == [
        ("one_star", 50),
        ("two_star", 65),
        ("three_star", 80),
    ]
    assert all(lv.requires_all_controls for lv in grading.levels)
    for lv in grading.levels:
        assert lv.source is not None and "GB/T 51255-2017" in lv.source.text
        assert "not public" in lv.source.text  # national weights are not public: say so


def test_sino_french_points_per_stage(sino: Framework) -> None:
    """The operation stage totals 100 raw points; planning lacks the measured-only items."""

    def scored(stage: Stage) -> list[Indicator]:
        return [
            i for _, i in sino.indicators() if i.kind == IndicatorKind.SCORED and stage in i.stages
        ]

    operation = sum(i.points for i in scored(Stage.IMPLEMENTATION_OPERATION))
    planning = sum(i.points for i in scored(Stage.PLANNING_DESIGN))
    assert operation == pytest.approx(100)
    assert 70 <= planning < operation
    operation_only = {i.id for i in scored(Stage.IMPLEMENTATION_OPERATION)} - {
        i.id for i in scored(Stage.PLANNING_DESIGN)
    }
    assert {"good_air_quality_days", "pm25_annual_mean", "resident_satisfaction"} <= operation_only
    for cat in sino.categories:
        if cat.min_points is None:
            continue
        for stage in Stage:
            raw = sum(
                i.points
                for i in cat.indicators
                if i.kind == IndicatorKind.SCORED and stage in i.stages
            )
            stage_raw = operation if stage == Stage.IMPLEMENTATION_OPERATION else planning
            reachable = raw * sino.grading.scale / stage_raw
            assert cat.min_points < reachable, f"{cat.id} minimum unreachable at {stage.value}"


def test_sino_french_category_minimums_have_their_own_source(sino: Framework) -> None:
    """Each minimum is 40 % of its category's points, an own choice modelled on GB/T 50378-2014."""
    with_minimum = [c for c in sino.categories if c.min_points is not None]
    assert {c.id for c in with_minimum} >= {"resources_carbon"}
    for cat in sino.categories:
        src = cat.min_points_source
        if cat.min_points is None:
            assert src is None, cat.id  # a source for a minimum that does not exist
            continue
        assert src is not None, cat.id
        assert src.own_choice and "GB/T 50378-2014" in src.text, cat.id
        raw = sum(i.points for i in cat.indicators if i.kind == IndicatorKind.SCORED)
        assert cat.min_points == pytest.approx(0.4 * raw), cat.id
        assert f"{cat.min_points:g} points" in src.text, cat.id  # the text states the figure
        # the statement moved out of the description: one place only
        assert cat.description is None or "own choice" not in cat.description.en, cat.id


def test_sino_french_every_threshold_has_a_source(sino: Framework) -> None:
    for _, ind in sino.indicators():
        if ind.kind == IndicatorKind.MEASURE:
            assert ind.scoring is None and ind.requirement is None, ind.id
            continue
        assert ind.source is not None, ind.id
        assert ind.description is not None, ind.id
        if ind.kind == IndicatorKind.CONTROL:
            assert ind.requirement is not None and ind.scoring is None, ind.id
        else:
            assert ind.scoring is not None and ind.points > 0, ind.id


def test_sino_french_indicators_are_fully_described(sino: Framework) -> None:
    """Every indicator states its description, range, data quality and crosswalk explicitly."""
    wanted = {"description", "unit", "kind", "range", "data_quality_min", "crosswalk"}
    for _, ind in sino.indicators():
        assert wanted <= ind.model_fields_set, (ind.id, wanted - ind.model_fields_set)
        if ind.kind != IndicatorKind.MEASURE:
            assert {"direction", "stages", "source"} <= ind.model_fields_set, ind.id


def test_sino_french_thresholds_lie_in_the_physical_range(sino: Framework) -> None:
    for _, ind in sino.indicators():
        for value in _thresholds(ind):
            if ind.range.min is not None:
                assert value >= ind.range.min, ind.id
            if ind.range.max is not None:
                assert value <= ind.range.max, ind.id


def test_sino_french_carries_the_public_thresholds(sino: Framework) -> None:
    for ind_id, (threshold, words) in PUBLIC_THRESHOLDS.items():
        ind = sino.indicator(ind_id)
        assert _best_threshold(ind) == threshold, ind_id
        assert ind.source is not None and words in ind.source.text, ind_id
    for ind_id, (requirement, words) in PUBLIC_REQUIREMENTS.items():
        ind = sino.indicator(ind_id)
        assert ind.kind == IndicatorKind.CONTROL
        assert ind.requirement == requirement, ind_id
        assert ind.source is not None and words in ind.source.text, ind_id
        assert not ind.source.own_choice, ind_id


def test_sino_french_uses_the_engine_ids_and_units(sino: Framework) -> None:
    category_of = {ind.id: cat.id for cat, ind in sino.indicators()}
    for ind_id, (category, unit, direction) in ENGINE_IDS.items():
        assert category_of.get(ind_id) == category, ind_id
        ind = sino.indicator(ind_id)
        scale, offset = conversion_factor(unit, ind.unit)  # raises if not convertible
        assert offset == 0 and scale > 0
        if direction is None:
            assert ind.kind == IndicatorKind.MEASURE, ind_id
        else:
            assert ind.direction == direction, ind_id


def test_sino_french_crosswalks(sino: Framework) -> None:
    for cat, ind in sino.indicators():
        assert set(ind.crosswalk) <= {"iso37120", "gbt51255", "u4ssc"}, ind.id
        assert ind.crosswalk["gbt51255"] == GBT51255_CATEGORIES[cat.id], ind.id
        if "iso37120" in ind.crosswalk:
            assert 5 <= int(ind.crosswalk["iso37120"]) <= 23, ind.id  # a 2018 theme clause


# ── iso-37120 ───────────────────────────────────────────────────────────────────────────────────


def test_iso_has_the_19_themes_of_2018(iso: Framework) -> None:
    assert iso.version == "2018"
    clauses = [int(c.crosswalk["iso37120"]) for c in iso.categories]
    assert clauses == list(range(5, 24))
    assert len({c.name.en for c in iso.categories}) == 19
    assert all(len(c.indicators) >= 2 for c in iso.categories)
    assert len(iso.indicator_ids()) >= 90


def test_iso_sets_no_thresholds(iso: Framework) -> None:
    for _, ind in iso.indicators():
        assert ind.kind == IndicatorKind.MEASURE, ind.id
        assert ind.scoring is None and ind.requirement is None and ind.points == 0, ind.id


def test_iso_directions_are_neutral_only_where_no_side_is_better(iso: Framework) -> None:
    neutral = {i.id for _, i in iso.indicators() if i.direction == Direction.NEUTRAL}
    assert {
        "police_officers_per_population",
        "commercial_industrial_assessed_value_share",
        "jobs_housing_ratio",
        "women_elected_share",
    } <= neutral
    assert not neutral & {"pm25_annual_mean", "ghg_per_capita", "renewable_energy_share"}
    assert iso.indicator("pm25_annual_mean").direction == Direction.LOWER
    assert iso.indicator("renewable_energy_share").direction == Direction.HIGHER
    assert iso.indicator("homicides_per_population").direction == Direction.LOWER
    # a measure with no `direction` line would silently mean "higher is better": say it
    implicit = [i.id for _, i in iso.indicators() if "direction" not in i.model_fields_set]
    assert implicit == []


@pytest.mark.parametrize("ref", [SINO, ISO])
def test_neutral_only_on_measures(ref: str) -> None:
    fw = _load(ref)
    wrong = [
        i.id
        for _, i in fw.indicators()
        if i.direction == Direction.NEUTRAL and i.kind != IndicatorKind.MEASURE
    ]
    assert wrong == []


def test_iso_ratios_to_population_are_per_100000(iso: Framework) -> None:
    """Counts per population use the standard's per-100,000 convention and take per-1,000 data."""
    per_population = [i for _, i in iso.indicators() if i.id.endswith("_per_population")]
    assert len(per_population) >= 20
    for ind in per_population:
        assert "hundred_thousand_persons" in ind.unit, ind.id
        assert "100 000" in ind.name.en and "100 000" in ind.name.fr, ind.id
        assert "10万" in ind.name.zh, ind.id
        per_thousand = ind.unit.replace("hundred_thousand_persons", "thousand_persons")
        assert conversion_factor(per_thousand, ind.unit) == (pytest.approx(100), 0), ind.id
    assert not [i.id for _, i in iso.indicators() if "kiloperson" in i.unit]
    beds = iso.indicator("hospital_beds_per_population")
    assert conversion_factor("1/person", beds.unit)[0] == pytest.approx(1e5)
    cycle = iso.indicator("cycle_network_length_per_population")
    assert conversion_factor("km/thousand_persons", cycle.unit)[0] == pytest.approx(100)
    farm = iso.indicator("urban_agriculture_area_per_population")
    assert conversion_factor("m**2/person", farm.unit)[0] == pytest.approx(10)  # 1e5 / 1e4


def test_iso_is_graded_by_completeness(iso: Framework) -> None:
    grading = iso.grading
    assert grading.method == "completeness"
    shares = [lv.min_reported for lv in grading.levels]
    assert all(s is not None and 0 < s <= 1 for s in shares)
    assert shares == sorted(shares)
    top = grading.levels[-1]
    assert top.id == "platinum"
    assert top.min_reported == pytest.approx(91 / 104, abs=1e-3)  # "over 90 of the 104"
    assert top.source is not None and "90 of the 104" in top.source.text
    for lower in grading.levels[:-1]:
        assert lower.source is not None and lower.source.own_choice
    assert any(ind.core for _, ind in iso.indicators())


def test_iso_crosswalks_point_at_real_sino_french_indicators(
    iso: Framework, sino: Framework
) -> None:
    sino_ids = set(sino.indicator_ids())
    linked = 0
    for cat, ind in iso.indicators():
        assert ind.crosswalk["iso37120"] == cat.crosswalk["iso37120"], ind.id
        target = ind.crosswalk.get("sino_french_ecocity")
        if target is None:
            continue
        linked += 1
        assert target in sino_ids, ind.id
    assert linked >= 8


def test_shared_ids_mean_the_same_quantity(iso: Framework, sino: Framework) -> None:
    """An id used by both frameworks feeds both from one tidy row, so its units must agree."""
    shared = set(iso.indicator_ids()) & set(sino.indicator_ids())
    assert {"ghg_per_capita", "renewable_energy_share", "pm25_annual_mean"} <= shared
    for ind_id in shared:
        a, b = iso.indicator(ind_id), sino.indicator(ind_id)
        assert conversion_factor(a.unit, b.unit) == (1.0, 0.0), ind_id
        assert a.crosswalk.get("sino_french_ecocity") == ind_id


# ── the user documentation ──────────────────────────────────────────────────────────────────────


def test_the_documented_example_is_a_valid_framework() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1
    fw = parse_framework(blocks[0], filename=str(DOCS))
    assert fw.key == "my-district@0.1.0"
    kinds = {ind.kind for _, ind in fw.indicators()}
    assert {IndicatorKind.CONTROL, IndicatorKind.SCORED} <= kinds
    assert all(c.min_points_source for c in fw.categories if c.min_points is not None)
    silent = [
        i.id
        for _, i in fw.indicators()
        if i.source and i.source.own_choice and "own choice" not in i.source.text
    ]
    assert silent == []


def test_the_documented_counts_match_the_files(sino: Framework, iso: Framework) -> None:
    text = DOCS.read_text(encoding="utf-8")
    kinds = [i.kind for _, i in sino.indicators()]
    assert f"{len(kinds)} indicators ({kinds.count(IndicatorKind.SCORED)} scored" in text
    assert f"{len(iso.indicator_ids())} measure-only indicators" in text


# ── the promises, through the assessment engine ─────────────────────────────────────────────────


def _table(fw: Framework, stage: Stage, values: dict[str, float]) -> pd.DataFrame:
    """One constructed city-year in the tidy format (only the columns scoring reads matter)."""
    return pd.DataFrame(
        {
            "city": "constructed",
            "year": 2024,
            "indicator": list(values),
            "value": list(values.values()),
            "unit": [fw.indicator(i).unit for i in values],
            "quality": "high",
        }
    )


def _at_best(fw: Framework, stage: Stage) -> dict[str, float]:
    """Every control at its requirement and every scored/bonus item exactly at its best threshold."""
    return {
        ind.id: _best_threshold(ind)
        for _, ind in fw.indicators()
        if stage in ind.stages and ind.kind != IndicatorKind.MEASURE
    }


@pytest.mark.parametrize("stage", list(Stage))
def test_a_city_at_every_threshold_earns_three_stars(sino: Framework, stage: Stage) -> None:
    row = assess_many(sino, _table(sino, stage, _at_best(sino, stage)), stage=stage).iloc[0]
    assert row["total"] == pytest.approx(100)  # each stage is rescaled to the full scale
    assert row["bonus"] == pytest.approx(10)  # more bonus available than the cap lets count
    assert bool(row["all_controls_passed"])
    assert row["level"] == "three_star"


def test_one_failed_control_item_withholds_every_star(sino: Framework) -> None:
    stage = Stage.IMPLEMENTATION_OPERATION
    values = _at_best(sino, stage) | {"sewage_treatment_rate": 99.0}
    row = assess_many(sino, _table(sino, stage, values), stage=stage).iloc[0]
    assert row["score"] == pytest.approx(110)
    assert not bool(row["all_controls_passed"])
    assert row["level"] is None


def test_a_weak_carbon_record_withholds_the_label(sino: Framework) -> None:
    """The resources & carbon minimum binds even when the total would earn a star."""
    stage = Stage.IMPLEMENTATION_OPERATION
    carbon = next(c for c in sino.categories if c.id == "resources_carbon")
    weak = {
        i.id: (50.0 if i.direction == Direction.LOWER else 0.0)
        for i in carbon.indicators
        if i.kind == IndicatorKind.SCORED
    }
    row = assess_many(sino, _table(sino, stage, _at_best(sino, stage) | weak), stage=stage).iloc[0]
    assert row["category:resources_carbon"] == pytest.approx(0)
    assert row["total"] == pytest.approx(80)
    assert row["level"] is None


def test_iso_levels_follow_the_share_reported(iso: Framework) -> None:
    stage = Stage.IMPLEMENTATION_OPERATION
    ids = iso.indicator_ids()
    core = [i for i in ids if iso.indicator(i).core]
    others = [i for i in ids if i not in core]

    def level(reported: list[str]) -> object:
        table = _table(iso, stage, dict.fromkeys(reported, 1.0))
        return assess_many(iso, table, stage=stage).iloc[0]["level"]

    assert level(ids) == "platinum"
    n_gold = int(0.8 * len(ids)) - len(core)  # 80 % reported: gold, not platinum
    assert level(core + others[:n_gold]) == "gold"
    assert level(others) is None  # almost everything, but a core indicator is missing


def test_the_superseded_version_still_reads() -> None:
    from ecocite.frameworks import get_framework as get

    earlier = get("sino-french-ecocity@1.0.0")
    assert earlier.version == "1.0.0"
    assert "participants_per_1000" not in " ".join(earlier.indicator_ids())
    assert get("sino-french-ecocity").version == "1.1.0"
