"""A visitor without an account in Debian's Chromium, by the keyboard, at phone width: votes on
statements one at a time, submits one, reads the opinion map; axe-core finds no serious or
critical problem in French, Chinese and English, and nothing scrolls sideways.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from ecocite.web.accounts.models import RoleKind
from ecocite.web.conversations import services
from ecocite.web.conversations.models import Participant, Statement, Vote

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def frozen_now() -> None:
    """The browser's clock is real: session cookies must not be dated in the past."""


def _serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} {[n['html'][:120] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def _fits(page: Any, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => "
        "e.getBoundingClientRect().right > 392).slice(0, 3).map(e => e.outerHTML.slice(0, 80))"
    )
    assert width <= PHONE["width"] + 1, f"{where} scrolls sideways: {wide}"


def test_vote_write_and_read_the_map_by_keyboard(
    browser: Any, live_server: Any, make_user: Any, city: Any, make_process: Any, password: str
) -> None:
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    process = make_process(admin, city, anonymous=True, now=timezone.now())
    conversation = services.create_conversation(
        admin, process, topic_fr="La rue", topic_zh="街道", topic_en="The street"
    )
    texts = [
        "Plus d'arbres dans la rue",
        "Les voitures doivent passer",
        "更多自行车道",
        "A market on Sundays",
        "Des bancs à l'ombre",
        "Fermer la rue le soir",
    ]
    statements = [services.add_statement(admin, conversation, t) for t in texts]
    services.moderate(admin, conversation, [s.pk for s in statements], 1)
    participants = Participant.objects.bulk_create(
        [Participant(conversation=conversation, session_token=f"t{i}") for i in range(30)]
    )
    Vote.objects.bulk_create(
        [
            Vote(
                participant=p,
                statement=s,
                value=1 if j == 0 or (j % 2) == (i % 2) else -1,
                voted_at=timezone.now(),
            )
            for i, p in enumerate(participants)
            for j, s in enumerate(statements)
        ]
    )
    services.compute_map(conversation.pk)
    base = live_server.url
    detail = f"{base}/conversations/{conversation.pk}/"

    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(detail)
    shown = page.inner_text("#statement-text")
    assert shown in texts
    assert _serious(page) == [], "voting page"
    page.screenshot(path="/tmp/ecocite-conversations-vote.png", full_page=True)
    # the keyboard route: Tab to "Agree", Enter
    page.get_by_role("button", name="Agree", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "1" in page.inner_text("#progress")
    assert page.inner_text("#statement-text") != shown
    page.get_by_role("button", name="Disagree", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "2" in page.inner_text("#progress")
    assert (
        Vote.objects.filter(participant__session_token__gt="", participant__user=None)
        .exclude(participant__in=participants)
        .count()
        == 2
    )
    page.focus("#id_text")
    page.keyboard.type("Une fontaine à boire")
    page.get_by_role("button", name="Submit the statement").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "once moderated" in page.content()
    assert Statement.objects.filter(text="Une fontaine à boire", moderated=0).exists()
    page.get_by_role("link", name="See the opinion map").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("figure.opinion-map svg[role=img]").count() == 1
    assert "Plus d'arbres dans la rue" in page.inner_text("main")
    context.close()

    mod = make_user("mo", (RoleKind.MODERATOR, None))
    assert mod.pk
    for language in ("fr", "zh-hans", "en"):
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        if language == "fr":
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", "mo")
            page.fill("#id_password", password)
            with page.expect_navigation():
                page.keyboard.press("Enter")
        page.goto(detail)
        with page.expect_navigation():
            page.select_option("select[name=language]", language)  # submits on change
        paths = ["", "map/"] + (["moderate/"] if language == "fr" else [])
        for path in paths:
            page.goto(f"{detail}{path}")
            assert page.get_attribute("html", "lang").lower() == language
            assert _serious(page) == [], f"{language} {path}"
            _fits(page, f"{language} {path}")
        page.goto(f"{detail}map/")
        page.screenshot(path=f"/tmp/ecocite-conversations-map-{language}.png", full_page=True)
        if language == "fr":
            page.goto(f"{detail}moderate/")
            page.screenshot(path="/tmp/ecocite-conversations-moderate.png", full_page=True)
        context.close()
