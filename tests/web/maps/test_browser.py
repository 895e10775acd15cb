"""The place widget in Debian's Chromium: draw a proposal's area on the map; find its place by
keyboard alone; a big process clusters its markers; axe-core finds no serious or critical
problem in three languages, at phone width and on a desktop."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from shapely.geometry import Point, shape

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations.demo import VEGUETA
from ecocite.web.consultations.models import Process, Proposal

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


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


def _ready(page: Any, selector: str) -> None:
    page.wait_for_selector(f"{selector}[data-ready='1'][data-heritage]", timeout=30_000)


def test_draw_an_area_on_the_map(
    browser: Any, live_server: Any, make_user: Any, vegueta: Process, password: str
) -> None:
    make_user("rosa", (RoleKind.RESIDENT, None))
    context = browser.new_context(viewport=DESKTOP)
    page = _sign_in(context, live_server.url, "rosa", password)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.goto(f"{live_server.url}/consultations/{vegueta.slug}/propose/")
    _ready(page, ".place-map")
    page.fill("#id_title", "Ombre sur la place")
    page.fill("#id_body", "Des voiles au-dessus de la place.")
    box = page.locator(".place-map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.click(".leaflet-pm-icon-polygon")
    corners = [(cx - 60, cy - 40), (cx + 60, cy - 40), (cx + 40, cy + 50), (cx - 50, cy + 40)]
    for x, y in corners:
        page.mouse.click(x, y)
        page.wait_for_timeout(150)
    page.mouse.click(*corners[0])  # back on the first corner: the area is closed
    page.wait_for_selector(".place-map[data-drawn='1']")
    assert "Polygon" in page.input_value("#id_geometry_0")
    assert page.inner_text(".place-status") == "Lieu dessiné sur la carte."
    page.screenshot(path="/tmp/ecocite-maps-draw.png")
    assert problems == []  # no script error, nothing refused by the Content-Security-Policy
    with page.expect_navigation():
        page.get_by_role("button", name="Publier la proposition").click()
    proposal = Proposal.objects.get()
    assert proposal.geometry["type"] == "Polygon"
    drawn = shape(proposal.geometry)
    assert drawn.is_valid and shape(VEGUETA).contains(drawn) and drawn.area > 0
    context.close()


def test_find_the_place_by_keyboard_alone(
    browser: Any, live_server: Any, make_user: Any, vegueta: Process, password: str
) -> None:
    make_user("rosa", (RoleKind.RESIDENT, None))
    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, live_server.url, "rosa", password)
    page.goto(f"{live_server.url}/consultations/{vegueta.slug}/propose/")
    page.focus("#id_title")
    page.keyboard.type("Arbres rue Obispo Codina")
    page.keyboard.press("Tab")
    page.keyboard.type("De l'ombre pour marcher.")
    for _ in range(3):  # category, heritage, then the place search
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_geometry_1"
    assert page.get_attribute("#id_geometry_1", "role") == "combobox"
    page.keyboard.type("obispo cod")
    page.wait_for_selector("#id_geometry_listbox [role=option]")
    assert page.get_attribute("#id_geometry_1", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    active = page.get_attribute("#id_geometry_1", "aria-activedescendant")
    assert active and "Calle Obispo Codina" in page.inner_text(f"#{active}")
    assert page.get_attribute(f"#{active}", "aria-selected") == "true"
    page.keyboard.press("Enter")  # chooses; does not send the form
    assert page.get_attribute("#id_geometry_1", "aria-expanded") == "false"
    assert "Calle Obispo Codina" in page.inner_text(".place-status")
    assert '"Point"' in page.input_value("#id_geometry_0")
    assert page.url.endswith("/propose/") and not Proposal.objects.exists()
    page.screenshot(path="/tmp/ecocite-maps-keyboard.png", full_page=True)
    page.focus("form[enctype] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    proposal = Proposal.objects.get()
    assert proposal.geometry["type"] == "Point"
    assert shape(VEGUETA).contains(Point(proposal.geometry["coordinates"]))
    context.close()


def test_clusters_and_accessibility_in_three_languages(
    browser: Any, live_server: Any, make_user: Any, vegueta: Process, password: str
) -> None:
    make_user("rosa", (RoleKind.RESIDENT, None))
    author = get_user_model().objects.get(username="rosa")
    w, s, e, n = shape(VEGUETA).bounds
    Proposal.objects.bulk_create(
        Proposal(
            process=vegueta, author=author, title=f"Idée {i}", body="Texte.", illustrative=True,
            status="accepted" if i % 3 == 0 else "received",
            geometry={"type": "Point", "coordinates": [w + (e - w) * ((i * 37) % 100) / 100,
                                                       s + (n - s) * ((i * 61) % 100) / 100]},
        )
        for i in range(400)
    )  # fmt: skip
    base = live_server.url
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport)
        page = _sign_in(context, base, "rosa", password)
        errors: list[str] = []
        page.on("pageerror", lambda err, seen=errors: seen.append(str(err)))
        for language in ("fr", "zh-hans", "en"):
            with page.expect_navigation():
                page.select_option("select[name=language]", language)
            page.goto(f"{base}/consultations/{vegueta.slug}/")
            _ready(page, ".process-map")
            page.wait_for_selector(".process-map[data-loaded]", timeout=30_000)
            assert page.get_attribute(".process-map", "data-loaded") == "400", errors
            page.wait_for_selector(".process-map .marker-cluster")
            markers = page.locator(".process-map .leaflet-marker-icon").count()
            assert 0 < markers < 100, markers  # clusters, not 400 markers
            assert _serious(page) == [], f"{language} {viewport} process"
            if viewport is PHONE:
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"] + 1, f"{language} process page scrolls sideways"
            page.locator(".process-map").scroll_into_view_if_needed()
            page.screenshot(path=f"/tmp/ecocite-maps-process-{language}-{viewport['width']}.png")
            # the markers follow the list's filters
            page.goto(f"{base}/consultations/{vegueta.slug}/?status=accepted")
            page.wait_for_selector(".process-map[data-loaded='134']")
            page.goto(f"{base}/consultations/{vegueta.slug}/propose/")
            _ready(page, ".place-map")
            page.fill("#id_geometry_1", "catedral")
            page.wait_for_selector("#id_geometry_listbox [role=option]")
            assert _serious(page) == [], f"{language} {viewport} propose"
            if viewport is PHONE:
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"] + 1, f"{language} form scrolls sideways"
            page.screenshot(path=f"/tmp/ecocite-maps-propose-{language}-{viewport['width']}.png")
        assert errors == []
        context.close()
