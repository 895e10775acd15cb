"""Scenario sliders in Debian's Chromium at phone width: move a slider by the keyboard and see
the indicator change at once, submit the vision; axe-core finds no serious or critical problem
in three languages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from ecocite.scenario.site import bundled_site
from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import services as consultations
from ecocite.web.sliders import services
from ecocite.web.sliders.models import Vision

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/ecocite-sliders-shots")


def _serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} {[n['html'][:120] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def _sign_in(context: Any, base: str, name: str, password: str) -> Any:
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return page


def test_move_a_slider_and_submit_the_vision(
    browser: Any, live_server: Any, make_user: Any, city: Any, password: str
) -> None:
    SHOTS.mkdir(exist_ok=True)
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    make_user("rosa", (RoleKind.RESIDENT, None))
    process = consultations.create_process(
        admin, city, consultations.standard_phases(timezone.now() - timedelta(days=40)),
        slug="vegueta", scale="operation", title_fr="Vegueta", decision_fr="Plan",
    )  # fmt: skip
    site = services.create_site(
        admin, process, definition=bundled_site("vegueta").read_text(encoding="utf-8"),
        sliders=["density", "green_share", "transit_share", "renewable_share"],
        facilities=["kindergarten"], title_fr="Vegueta : quelle vision ?", title_en="Vegueta: which vision?",
        title_zh="维格塔：怎样的愿景？",
    )  # fmt: skip
    base = live_server.url
    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, base, "rosa", password)
    page.goto(f"{base}/sliders/{site.pk}/")
    green_row = page.locator("#effect-table tbody tr").nth(3)
    before = green_row.locator("td").nth(1).inner_text()
    page.focus("#s-green_share")
    for _ in range(10):
        page.keyboard.press("ArrowRight")  # +1 % each
    page.wait_for_function(
        "b => document.querySelectorAll('#effect-table tbody tr')[3].querySelectorAll('td')[1].textContent !== b",
        arg=before,
    )
    after = green_row.locator("td").nth(1).inner_text()
    assert after != before
    assert "green_share=" in page.url  # the address keeps the positions
    page.check("input[name=facility][value=kindergarten]")
    page.wait_for_function(
        "() => document.querySelector('#circles-table tbody tr th').textContent.includes('(')"
    )
    page.fill("#id_title", "Plus de jardins")
    with page.expect_navigation():
        page.get_by_role("button", name="Soumettre ma vision").click()
    vision = Vision.objects.get()
    default_green = site.site.defaults()["green_share"]
    assert vision.settings["green_share"] == pytest.approx(round(default_green) + 10, abs=1)
    context.close()

    for language in ("fr", "zh-hans", "en"):
        context = browser.new_context(viewport=PHONE)
        page = _sign_in(context, base, "ada", password)
        with page.expect_navigation():
            page.select_option("select[name=language]", language)
        for path in (
            f"/sliders/{site.pk}/",
            f"/sliders/{site.pk}/visions/",
            f"/sliders/process/{process.slug}/",
        ):
            page.goto(f"{base}{path}")
            assert page.get_attribute("html", "lang").lower() == language
            assert _serious(page) == [], f"{language} {path}"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"] + 1, f"{language} {path} scrolls sideways ({width} px)"
        page.goto(f"{base}/sliders/{site.pk}/?green_share=25&density=150")
        page.screenshot(path=str(SHOTS / f"site-{language}.png"), full_page=True)
        context.close()
