"""GPC sector and sub-sector names in the three languages, for every code the engine uses."""

from __future__ import annotations

import csv
from importlib import resources

from ecocite.carbon.names import gpc_name, gpc_names


def test_every_gpc_code_of_the_engine_has_three_names() -> None:
    text = (resources.files("ecocite.carbon") / "data" / "gpc_subsectors.csv").read_text("utf-8")
    codes = set()
    for row in csv.DictReader(text.splitlines()):
        codes |= {row["sector"], row["subsector"]}
    names = gpc_names()
    assert codes <= set(names)
    for code in codes:
        fr, zh, en = (names[code][lang] for lang in ("fr", "zh", "en"))
        assert fr and zh and en and zh != en, code


def test_names_by_language_with_the_code_as_fallback() -> None:
    assert gpc_name("I", "fr") == "Énergie stationnaire"
    assert gpc_name("II.1", "zh") == "道路交通"
    assert gpc_name("III", "en") == "Waste"
    assert gpc_name("IX.9", "fr") == "IX.9"
    assert gpc_name("IX.9", "fr", default="Other") == "Other"
