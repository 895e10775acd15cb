"""A participant answers a survey in Debian's Chromium at phone width: by keyboard only, then
with the map; a conditional question appears and hides as the answer it depends on changes;
axe-core finds no serious or critical problem on the survey, builder and results pages in three
languages.
"""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import services as consultations
from ecocite.web.consultations.models import Process
from ecocite.web.consultations.services import PhaseSpec
from ecocite.web.surveys.models import Response, Survey

from .conftest import SITE, q

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def frozen_now() -> None:
    """The live server runs on the real clock here (sessions and phases alike)."""


@pytest.fixture
def process(admin: Any, city: Any) -> Process:
    now = timezone.now()
    return consultations.create_process(
        admin, city,
        [PhaseSpec("Enquête", now - timedelta(days=1), now + timedelta(days=20), ("answer_survey",))],
        slug="centre", scale="operation", title_fr="Cœur de ville", title_zh="城市中心",
        title_en="Town centre", decision_fr="Plan guide", site=SITE,
    )  # fmt: skip


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


def test_keyboard_only_answer_with_a_conditional_and_a_map_question(
    browser: Any, live_server: Any, make_user: Any, survey: Survey, password: str
) -> None:
    make_user("rosa", (RoleKind.RESIDENT, None))
    base = live_server.url
    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, base, "rosa", password)
    page.goto(f"{base}/surveys/{survey.pk}/")
    why = f"#{q(survey, 3).field}-box"
    assert page.locator(why).is_hidden()  # Q3 shows only if Q1 is « vélo »
    # Q1: Tab into the radio group lands on its first option (vélo); Space chooses it.
    page.focus("#college")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.locator(why).is_visible()
    page.focus(f"#{q(survey, 3).field}")
    page.keyboard.type("Plus rapide")
    page.focus(f"input[name={q(survey, 4).field}][value='7']")
    page.keyboard.press("Space")
    for index, rank in enumerate(["2", "1", "3"]):
        page.focus(f"#{q(survey, 5).field}_{index}")
        page.keyboard.type(rank)
    page.focus(f"#{q(survey, 6).field}")
    page.keyboard.type("12,5")
    # The map questions' keyboard route: the text box below each map.
    page.focus(f"#{q(survey, 7).field}")
    page.keyboard.type("112.25, 30.35")
    page.focus(f"#{q(survey, 8).field}")
    page.keyboard.type(
        '{"type": "Polygon", "coordinates": [[[112.21, 30.31], [112.22, 30.31], '
        "[112.22, 30.32], [112.21, 30.31]]]}"
    )
    page.focus("form.survey-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    response = Response.objects.get()
    texts = {a.question_id: a for a in response.answers.all()}
    assert texts[q(survey, 3).pk].text == "Plus rapide"
    assert texts[q(survey, 7).pk].geometry == {"type": "Point", "coordinates": [112.25, 30.35]}
    assert texts[q(survey, 6).pk].number == 12.5
    page.screenshot(path="/tmp/ecocite-survey-answered.png", full_page=True)
    context.close()


def test_the_map_places_a_point_and_a_changed_answer_hides_the_condition(
    browser: Any, live_server: Any, make_user: Any, survey: Survey, password: str
) -> None:
    make_user("rita", (RoleKind.RESIDENT, None))
    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, live_server.url, "rita", password)
    page.goto(f"{live_server.url}/surveys/{survey.pk}/")
    page.check(f"input[name={q(survey, 1).field}][value='0']")
    assert page.locator(f"#{q(survey, 3).field}-box").is_visible()
    page.check(f"input[name={q(survey, 1).field}][value='1']")
    assert page.locator(f"#{q(survey, 3).field}-box").is_hidden()
    box = page.locator(f"#{q(survey, 7).field}-map")
    box.scroll_into_view_if_needed()
    bounds = box.bounding_box()
    page.mouse.click(bounds["x"] + bounds["width"] / 2, bounds["y"] + bounds["height"] / 2)
    lon, lat = (float(v) for v in page.input_value(f"#{q(survey, 7).field}").split(","))
    assert 112.2 < lon < 112.3 and 30.3 < lat < 30.4
    area = page.locator(f"#{q(survey, 8).field}-map")
    area.scroll_into_view_if_needed()
    b = area.bounding_box()
    for dx, dy in ((0.4, 0.4), (0.6, 0.4), (0.5, 0.6)):
        page.mouse.click(b["x"] + b["width"] * dx, b["y"] + b["height"] * dy)
    polygon = json.loads(page.input_value(f"#{q(survey, 8).field}"))
    assert polygon["type"] == "Polygon" and len(polygon["coordinates"][0]) == 4
    page.check(f"input[name={q(survey, 4).field}][value='3']")
    page.select_option(f"#{q(survey, 5).field}_0", "1")
    page.select_option(f"#{q(survey, 5).field}_1", "2")
    page.select_option(f"#{q(survey, 5).field}_2", "3")
    with page.expect_navigation():
        page.click("form.survey-form button[type=submit]")
    answers = Response.objects.get().answers
    assert not answers.filter(question=q(survey, 3)).exists()
    assert answers.get(question=q(survey, 8)).geometry["type"] == "Polygon"
    context.close()


def test_survey_pages_are_accessible_in_three_languages_at_phone_width(
    browser: Any, live_server: Any, admin: Any, make_user: Any, survey: Survey, password: str
) -> None:
    from ecocite.web.surveys import services

    from .conftest import full_answer

    for i in range(3):
        services.submit_answers(
            make_user(f"p{i}"), survey, full_answer(survey), college="residents"
        )
    base = live_server.url
    paths = [
        f"/surveys/{survey.pk}/",
        f"/surveys/{survey.pk}/results/",
        f"/surveys/{survey.pk}/build/",
        "/surveys/new/centre/",
        "/surveys/",
    ]
    for language in ("fr", "zh-hans", "en"):
        context = browser.new_context(viewport=PHONE)
        page = _sign_in(context, base, admin.username, password)
        with page.expect_navigation():
            page.select_option("select[name=language]", language)
        for path in paths:
            page.goto(f"{base}{path}")
            assert page.get_attribute("html", "lang").lower() == language
            assert _serious(page) == [], f"{language} {path}"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"] + 1, f"{language} {path} scrolls sideways"
        page.goto(f"{base}/surveys/{survey.pk}/results/")
        page.wait_for_timeout(300)
        page.screenshot(path=f"/tmp/ecocite-survey-results-{language}.png", full_page=True)
        page.goto(f"{base}/surveys/{survey.pk}/")
        page.screenshot(path=f"/tmp/ecocite-survey-{language}.png", full_page=True)
        context.close()
    # A survey answered with an error, in French: the error is shown and announced.
    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, base, "p0", password)
    page.goto(f"{base}/surveys/{survey.pk}/")
    page.select_option(f"#{q(survey, 5).field}_1", "2")
    with page.expect_navigation():
        page.click("form.survey-form button[type=submit]")
    assert page.locator("#survey-errors").is_visible()
    assert _serious(page) == [], "errors"
    page.screenshot(path="/tmp/ecocite-survey-errors.png", full_page=True)
    context.close()
