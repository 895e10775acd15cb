"""One city from application to certificate in Debian's Chromium, each step by the right
person; axe-core finds no serious or critical problem on the label pages in three languages,
at phone width too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ecocite.web.label.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SITE = (
    '{"type": "Polygon", "coordinates": [[[112.2, 30.3], [112.3, 30.3], [112.3, 30.4],'
    " [112.2, 30.4], [112.2, 30.3]]]}"
)


def _serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} {[n['html'][:120] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def _offset(page: Any, selector: str, x: int, y: int) -> tuple[float, float]:
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    return box["x"] + min(x, box["width"] - 10), box["y"] + min(y, box["height"] - 10)


class Person:
    """A signed-in browser context for one person (English pages unless told)."""

    def __init__(self, browser: Any, base: str, user: Any, password: str, lang: str = "en"):
        user.preferred_language = lang
        user.save(update_fields=["preferred_language"])
        self.base = base
        self.context = browser.new_context(viewport=PHONE)
        self.page = self.context.new_page()
        self.page.goto(f"{base}/accounts/login/")
        self.page.fill("#id_username", user.username)
        self.page.fill("#id_password", password)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def go(self, path: str) -> Any:
        self.page.goto(f"{self.base}{path}")
        return self.page

    def click(self, name: str) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=name).click()

    def close(self) -> None:
        self.context.close()


def test_one_city_from_application_to_certificate(
    browser: Any,
    live_server: Any,
    label: dict[str, Any],
    frozen_run: Any,
    processes: dict[str, Any],
    password: str,
    tmp_path: Path,
) -> None:
    p, base = label["people"], live_server.url
    charter = tmp_path / "charter.pdf"
    charter.write_bytes(PDF)

    official = Person(browser, base, p["official"], password)
    page = official.go("/label/calls/call-2017/apply/")
    assert _serious(page) == [], "apply page"
    page.select_option("#id_city", str(label["city"].pk))
    page.fill("#id_pilot_site_name", "Lake district")
    # drawing on the map fills the field (three corners make a polygon)
    page.wait_for_selector("#site-map.leaflet-container")
    for x, y in ((100, 100), (250, 100), (180, 250)):
        page.mouse.click(*_offset(page, "#site-map", x, y))
    assert '"type":"Polygon"' in page.input_value("#id_pilot_site")
    page.click("#site-clear")
    assert page.input_value("#id_pilot_site") == ""
    page.fill("#id_pilot_site", SITE)
    page.fill("#id_contacts", "Planning bureau")
    page.fill("#id_motivation", "A compact, green city.")
    page.set_input_files("#id_charter", str(charter))
    official.click("Send the application")
    app = Application.objects.get()
    url = f"/label/applications/{app.pk}/"
    assert "The pilot site is not set" not in page.content()

    secretariat = Person(browser, base, p["secretariat"], password)
    secretariat.go(url)
    secretariat.click("Move to: diagnostic")
    official.go(url).select_option("#id_assessment", str(frozen_run.pk))
    official.click("Attach the assessment")
    secretariat.go(url)
    secretariat.click("Move to: co-construction")
    for scale, process in processes.items():
        page = official.go(url)
        page.select_option("#id_process", str(process.pk))
        page.select_option("#id_scale", scale)
        official.click("Link the consultation")
    page = official.go(url)
    page.click("summary:has-text('Add an action')")
    page.fill("#id_title", "Sponge parks")
    page.select_option("#id_indicator", "sponge_city_area_share")
    page.fill("#id_target_value", "40")
    page.fill("#id_target_year", "2025")
    page.fill("#id_owner", "Water bureau")
    page.fill("#id_budget", "1000000")
    official.click("Add the action")
    for side, who in (("fr", "fr1"), ("cn", "cn1")):
        page = secretariat.go(url)
        page.select_option("#id_side", side)
        page.select_option("#id_assessor", str(p[who].pk))
        secretariat.click("Assign the assessor")
    secretariat.go(url)
    secretariat.click("Move to: expert review")

    for who in ("fr1", "cn1"):
        assessor = Person(browser, base, p[who], password)
        page = assessor.go(url)
        page.get_by_role("link", name="Write your review").click()
        page.wait_for_selector("#id_site_visit")
        page.fill("#id_site_visit", "Visited the lake shore.")
        page.fill("#id_finding_land_use", "Compact centre.")
        page.select_option("#id_recommended_level", "one_star")
        assessor.click("Submit the review")
        assert _serious(page) == [], f"review page of {who}"
        assessor.close()
    secretariat.go(url)
    secretariat.click("Move to: jury")

    for who in ("chair", "j1", "j2"):
        juror = Person(browser, base, p[who], password)
        page = juror.go(url)
        assert "Evidence bundle" not in page.content()  # declare first
        page.check("input[name=no_conflict][value='1']")
        juror.click("Declare")
        assert "Evidence bundle" in page.content()
        page.check("input[name=vote][value=award]")
        page.fill("#id_comment", "A convincing plan.")
        juror.click("Vote")
        if who == "chair":
            chair = juror
        else:
            juror.close()
    page = chair.go(url)
    page.fill("#reasons-labelled", "Sound diagnostic, reviews and plan.")
    page.select_option("#level-labelled", "one_star")
    chair.click("Move to: labelled")
    app.refresh_from_db()
    assert app.stage == "labelled" and app.certificate_code
    chair.close()

    # anyone checks the certificate by its code
    visitor = browser.new_context(viewport=PHONE)
    page = visitor.new_page()
    page.goto(f"{base}/label/registry/")
    page.fill("#id_code", app.certificate_code.lower())
    with page.expect_navigation():
        page.click("form[action$='check/'] button[type=submit]")
    assert app.certificate_code in page.content() and page.locator(".cert-qr svg").count() == 1
    page.screenshot(path="/tmp/ecocite-label-certificate.png", full_page=True)
    visitor.close()

    pages = [
        "/label/",
        "/label/registry/",
        f"/label/certificates/{app.certificate_code}/",
        "/label/programmes/sfe-2017/",
        url,
        f"/label/reviews/{app.reviews.get(side='fr').pk}/",
    ]
    for language in ("fr", "zh-hans", "en"):
        person = Person(browser, base, p["secretariat"], password, lang=language)
        for path in pages:
            page = person.go(path)
            assert page.get_attribute("html", "lang").lower() == language
            assert _serious(page) == [], f"{language} {path}"
            wide = page.evaluate(
                "[...document.querySelectorAll('main *')].filter(e => "
                "e.getBoundingClientRect().right > 392 && !e.closest('.table-scroll, #map'))"
                ".slice(0, 3).map(e => e.outerHTML.slice(0, 80))"
            )
            assert wide == [], f"{language} {path}: wider than the phone: {wide}"
        page = person.go(url)
        page.screenshot(path=f"/tmp/ecocite-label-application-{language}.png", full_page=True)
        person.close()
    official.close()
    secretariat.close()
