"""The city's standing: its latest complete assessment; the requirement is data, checked on load."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ecocite.assessment import assess, coverage, latest_standing
from ecocite.data import read_indicator_table
from ecocite.demo import demo_values
from ecocite.frameworks import get_framework
from ecocite.frameworks.loader import FrameworkError, bundled_framework_files, parse_framework

SINO = "sino-french-ecocity"


def _with_partial_2025() -> pd.DataFrame:
    table = demo_values(get_framework(SINO))
    jingzhou = table[table.city == "jingzhou"]
    partial = jingzhou[jingzhou.year == 2024].head(4).assign(year=2025)
    return pd.concat([jingzhou, partial], ignore_index=True)


def test_a_partial_year_does_not_become_the_standing() -> None:
    fw = get_framework(SINO)
    values = read_indicator_table(_with_partial_2025(), framework=fw)
    history = [assess(fw, values, city="jingzhou", year=y) for y in (2023, 2024, 2025)]
    assert history[-1].level is None and history[-1].completeness < 0.1
    standing = latest_standing(history, fw)
    assert standing is not None and (standing.year, standing.level) == (2024, "two_star")
    assert latest_standing(history[-1:], fw) is None


def test_coverage_counts_values_per_year_against_the_requirement() -> None:
    fw = get_framework(SINO)
    rows = coverage(_with_partial_2025(), fw, stage="planning_design")
    assert [r.year for r in rows][:2] == [2025, 2024]
    partial, full = rows[0], rows[1]
    total = sum(1 for _, ind in fw.indicators() if "planning_design" in ind.stages)
    assert (partial.reported, partial.total) == (4, total) and not partial.complete
    assert full.required == math.ceil(0.8 * total)  # sino-french asks for 80 %
    assert full.complete


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("  shown_level_completeness: 1.5\n", "less than or equal to 1"),
        ("  shown_level_completeness: 0.5\n", "needs a 'shown_level_source'"),
    ],
)
def test_the_requirement_is_validated_with_file_line_and_field(line: str, message: str) -> None:
    text = bundled_framework_files()[SINO].read_text(encoding="utf-8")
    start = text.index("  shown_level_completeness:")
    end = text.index("  levels:\n", start)
    broken = text[:start] + line + text[end:]
    with pytest.raises(FrameworkError) as caught:
        parse_framework(broken, filename="mine.yaml")
    (issue,) = caught.value.issues
    assert issue.file == "mine.yaml" and issue.line is not None
    assert issue.field.startswith("grading") and message in issue.message
