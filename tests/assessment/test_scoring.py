"""Every scoring rule on hand-checkable numbers (the tiny framework in conftest)."""

from __future__ import annotations

import pandas as pd
import pytest

from ecocite.assessment import assess, assess_many
from ecocite.data import read_indicator_table

# Planning stage: scored raw max = 20 (co2) + 20 (green) = 40 → scale factor 100/40 = 2.5.


@pytest.fixture
def _assess(tiny, tidy):  # type: ignore[no-untyped-def]
    def run(rows, **kw):  # type: ignore[no-untyped-def]
        values = read_indicator_table(tidy(rows, kw.pop("quality", "high")), framework=tiny)
        return assess(tiny, values, city="a", year=2020, **kw)

    return run


def test_bands_lower_is_better_take_the_best_band_reached(_assess) -> None:
    for value, points in [(12, 0), (10, 5), (8, 5), (6, 12), (3.0, 20), (1, 20)]:
        a = _assess([("a", 2020, "co2_per_capita", value, "t/person")])
        assert a.indicator("co2_per_capita").points == points, value


def test_linear_scoring_is_clipped_and_proportional(_assess) -> None:
    for value, points in [(10, 0), (20, 0), (32.5, 10), (45, 20), (80, 20)]:
        a = _assess([("a", 2020, "green_cover", value, "%")])
        assert a.indicator("green_cover").points == pytest.approx(points)


def test_units_are_converted_before_scoring(_assess) -> None:
    a = _assess(
        [("a", 2020, "co2_per_capita", 2900, "kg/person"), ("a", 2020, "green_cover", 0.45, "")]
    )
    assert a.indicator("co2_per_capita").value == pytest.approx(2.9)
    assert a.indicator("co2_per_capita").points == 20
    assert a.indicator("green_cover").points == pytest.approx(20)


def test_scaled_total_bonus_cap_and_level(_assess) -> None:
    a = _assess(
        [
            ("a", 2020, "sewage", 100, "%"),
            ("a", 2020, "co2_per_capita", 6, "t/person"),  # 12 raw → 30 scaled
            ("a", 2020, "green_cover", 38.75, "%"),  # 15 raw → 37.5 scaled
            ("a", 2020, "smart_grid", 60, "%"),  # 8 bonus points, capped at 5
        ],
    )
    assert a.total == pytest.approx(67.5)
    assert a.bonus == pytest.approx(5)
    assert a.score == pytest.approx(72.5)
    assert a.level == "two_star"
    assert a.category("carbon").points == pytest.approx(30)
    assert a.category("green").points == pytest.approx(37.5)
    assert [r.code for r in a.reasons] == ["level_reached", "points_below_next_level"]


def test_failed_control_item_blocks_every_level_and_says_why(_assess) -> None:
    a = _assess(
        [
            ("a", 2020, "sewage", 92, "%"),
            ("a", 2020, "co2_per_capita", 2, "t/person"),
            ("a", 2020, "green_cover", 50, "%"),
        ],
    )
    assert a.score == pytest.approx(100)
    assert a.level is None
    failed = [r for r in a.reasons if r.code == "control_failed"]
    assert (
        failed
        and failed[0].indicator == "sewage"
        and failed[0].value == 92
        and failed[0].threshold == 100
    )
    assert a.gap is not None and a.gap.target_level == "one_star"
    assert [(x.indicator, x.target_value, x.why) for x in a.gap.actions] == [
        ("sewage", 100.0, "control")
    ]


def test_missing_control_is_reported_as_missing(_assess) -> None:
    a = _assess([("a", 2020, "co2_per_capita", 2, "t/person")])
    assert any(r.code == "control_missing" and r.indicator == "sewage" for r in a.reasons)
    assert a.indicator("sewage").status == "missing"


def test_category_minimum_blocks_the_level(_assess) -> None:
    a = _assess(
        [
            ("a", 2020, "sewage", 100, "%"),
            ("a", 2020, "co2_per_capita", 12, "t/person"),
            ("a", 2020, "green_cover", 45, "%"),
        ],
    )
    assert a.score == pytest.approx(50)
    assert a.level is None
    assert a.category("carbon").below_minimum
    reason = next(r for r in a.reasons if r.code == "category_below_minimum")
    assert reason.category == "carbon" and reason.threshold == 10


def test_low_quality_value_counts_as_missing_where_quality_is_required(_assess) -> None:
    a = _assess(
        [("a", 2020, "green_cover", 45, "%"), ("a", 2020, "co2_per_capita", 3, "t/person")],
        quality="low",
    )
    assert a.indicator("green_cover").status == "insufficient_quality"
    assert a.indicator("green_cover").points == 0
    assert a.indicator("co2_per_capita").points == 20  # no quality requirement there


