"""A small framework, data for two years, assessments and a city with a real boundary (Las Palmas)."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from ecocite.assessment import Assessment, assess
from ecocite.cities import RegistryCity, city_from_geojson
from ecocite.data import read_indicator_table
from ecocite.frameworks import Framework, parse_framework
from ecocite.i18n import Text

REPO = Path(__file__).resolve().parents[2]
LAS_PALMAS_BOUNDARY = (
    REPO / ".." / "shared" / "data" / "las-palmas" / "municipality_boundary.geojson"
)

FRAMEWORK_YAML = """
id: test-ecocity
version: "1.2"
name: {fr: Référentiel d'essai, zh: 测试评价标准, en: Test framework}
grading:
  method: points
  scale: 100
  bonus_cap: 5
  levels:
    - {id: one_star, name: {fr: Une étoile, zh: 一星级, en: One star}, min_points: 40}
    - {id: two_star, name: {fr: Deux étoiles, zh: 二星级, en: Two stars}, min_points: 60}
    - {id: three_star, name: {fr: Trois étoiles, zh: 三星级, en: Three stars}, min_points: 80}
categories:
  - id: land_use
    name: {fr: Usage des sols, zh: 土地利用, en: Land use}
    min_points: 10
    indicators:
      - id: green_cover
        name: {fr: Couverture végétale, zh: 绿化覆盖率, en: Green cover}
        unit: "%"
        kind: scored
        points: 20
        scoring: {method: linear, worst: 20, best: 45}
        source: {text: test threshold, own_choice: true}
      - id: sewage_treated
        name: {fr: Eaux usées traitées, zh: 污水处理率, en: Sewage treated}
        unit: "%"
        kind: control
        requirement: 95
        source: {text: test requirement, own_choice: true}
  - id: carbon
    name: {fr: Ressources et carbone, zh: 资源与碳排放, en: Resources and carbon}
    indicators:
      - id: co2_per_capita
        name: {fr: CO₂ par habitant, zh: 人均二氧化碳排放, en: CO₂ per inhabitant}
        unit: t/person
        direction: lower
        kind: scored
        points: 30
        scoring:
          method: bands
          bands: [{threshold: 8, points: 10}, {threshold: 6, points: 20}, {threshold: 4, points: 30}]
        source: {text: test threshold, own_choice: true}
  - id: transport
    name: {fr: Transports, zh: 绿色交通, en: Transport}
    indicators:
      - id: green_trips
        name: {fr: Part modale verte, zh: 绿色出行比例, en: Green trip share}
        unit: "%"
        kind: scored
        points: 30
        scoring: {method: linear, worst: 40, best: 80}
        source: {text: test threshold, own_choice: true}
      - id: smart_mobility
        name: {fr: Mobilité innovante, zh: 智慧出行创新, en: Innovative mobility}
        unit: "%"
        kind: bonus
        points: 3
        scoring: {method: bands, bands: [{threshold: 10, points: 3}]}
        source: {text: test threshold, own_choice: true}
  - id: ecology
    name: {fr: Écologie, zh: 生态环境, en: Ecology}
    indicators:
      - id: park_access
        name: {fr: Accès aux parcs, zh: 公园可达性, en: Park access}
        unit: "%"
        kind: scored
        points: 20
        scoring: {method: linear, worst: 50, best: 100}
        source: {text: test threshold, own_choice: true}
"""

PROVENANCE = '{"engine": "ecocite.carbon", "version": "0.1.0", "inputs": [{"file": "energy.csv"}]}'

DATA_CSV = f"""city,year,indicator,value,unit,source,quality,verified,provenance
las-palmas,2022,green_cover,30,%,Illustrative value for the test,medium,no,
las-palmas,2022,sewage_treated,97,%,Water utility report 2022,high,yes,
las-palmas,2022,co2_per_capita,6.5,t/person,Carbon inventory run,high,yes,"{PROVENANCE.replace('"', '""')}"
las-palmas,2022,green_trips,52,%,Mobility survey 2019,medium,no,
las-palmas,2022,park_access,70,%,Access engine,high,yes,
las-palmas,2023,green_cover,33,%,Illustrative value for the test,medium,no,
las-palmas,2023,sewage_treated,97,%,Water utility report 2023,high,yes,
las-palmas,2023,co2_per_capita,5.9,t/person,Carbon inventory run,high,yes,"{PROVENANCE.replace('"', '""')}"
las-palmas,2023,green_trips,60,%,Mobility survey 2023,medium,no,
las-palmas,2023,park_access,82,%,Access engine,high,yes,
las-palmas,2023,smart_mobility,12,%,Operator data,low,no,
"""


@pytest.fixture(scope="session")
def framework() -> Framework:
    return parse_framework(FRAMEWORK_YAML, filename="test-ecocity.yaml")


@pytest.fixture(scope="session")
def values(framework: Framework) -> pd.DataFrame:
    return read_indicator_table(pd.read_csv(io.StringIO(DATA_CSV)), framework=framework)


@pytest.fixture(scope="session")
def assessment_2022(framework: Framework, values: pd.DataFrame) -> Assessment:
    return assess(framework, values, city="las-palmas", year=2022)


@pytest.fixture(scope="session")
def assessment_2023(framework: Framework, values: pd.DataFrame) -> Assessment:
    return assess(framework, values, city="las-palmas", year=2023)


@pytest.fixture(scope="session")
def las_palmas() -> RegistryCity:
    return city_from_geojson(
        LAS_PALMAS_BOUNDARY,
        city_id="las-palmas",
        name=Text(
            fr="Las Palmas de Gran Canaria",
            zh="大加那利岛拉斯帕尔马斯",
            en="Las Palmas de Gran Canaria",
        ),
        country="es",
    )


FAILING_CSV = """city,year,indicator,value,unit,source,quality,verified
squareville,2023,sewage_treated,90,%,Utility report,high,yes
squareville,2023,green_cover,22,%,Satellite survey,high,yes
squareville,2023,co2_per_capita,9,t/person,Inventory,high,yes
squareville,2023,green_trips,70,%,Survey,low,no
"""


@pytest.fixture(scope="session")
def strict_framework() -> Framework:
    """The test framework where green trips need medium-quality data."""
    text = FRAMEWORK_YAML.replace(
        "        scoring: {method: linear, worst: 40, best: 80}\n",
        "        scoring: {method: linear, worst: 40, best: 80}\n        data_quality_min: medium\n",
    )
    return parse_framework(text, filename="test-ecocity-strict.yaml")


@pytest.fixture(scope="session")
def failing_assessment(strict_framework: Framework) -> Assessment:
    """A city that fails a control item, has a value of too low quality and misses one value."""
    values = read_indicator_table(pd.read_csv(io.StringIO(FAILING_CSV)), framework=strict_framework)
    return assess(strict_framework, values, city="squareville", year=2023)


@pytest.fixture(scope="session")
def squareville() -> RegistryCity:
    """A made-up 10 km × 10 km square city on the equator's meridian zero, for exact geometry."""
    side = 10 / 111.19508  # degrees of latitude in 10 km (mean Earth radius 6371.0088 km)
    ring = [[0.0, 0.0], [side, 0.0], [side, side], [0.0, side], [0.0, 0.0]]
    return RegistryCity(
        id="squareville",
        name=Text(fr="Villecarrée", zh="方城", en="Squareville"),
        country="FR",
        boundary={"type": "Polygon", "coordinates": [ring]},
        boundary_source="constructed for the tests",
    )


class ParsedReport(HTMLParser):
    """An HTML page checked for balanced tags while it is read; keeps its SVGs, text and links."""

    VOID = frozenset(
        "area base br col embed hr img input link meta source track wbr".split()  # noqa: SIM905
    )

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text_parts: list[str] = []
        self._in_style = False
        self.feed(html)
        self.close()
        assert not self.stack, f"unclosed tags: {self.stack}"
        self.svgs = [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, re.S)]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if not self._in_style:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"[ \t\r\n]+", " ", " ".join(self.text_parts)).strip()

    def svg(self, cls: str) -> list[ET.Element]:
        return [s for s in self.svgs if cls in (s.get("class") or "").split()]

    def external_references(self) -> list[str]:
        """Every attribute or CSS reference that would make a reader's browser fetch something."""
        found = []
        for _, attrs in self.tags:
            for name in ("src", "href", "xlink:href", "action", "data", "poster", "srcset"):
                value = attrs.get(name)
                if value is not None and not value.startswith("#"):
                    found.append(f"{name}={value}")
        found += re.findall(r"url\(|@import", self.html)
        return found


def parse_report(html: str) -> ParsedReport:
    return ParsedReport(html)


@pytest.fixture(scope="session")
def parse() -> Callable[[str], ParsedReport]:
    return parse_report
