"""Demo data: published facts first, then the carbon engine's computed values, then illustrative ones."""

from __future__ import annotations

import json

from ecocite.assessment import assess
from ecocite.data import read_indicator_table
from ecocite.demo import ILLUSTRATIVE_SOURCE, demo_values
from ecocite.frameworks import get_framework


def test_each_value_comes_from_the_best_source_and_says_what_it_is() -> None:
    fw = get_framework("sino-french-ecocity")
    table = demo_values(fw)
    assert not table.duplicated(["city", "year", "indicator"]).any()
    fact = table[
        (table.city == "jingzhou") & (table.year == 2019) & (table.indicator == "co2_per_capita")
    ]
    assert fact["source"].iloc[0].startswith("CEADs") and fact["value"].iloc[0] == 3.594
    computed = table[
        (table.city == "jingzhou") & (table.year == 2020) & (table.indicator == "co2_per_capita")
    ]
    assert (
        "GPC inventory" in computed["source"].iloc[0]
        and "illustrative" in computed["source"].iloc[0]
    )
    others = table[~table["source"].str.contains("CEADs|GPC inventory")]
    assert (others["source"] == ILLUSTRATIVE_SOURCE).all()


def test_assessment_shows_where_its_carbon_figures_came_from() -> None:
    fw = get_framework("sino-french-ecocity")
    values = read_indicator_table(demo_values(fw), framework=fw)
    result = assess(fw, values, city="jingzhou", year=2020)
    co2 = result.indicator("co2_per_capita")
    provenance = json.loads(co2.provenance or "{}")
    assert provenance["engine"] == "ecocite.carbon.indicators"
    assert any(i["file"] == "jingzhou_activity_2020_illustrative.csv" for i in provenance["inputs"])
    assert [i["file"] for i in provenance["inputs"]] == ["jingzhou_activity_2020_illustrative.csv"]
