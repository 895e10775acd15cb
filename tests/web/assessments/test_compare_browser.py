"""The comparison page in Debian's Chromium: pick cities and years, read, download; fr/zh/en at
390 px, axe-core finds no serious or critical violation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


def _axe_serious(axe: Any, page: Any) -> list[str]:
    results = axe.run(page, options={"resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}×)"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_compare_cities_and_years_in_three_languages(
    browser: Any, live_server: Any, portfolio: Any, tmp_path: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    slugs = portfolio(3)
    portfolio(1, country="FR")
    shots = Path(os.environ.get("ECOCITE_SCREENSHOTS") or tmp_path)
    problems: list[str] = []
    for lang, title in (("fr", "Comparer villes et années"), ("zh-hans", "比较城市与年份"),
                        ("en", "Compare cities and years")):  # fmt: skip
        context = browser.new_context(viewport=PHONE, locale=lang, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{live_server.url}/compare/")
        if page.locator("html").get_attribute("lang") != lang:
            with page.expect_navigation():
                page.select_option("#language-select", lang)
        assert page.locator("h1").inner_text() == title
        # Every city by default; then two cities picked one by one, and two years.
        assert page.locator("#compare-table tbody tr").count() == 4
        page.select_option("#id_set", "")
        page.select_option("#id_cities", [slugs[0], slugs[2]])
        page.check("#id_years_1")  # 2020
        page.check("#id_years_2")  # 2021
        with page.expect_navigation():
            page.click("#compare-submit")
        assert page.locator("#compare-table tbody tr").count() == 2
        assert "years=2020" in page.url and "years=2021" in page.url
        assert page.locator("svg.chart.trend").count() >= 2
        assert page.locator("#differ-table tbody tr").count() > 0
        # The data table behind a chart opens from the keyboard.
        page.locator("details summary").first.focus()
        page.keyboard.press("Enter")
        assert page.locator("details").first.get_attribute("open") is not None
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"] + 1:
            problems.append(f"{lang}: page {width} px wide")
        serious = _axe_serious(axe, page)
        if serious:
            problems.append(f"{lang}: axe {serious}")
        page.screenshot(path=str(shots / f"compare-{lang}.png"), full_page=True)
        with page.expect_download() as download:
            page.click("#compare-csv")
        csv = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert len(csv.strip().splitlines()) == 1 + 2 * 2  # header + 2 cities × 2 years
        context.close()
    assert problems == [], "\n".join(problems)
