"""Schema rules that protect framework authors from silent mistakes."""

from __future__ import annotations

import pytest

from ecocite.frameworks import FrameworkError, parse_framework

BASE = """
id: t
version: "1"
name: {fr: T, zh: T, en: T}
grading:
  method: points
  levels: [{id: one, name: {fr: a, zh: a, en: a}, min_points: 50}]
categories:
  - id: c
    name: {fr: C, zh: C, en: C}
    indicators:
      - id: x
        name: {fr: X, zh: X, en: X}
        unit: percent
"""


def _errors(extra: str) -> list[str]:
    with pytest.raises(FrameworkError) as info:
        parse_framework(BASE + extra, filename="t.yaml")
    return [f"{i.line}:{i.field}:{i.message}" for i in info.value.issues]


def test_scored_item_needs_scoring_points_and_source() -> None:
    (msg,) = _errors("        kind: scored\n        points: 5\n")
    assert msg.startswith("12:categories[c].indicators[x]") and "needs 'scoring'" in msg
    (msg,) = _errors(
        "        kind: scored\n        points: 5\n        scoring: {method: linear, worst: 0, best: 9}\n"
    )
    assert "source" in msg


def test_bands_must_reward_better_values() -> None:
    (msg,) = _errors(
        "        kind: scored\n        points: 5\n        direction: lower\n"
        "        scoring: {method: bands, bands: [{threshold: 10, points: 5}, {threshold: 5, points: 2}]}\n"
        "        source: {text: s}\n"
    )
    assert "more points for better values" in msg


def test_linear_direction_and_neutral_measures() -> None:
    (msg,) = _errors(
        "        kind: scored\n        points: 5\n        scoring: {method: linear, worst: 10, best: 0}\n"
        "        source: {text: s}\n"
    )
    assert "'best' must be above 'worst'" in msg
    (msg,) = _errors(
        "        kind: control\n        direction: neutral\n        requirement: 1\n        source: {text: s}\n"
    )
    assert "only a measure item can be neutral" in msg
    ok = parse_framework(
        BASE + "        kind: measure\n        direction: neutral\n", filename="t.yaml"
    )
    assert ok.indicator("x").direction.value == "neutral"


def test_unknown_fields_and_duplicate_ids_are_refused() -> None:
    (msg,) = _errors("        kind: measure\n        colour: green\n")
    assert msg.startswith("16:categories[c].indicators[x].colour") and "Extra inputs" in msg
    dup = (
        BASE
        + "        kind: measure\n      - id: x\n        name: {fr: X, zh: X, en: X}\n        unit: percent\n        kind: measure\n"
    )
    with pytest.raises(FrameworkError, match="used twice"):
        parse_framework(dup, filename="t.yaml")


def test_levels_must_be_ordered_and_fit_the_grading() -> None:
    text = BASE.replace(
        "levels: [{id: one, name: {fr: a, zh: a, en: a}, min_points: 50}]",
        "levels: [{id: two, name: {fr: a, zh: a, en: a}, min_points: 65}, {id: one, name: {fr: a, zh: a, en: a}, min_points: 50}]",
    )
    with pytest.raises(FrameworkError, match="lowest to highest"):
        parse_framework(text + "        kind: measure\n", filename="t.yaml")
    with pytest.raises(FrameworkError, match="min_reported"):
        parse_framework(
            BASE.replace("method: points", "method: completeness") + "        kind: measure\n",
            filename="t.yaml",
        )