def test_stage_selects_indicators_and_rescales(_assess) -> None:
    rows = [
        ("a", 2020, "sewage", 100, "%"),
        ("a", 2020, "co2_per_capita", 3, "t/person"),
        ("a", 2020, "green_cover", 45, "%"),
    ]
    plan = _assess(rows, stage="planning_design")
    ops = _assess(rows, stage="implementation_operation")
    assert plan.score == pytest.approx(100)
    assert ops.score == pytest.approx(80)  # 40 of 50 raw points; operation_only is missing
    assert {i.indicator for i in plan.indicators} == {
        "sewage",
        "co2_per_capita",
        "green_cover",
        "smart_grid",
    }


def test_gap_analysis_finds_the_least_change(_assess) -> None:
    # 45 points now (co2 at 6 t → 30 scaled; green 26 % → 6 × 2.5 = 6 ... see below); the next level is 50.
    a = _assess(
        [
            ("a", 2020, "sewage", 100, "%"),
            ("a", 2020, "co2_per_capita", 6, "t/person"),
            ("a", 2020, "green_cover", 30, "%"),
        ],
    )
    assert a.score == pytest.approx(30 + 8 * 2.5)  # green: (30-20)/25*20 = 8 raw
    assert a.level == "one_star"
    gap = a.gap
    assert gap is not None and gap.target_level == "two_star"
    assert gap.points_needed == pytest.approx(15)
    # co2 6 → 3 gains 8 raw = 20 points at a change of 3/7 of its span; green 30 → 36 gains 6 raw = 15
    # points at a change of 6/25: the least change is on green cover.
    assert [x.indicator for x in gap.actions] == ["green_cover"]
    assert gap.actions[0].target_value == pytest.approx(36.25, abs=1.3)
    assert gap.reachable


def test_applying_the_gap_reaches_the_next_level(_assess) -> None:
    rows = [
        ("a", 2020, "sewage", 80, "%"),
        ("a", 2020, "co2_per_capita", 11, "t/person"),
        ("a", 2020, "green_cover", 22, "%"),
    ]
    a = _assess(rows)
    assert a.level is None and a.gap is not None
    improved = {i: v for (_, _, i, v, _) in rows}
    for action in a.gap.actions:
        assert action.target_value is not None
        improved[action.indicator] = action.target_value
    units = {"sewage": "%", "co2_per_capita": "t/person", "green_cover": "%"}
    b = _assess([("a", 2020, i, v, units[i]) for i, v in improved.items()])
    assert b.level_rank >= 1


def test_assessment_is_reproducible_and_records_framework_and_data(_assess) -> None:
    rows = [("a", 2020, "sewage", 100, "%"), ("a", 2020, "co2_per_capita", 4, "t/person")]
    one, two = _assess(rows), _assess(list(reversed(rows)))
    assert one.model_dump_json() == two.model_dump_json()
    assert (one.framework_id, one.framework_version) == ("tiny", "1.2.0")
    changed = _assess([rows[0], ("a", 2020, "co2_per_capita", 4.1, "t/person")])
    assert changed.data_hash != one.data_hash


def test_batch_equals_single_assessments(tiny, tidy) -> None:
    rows = [
        ("a", 2020, "sewage", 100, "%"), ("a", 2020, "co2_per_capita", 6, "t/person"), ("a", 2020, "green_cover", 40, "%"),
        ("a", 2021, "sewage", 100, "%"), ("a", 2021, "co2_per_capita", 3, "t/person"), ("a", 2021, "green_cover", 44, "%"),
        ("b", 2020, "sewage", 90, "%"), ("b", 2020, "co2_per_capita", 2, "t/person"),
    ]  # fmt: skip
    values = read_indicator_table(tidy(rows), framework=tiny)
    batch = assess_many(tiny, values).set_index(["city", "year"])
    for (city, year), row in batch.iterrows():
        single = assess(tiny, values, city=city, year=year, gaps=False)
        assert row["score"] == pytest.approx(single.score)
        assert (None if pd.isna(row["level"]) else row["level"]) == single.level
        assert row["category:carbon"] == pytest.approx(single.category("carbon").points)


def test_gap_asks_for_better_data_when_a_good_value_is_of_too_low_quality(tiny, tidy) -> None:  # type: ignore[no-untyped-def]
    rows = [("a", 2020, "sewage", 100, "%"), ("a", 2020, "co2_per_capita", 6, "t/person")]
    good = read_indicator_table(tidy(rows), framework=tiny)
    weak = read_indicator_table(
        tidy([("a", 2020, "green_cover", 44, "%")], quality="low"), framework=tiny
    )
    a = assess(tiny, pd.concat([good, weak], ignore_index=True), city="a", year=2020)
    assert a.score == pytest.approx(30)  # green cover counts as missing
    assert any(r.code == "insufficient_quality" and r.indicator == "green_cover" for r in a.reasons)
    action = next(x for x in a.gap.actions if x.indicator == "green_cover")  # type: ignore[union-attr]
    assert action.why == "data"
    assert (
        action.current_value == 44 and action.target_value is not None and action.target_value >= 44
    )
