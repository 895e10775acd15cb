"""Value provenance in the reader's language (issue 8 item 5): labelled lines, raw JSON kept.

The keys checked are those the engines really emit: the carbon engine run on its demo activity
files, and the access engine's provenance-building code (its dict keys, read from the source,
plus the OSM file fingerprint computed on a real file).
"""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import ecocite.access.indicators as access_indicators
from ecocite.access.osm import file_fingerprint
from ecocite.assessment import Assessment, assess
from ecocite.carbon import demo_indicator_values
from ecocite.cities import RegistryCity
from ecocite.data import read_indicator_table
from ecocite.demo import demo_cities
from ecocite.frameworks import Framework, get_framework
from ecocite.i18n import LANGUAGES
from ecocite.reports import render_city_report
from ecocite.reports.messages import catalogue, message
from ecocite.reports.provenance import KEY_PREFIX, PATH_SEPARATOR, key_label, provenance_lines


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.fixture(scope="module")
def carbon_values() -> pd.DataFrame:
    return demo_indicator_values()


def _access_keys(tmp_path: Path) -> set[str]:
    """Keys of the access provenance: dict literals and ``prov[...]`` in ``_summary``, the
    network report keys it copies, and the extract fingerprint."""
    tree = ast.parse(Path(access_indicators.__file__).read_text(encoding="utf-8"))
    summary = next(
        n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "_summary"
    )
    keys: set[str] = set()
    for node in ast.walk(summary):
        if isinstance(node, ast.Dict):
            found = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if "provenance" not in found:  # the tidy row itself, not its provenance
                keys |= {str(k) for k in found}
        elif isinstance(node, ast.DictComp):
            for gen in node.generators:
                if isinstance(gen.iter, ast.Tuple):
                    keys |= {str(e.value) for e in gen.iter.elts if isinstance(e, ast.Constant)}
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            target = node.value
            if isinstance(target, ast.Name) and target.id == "prov":
                keys.add(str(ast.literal_eval(node.slice)))
    assert {"osm_extract", "network", "nodes", "details", "search_limit_m"} <= keys
    pbf = tmp_path / "city_2023-02-21.osm.pbf"
    pbf.write_bytes(b"not read as OSM, only fingerprinted")
    return keys | set(file_fingerprint(pbf))


def test_every_engine_key_has_a_label_in_every_language(
    carbon_values: pd.DataFrame, tmp_path: Path
) -> None:
    carbon = {k for text in carbon_values["provenance"] for k in _keys(json.loads(text))}
    assert {"engine", "inputs", "factor_library", "context", "illustrative"} <= carbon
    missing = [
        (key, lang)
        for key in sorted(carbon | _access_keys(tmp_path))
        for lang in LANGUAGES
        if not catalogue().get(KEY_PREFIX + key, {}).get(lang)
    ]
    assert missing == []


def test_lines_are_labelled_and_formatted(carbon_values: pd.DataFrame) -> None:
    row = carbon_values.iloc[0]
    data = json.loads(row["provenance"])
    lines = {line["label"]: line["value"] for line in provenance_lines(row["provenance"], "fr")}
    context = key_label("context", "fr")
    year = lines[f"{context}{PATH_SEPARATOR}{key_label('year', 'fr')}"]
    assert year == str(data["context"]["year"])  # a year, never "2 020"
    population = lines[f"{context}{PATH_SEPARATOR}{key_label('population', 'fr')}"]
    assert population == f"{data['context']['population']:,.0f}".replace(",", "\u202f")
    assert lines[key_label("illustrative", "fr")] == message("provenance.yes", "fr") == "oui"
    # free text from the data is shown as written
    assert (
        lines[f"{context}{PATH_SEPARATOR}{key_label('source', 'fr')}"]
        == (data["context"]["source"])
    )
    file_label = f"{key_label('inputs', 'fr')}{PATH_SEPARATOR}{key_label('file', 'fr')}"
    assert lines[file_label] == data["inputs"][0]["file"]


def test_unknown_key_falls_back_to_itself_and_non_json_gives_no_lines() -> None:
    lines = provenance_lines('{"engine": "x", "brand_new_key": {"depth": 2}}', "zh")
    assert lines[0] == {"label": "计算引擎", "value": "x"}
    assert lines[1]["label"] == f"brand_new_key{PATH_SEPARATOR}depth"
    assert provenance_lines("entered by hand from the 2020 yearbook", "fr") == []


@pytest.fixture(scope="module")
def carbon_assessment(carbon_values: pd.DataFrame) -> tuple[Assessment, Framework, RegistryCity]:
    framework = get_framework("sino-french-ecocity")
    mine = carbon_values[carbon_values["city"] == "jingzhou"]
    table = read_indicator_table(mine, framework=framework)
    result = assess(framework, table, city="jingzhou", year=2020, stage="planning_design")
    city = next(c for c in demo_cities() if c.id == "jingzhou")
    return result, framework, city


def _provenance_terms(page: str) -> list[str]:
    section = page[page.index('<section id="provenance">') :]
    section = section[: section.index("</section>")]
    lists = re.findall(r'<dl class="meta provenance">(.*?)</dl>', section, re.S)
    assert lists, "no provenance list in the report"
    return [html.unescape(t) for dl in lists for t in re.findall(r"<dt>(.*?)</dt>", dl, re.S)]


@pytest.mark.parametrize("lang", ["fr", "zh"])
def test_report_shows_no_english_key_label(
    carbon_assessment: tuple[Assessment, Framework, RegistryCity], lang: str
) -> None:
    assessment, framework, city = carbon_assessment
    page = render_city_report(assessment, framework=framework, city=city, lang=lang)
    terms = _provenance_terms(page)
    english = {
        v["en"] for k, v in catalogue().items() if k.startswith(KEY_PREFIX) and v["en"] != v[lang]
    }
    parts = {p for term in terms for p in term.split(PATH_SEPARATOR)}
    assert parts and not parts & english
    assert not parts & {"engine", "inputs", "parameters", "context"}  # no raw keys either
    assert key_label("factor_library", lang) in " ".join(terms)
    # the raw JSON stays available to experts, folded
    assert message("provenance.raw", lang) in page and "&#34;factor_library&#34;" in page
