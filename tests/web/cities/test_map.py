"""The portfolio map (issue 14 item 6): an offline base layer the project ships, city names that
never overlap (or show on hover and keyboard focus), and an optional tile URL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from shapely.geometry import Point, shape

import ecocite.web
from ecocite.demo import demo_cities
from ecocite.web.cities.models import City

BASEMAP = Path(ecocite.web.__file__).parent / "static" / "ecocite" / "basemap"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _layer(name: str) -> dict[str, Any]:
    return json.loads((BASEMAP / f"{name}.geojson").read_text(encoding="utf-8"))


def test_the_shipped_base_layer_holds_the_world_and_china_s_provinces() -> None:
    countries = _layer("countries")
    by_iso = {f["properties"]["iso3"]: f for f in countries["features"]}
    assert {"CHN", "FRA", "JPN", "ESP"} <= set(by_iso) and len(by_iso) > 200
    assert by_iso["FRA"]["properties"]["name_en"] == "France"
    provinces = {f["properties"]["name_zh"]: f for f in _layer("provinces")["features"]}
    assert len(provinces) == 34 and "AMap" in _layer("provinces")["source"]
    prefectures = {f["properties"]["name_zh"]: f for f in _layer("prefectures")["features"]}
    # Each demo city lies in its province and prefecture outline.
    for city, province, prefecture in [
        ("jingzhou", "湖北省", "荆州市"),
        ("foshan", "广东省", "佛山市"),
        ("panshi", "吉林省", "吉林市"),
    ]:
        engine_city = next(c for c in demo_cities() if c.id == city)
        inside = shape(engine_city.boundary).representative_point()
        assert shape(provinces[province]["geometry"]).distance(inside) < 0.05
        assert shape(prefectures[prefecture]["geometry"]).distance(inside) < 0.05
    assert shape(by_iso["CHN"]["geometry"]).contains(Point(112.2, 30.3))  # Jingzhou


@pytest.fixture
def six_cities(db: Any) -> list[City]:
    return [City.objects.create(slug=c.id, **City.fields_from_engine(c)) for c in demo_cities()]


def test_map_data_places_each_city_s_dot_inside_its_outline(
    six_cities: list[City], client: Any
) -> None:
    data = client.get(reverse("cities:map_data")).json()
    assert len(data["features"]) == 6
    for feature in data["features"]:
        lat, lon = feature["properties"]["label"]
        assert shape(feature["geometry"]).distance(Point(lon, lat)) < 0.01


def test_home_map_uses_the_shipped_layer_unless_a_tile_url_is_set(db: Any, client: Any) -> None:
    page = client.get(reverse("core:home")).content.decode()
    assert 'data-basemap="/static/ecocite/basemap/"' in page and "data-tiles=" not in page
    tiles = "https://tiles.example.org/{z}/{x}/{y}.png"
    with override_settings(MAP_TILE_URL=tiles, MAP_TILE_ATTRIBUTION="© Example contributors"):
        page = client.get(reverse("core:home")).content.decode()
    assert f'data-tiles="{tiles}"' in page and "© Example contributors" in page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
def test_city_names_never_overlap_and_every_city_is_reachable_by_keyboard(
    browser: Any, live_server: Any, transactional_db: Any, width: int
) -> None:
    for c in demo_cities():
        City.objects.create(slug=c.id, **City.fields_from_engine(c))
    # The page's CSP forbids evaluating strings as script, which wait_for_function needs; the
    # CSP itself is held by tests/web/core/test_csp.py and test_browser_hostile_names.py.
    page = browser.new_page(
        viewport={"width": width, "height": 800}, locale="en-GB", bypass_csp=True
    )
    page.goto(live_server.url + "/")
    page.wait_for_function("document.getElementById('map').dataset.labelsShown !== undefined")
    page.wait_for_function("document.querySelectorAll('.leaflet-basemap-pane path').length > 100")
    # Drawn, not only present: the page's "scale to the screen" rule must not shrink Leaflet's
    # layers (they sit in 0 px wide panes) to nothing.
    basemap_width = page.evaluate(
        "document.querySelector('.leaflet-basemap-pane svg').getBoundingClientRect().width"
    )
    assert basemap_width > width / 2
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.city-label')]
            .filter(e => e.style.display !== 'none')
            .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
    )
    assert len(boxes) >= 4  # most names fit at this scale (Jilin and Panshi almost touch)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (a, b)
    names = set()
    for _ in range(40):  # Tab through the page: every city's dot is a stop that names it
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if "city-dot" in page.evaluate("document.activeElement.className"):
            names.add(label.split(",")[0])
    assert names == {c.name.en.split(",")[0] for c in demo_cities()}
    page.locator(".city-dot").first.focus()
    page.keyboard.press("Enter")  # opens the city's summary, with a link to its page
    assert page.locator(".leaflet-popup-content a").count() == 1
    # Leaflet fades the popup in: contrast is judged once it is fully opaque.
    page.wait_for_function(
        "getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )

    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context="#map")
    serious = [
        v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    page.close()
