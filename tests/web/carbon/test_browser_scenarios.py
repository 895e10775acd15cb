"""A planner saves carbon scenarios from the pathway page, compares them and exports them, in fr,
zh-Hans and en on a 390 px phone (Debian's Chromium); axe-core finds nothing serious or critical,
and no page scrolls sideways. The inventory page's charts are checked on the way."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ecocite.web.accounts.models import RoleKind

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
LANGS = ("fr", "zh-hans", "en")
SAVE = {"fr": "Enregistrer comme scénario", "zh-hans": "保存为情景", "en": "Save as a scenario"}


def _sign_in(page: Any, base: str, name: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", password)
    page.click("#signin-submit")
    page.wait_for_url(f"{base}/")


def _check(page: Any, axe: Any, where: str) -> list[str]:
    found = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"] + 1:
        found.append(f"{where}: {width} px wide")
    results = axe.run(page, options={"resultTypes": ["violations"]})
    found += [
        f"{where}: axe {v['id']} ({v['impact']}, {len(v['nodes'])}×)"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    return found


def test_save_compare_export_in_three_languages(
    browser: Any, live_server: Any, city: Any, make_user: Any, password: str, tmp_path: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from ecocite.carbon import demo_activity_path
    from ecocite.web.carbon.models import CarbonScenario
    from ecocite.web.carbon.services import import_activity

    activity = Path(demo_activity_path("jingzhou"))
    record = import_activity(
        activity.name, activity.read_bytes(), city=city, gwp_set="ar6", user=None
    )
    make_user("planner", (RoleKind.CITY_OFFICIAL, city))
    axe = Axe()
    base = live_server.url
    shots = Path(os.environ.get("ECOCITE_SCREENSHOTS") or tmp_path)
    problems: list[str] = []
    for k, lang in enumerate(LANGS):
        context = browser.new_context(viewport=PHONE, locale=lang, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(60_000)
        _sign_in(page, base, "planner", password)
        if page.locator("html").get_attribute("lang") != lang:
            with page.expect_navigation():
                page.select_option("#language-select", lang)

        # The inventory page: two charts, each with a title, a description and a table.
        page.goto(f"{base}/carbon/inventories/{record.pk}/")
        assert page.locator("figure.chart svg[role='img'] desc").count() == 2
        assert page.locator("figure.chart table.chart-data").count() == 2
        problems += _check(page, axe, f"{lang} inventory")
        page.screenshot(path=str(shots / f"scenarios-{lang}-inventory.png"), full_page=True)

        # The pathway page with a lever changed, then "save as a scenario" with these levers.
        page.goto(f"{base}/carbon/inventories/{record.pk}/pathway/")
        page.fill("#id_lever_grid_decarbonisation", str(0.3 + 0.3 * k))
        with page.expect_navigation():
            page.click("#carbon-pathway")
        save = page.locator("#save-scenario")
        assert save.inner_text() == SAVE[lang]
        with page.expect_navigation():
            save.click()
        assert float(page.input_value("#id_lever_grid_decarbonisation")) == pytest.approx(
            0.3 + 0.3 * k
        )
        problems += _check(page, axe, f"{lang} scenario form")
        page.fill("#id_name", f"Plan {lang} <b>")
        page.fill("#id_description", "=1+1 illustrative")
        page.fill("#id_draws", "400")
        with page.expect_navigation():
            page.click("#scenario-save")
        page.wait_for_selector("svg.bands")
        assert page.locator("h1").inner_text().count(f"Plan {lang} <b>") == 1  # text, not markup
        problems += _check(page, axe, f"{lang} scenario")
        page.screenshot(path=str(shots / f"scenarios-{lang}-scenario.png"), full_page=True)

        # The list, then the comparison of every scenario saved so far.
        page.goto(f"{base}/carbon/cities/{city.slug}/scenarios/")
        problems += _check(page, axe, f"{lang} list")
        with page.expect_navigation():
            page.click("#scenario-compare")
        chart = page.locator("#scenario-chart svg")
        assert chart.locator("polyline.band-line").count() == k + 1
        assert chart.locator("line.marker").count() == 2
        assert page.locator("#scenario-figures tbody tr").count() == k + 1
        problems += _check(page, axe, f"{lang} compare")
        page.screenshot(path=str(shots / f"scenarios-{lang}-compare.png"), full_page=True)

        with page.expect_download() as download:
            page.click("#export-xlsx")
        book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        assert book.sheetnames == ["scenarios", "yearly"]
        names = [row[0] for row in book["scenarios"].iter_rows(min_row=2, values_only=True)]
        assert sorted(names) == sorted(s.name for s in CarbonScenario.objects.all())
        with page.expect_download() as download:
            page.click("#export-csv-yearly")
        text = Path(download.value.path()).read_text(encoding="utf-8")
        assert re.match(r"scenario,city,year,", text)
        context.close()
    assert CarbonScenario.objects.count() == 3
    assert problems == [], "\n".join(problems)
