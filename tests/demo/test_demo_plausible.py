"""Demo values stay where a real city's would: inside each indicator's plausible range, whole where
the indicator counts whole things (issue 14 item 14: "COS 70", a peak in year 2022.342)."""

from __future__ import annotations

import pytest

from ecocite.demo import demo_values, illustrative_values
from ecocite.frameworks import IndicatorKind, get_framework
from ecocite.frameworks.loader import FrameworkError, bundled_framework_files, parse_framework

BUNDLED = ["sino-french-ecocity", "iso-37120"]


@pytest.mark.parametrize("ref", BUNDLED)
def test_every_measured_item_declares_plausible_values(ref: str) -> None:
    fw = get_framework(ref)
    bare = [ind.id for _, ind in fw.indicators() if ind.kind == IndicatorKind.MEASURE]
    assert [i for i in bare if fw.indicator(i).plausible is None] == []


@pytest.mark.parametrize("ref", BUNDLED)
def test_every_demo_value_is_plausible_and_whole_where_it_counts(ref: str) -> None:
    fw = get_framework(ref)
    table = demo_values(fw) if ref == BUNDLED[0] else illustrative_values(fw)
    assert len(table) > 1000
    outside = []
    for row in table.itertuples():
        ind = fw.indicator(row.indicator)
        bounds = ind.plausible or ind.range
        low = bounds.min if bounds.min is not None else float("-inf")
        high = bounds.max if bounds.max is not None else float("inf")
        if not low <= row.value <= high or (ind.whole and row.value != int(row.value)):
            outside.append((row.city, row.year, row.indicator, row.value))
    assert outside == []


def test_jingzhou_floor_area_ratio_and_peak_year_read_like_a_city() -> None:
    table = demo_values(get_framework("sino-french-ecocity"))
    jingzhou = table[table.city == "jingzhou"].set_index(["indicator", "year"])["value"]
    far = jingzhou.loc["floor_area_ratio"]
    assert far.between(0.5, 3.0).all()
    peak = jingzhou.loc["co2_peak_year"]
    assert (peak == peak.round()).all() and peak.between(2020, 2035).all()


def test_a_plausible_range_outside_the_physical_one_is_refused_with_its_line() -> None:
    path = bundled_framework_files()["sino-french-ecocity"]
    text = path.read_text(encoding="utf-8").replace(
        "plausible: {min: 0.5, max: 3}", "plausible: {min: -1, max: 3}", 1
    )
    with pytest.raises(FrameworkError) as caught:
        parse_framework(text, filename="mine.yaml")
    (issue,) = caught.value.issues
    assert issue.file == "mine.yaml" and issue.line is not None
    assert "floor_area_ratio" in issue.field and "inside 'range'" in issue.message
