"""A participant in Debian's Chromium, by the keyboard, at phone width: propose, support,
comment; an official answers; axe-core finds no serious or critical problem in three languages.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import services
from ecocite.web.consultations.models import Proposal

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}


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


def test_keyboard_journey_and_accessibility(
    browser: Any, live_server: Any, make_user: Any, city: Any, password: str
) -> None:
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    make_user("rosa", (RoleKind.RESIDENT, None))
    make_user("olga", (RoleKind.CITY_OFFICIAL, city))
    process = services.create_process(
        admin, city, services.standard_phases(timezone.now() - timedelta(days=40)),
        slug="centre", scale="territory", title_fr="Cœur de ville", title_en="Town centre",
        title_zh="城市中心", decision_fr="Plan guide", categories=["nature"],
    )  # fmt: skip
    base = live_server.url
    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, base, "rosa", password)
    page.goto(f"{base}/consultations/{process.slug}/propose/")
    # The keyboard route: Tab from field to field, type, submit with Enter on the button.
    page.focus("#id_title")
    page.keyboard.type("Un jardin partagé")
    page.keyboard.press("Tab")
    page.keyboard.type("Sur la friche de la gare.")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # category (none), then heritage
    page.focus("#id_geometry_0")  # the place's GeoJSON box (the map and place search come first)
    page.keyboard.type('{"type": "Point", "coordinates": [112.2, 30.3]}')
    page.focus("form[enctype] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/proposals/*/")
    proposal = Proposal.objects.get()
    assert proposal.geometry == {"type": "Point", "coordinates": [112.2, 30.3]}
    page.get_by_role("button", name="Soutenir cette proposition").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.inner_text("#supports") == "1"
    page.focus("#id_text")
    page.keyboard.type("Bonne idée !")
    page.get_by_role("button", name="Publier le commentaire").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Bonne idée !" in page.content()
    context.close()

    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, base, "olga", password)
    page.goto(f"{base}/consultations/proposals/{proposal.pk}/")
    page.select_option("#id_status", "accepted")
    page.fill("#id_answer", "Retenue pour 2027.")
    with page.expect_navigation():
        page.get_by_role("button", name="Publier la réponse").click()
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    page.goto(f"{base}/consultations/proposals/{proposal.pk}/")
    assert _serious(page) == [], "official's proposal page"
    page.screenshot(path="/tmp/ecocite-consultations-proposal.png", full_page=True)
    context.close()

    pages = [
        f"/consultations/{process.slug}/",
        f"/consultations/{process.slug}/accountability/",
        f"/consultations/proposals/{proposal.pk}/",
        "/consultations/",
    ]
    for language in ("fr", "zh-hans", "en"):
        context = browser.new_context(viewport=PHONE)
        page = _sign_in(context, base, "rosa", password)
        # The header's language switch, as a person uses it.
        with page.expect_navigation():
            page.select_option("select[name=language]", language)  # submits on change
        for path in [*pages, f"/consultations/{process.slug}/propose/"]:
            page.goto(f"{base}{path}")
            assert page.get_attribute("html", "lang").lower() == language
            assert _serious(page) == [], f"{language} {path}"
            width = page.evaluate("document.documentElement.scrollWidth")
            wide = page.evaluate(
                "[...document.querySelectorAll('body *')].filter(e => "
                "e.getBoundingClientRect().right > 392).slice(0, 3).map(e => e.outerHTML.slice(0, 80))"
            )
            assert width <= PHONE["width"] + 1, f"{language} {path} scrolls sideways: {wide}"
        page.goto(f"{base}/consultations/{process.slug}/")
        page.screenshot(path=f"/tmp/ecocite-consultations-{language}.png", full_page=True)
        context.close()
