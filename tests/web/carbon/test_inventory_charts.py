"""The inventory page draws its BASIC total by GPC sector and by scope (inline SVG), each chart
with an accessible title and description and a table of the same figures, in three languages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from ecocite.carbon import compute_inventory, demo_activity_path, read_activity
from ecocite.carbon.names import gpc_name
from ecocite.web.carbon.models import CarbonInventory
from ecocite.web.carbon.services import import_activity


@pytest.fixture
def stored(city: Any) -> CarbonInventory:
    path = Path(demo_activity_path("jingzhou"))
    return import_activity(path.name, path.read_bytes(), city=city, gwp_set="ar6", user=None)


@pytest.mark.parametrize(("lang", "engine"), [("fr", "fr"), ("zh-hans", "zh"), ("en", "en")])
def test_charts_by_sector_and_scope_match_the_engine(
    client: Any, stored: CarbonInventory, lang: str, engine: str
) -> None:
    html = client.get(
        reverse("carbon:inventory", args=[stored.pk]), HTTP_ACCEPT_LANGUAGE=lang
    ).content.decode()
    figures = re.findall(
        r'<figure class="chart" id="inventory-chart-\d">(.*?)</figure>', html, re.S
    )
    assert len(figures) == 2
    rows = compute_inventory(
        read_activity(demo_activity_path("jingzhou")), gwp_set="ar6"
    ).by_sector("basic")
    expected = [rows.groupby("sector")["co2e_t"].sum(), rows.groupby("scope")["co2e_t"].sum()]
    for figure, totals in zip(figures, expected, strict=True):
        svg = re.search(r"<svg.*?</svg>", figure, re.S)
        assert svg is not None
        assert re.search(r"<title>[^<]+</title><desc>[^<]+</desc>", svg.group(0))
        drawn = [
            float(v) for v in re.findall(r'class="bar"[^>]*data-value="([^"]+)"', svg.group(0))
        ]
        assert drawn == pytest.approx(list(totals.values), rel=1e-6)
        assert sum(drawn) == pytest.approx(stored.basic_co2e_t, rel=1e-6)
        table = re.search(r'<table class="chart-data">.*?</table>', figure, re.S)
        assert table is not None and table.group(0).count('<th scope="row">') == len(totals)
    # GPC sector names in the reader's language, in the chart and its table.
    for code in ("I", "II", "III"):
        assert gpc_name(code, engine) in figures[0]
