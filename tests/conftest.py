"""Shared fixtures: a small, hand-checkable framework and paths to the real shared data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ecocite.frameworks import Framework, parse_framework

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

TINY_FRAMEWORK = """
id: tiny
version: "1.2.0"
name: {fr: Petit référentiel, zh: 小型评价标准, en: Tiny framework}
grading:
  method: points
  scale: 100
  bonus_cap: 5
  levels:
    - {id: one_star, name: {fr: "1 étoile", zh: 一星级, en: "1 star"}, min_points: 50}
    - {id: two_star, name: {fr: "2 étoiles", zh: 二星级, en: "2 stars"}, min_points: 65}
    - {id: three_star, name: {fr: "3 étoiles", zh: 三星级, en: "3 stars"}, min_points: 80}
categories:
  - id: carbon
    name: {fr: Carbone, zh: 碳排放, en: Carbon}
    min_points: 10
    indicators:
      - id: sewage
        name: {fr: Assainissement, zh: 污水处理率, en: Sewage treatment}
        unit: percent
        kind: control
        requirement: 100
        range: {min: 0, max: 100}
        source: {text: "Chongqing GB/T 51255-based standard"}
      - id: co2_per_capita
        name: {fr: CO2 par habitant, zh: 人均二氧化碳, en: CO2 per capita}
        unit: t/person
        direction: lower
        kind: scored
        points: 20
        range: {min: 0}
        scoring: {method: bands, bands: [{threshold: 10, points: 5}, {threshold: 6, points: 12}, {threshold: 3, points: 20}]}
        source: {text: "own choice", own_choice: true}
  - id: green
    name: {fr: Vert, zh: 绿色, en: Green}
    indicators:
      - id: green_cover
        name: {fr: Couverture verte, zh: 绿化覆盖率, en: Green cover}
        unit: percent
        kind: scored
        points: 20
        range: {min: 0, max: 100}
        data_quality_min: medium
        scoring: {method: linear, worst: 20, best: 45}
        source: {text: "eco-garden city 43 %"}
      - id: operation_only
        name: {fr: Exploitation, zh: 运营, en: Operation only}
        unit: percent
        kind: scored
        points: 10
        stages: [implementation_operation]
        range: {min: 0, max: 100}
        scoring: {method: linear, worst: 0, best: 100}
        source: {text: "own choice", own_choice: true}
  - id: innovation
    name: {fr: Innovation, zh: 创新, en: Innovation}
    indicators:
      - id: smart_grid
        name: {fr: Réseau intelligent, zh: 智能电网, en: Smart grid}
        unit: percent
        kind: bonus
        points: 8
        range: {min: 0, max: 100}
        scoring: {method: bands, bands: [{threshold: 50, points: 8}]}
        source: {text: "own choice", own_choice: true}
"""


@pytest.fixture(scope="session")
def tiny() -> Framework:
    return parse_framework(TINY_FRAMEWORK, filename="tiny.yaml")


def make_tidy(rows: list[tuple[str, int, str, float, str]], quality: str = "high") -> pd.DataFrame:
    """A tidy table from (city, year, indicator, value, unit) tuples."""
    return pd.DataFrame(
        [
            {
                "city": c,
                "year": y,
                "indicator": i,
                "value": v,
                "unit": u,
                "source": "test",
                "quality": quality,
                "verified": "yes",
            }
            for c, y, i, v, u in rows
        ]
    )


@pytest.fixture(scope="session")
def tidy():  # type: ignore[no-untyped-def]
    """The ``make_tidy`` builder, as a fixture."""
    return make_tidy
