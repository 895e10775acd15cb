"""Moderation in Debian's Chromium at phone width: a resident reports a comment, the process's
moderator hides it with a public reason, everyone then sees the placeholder with that reason.
The moderation, proposal, phases and body pages have no serious or critical axe-core problem in
French, Chinese and English, and none scrolls sideways at 390 px.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.consultations import services
from ecocite.web.consultations.models import Body, Membership
from ecocite.web.interactions.models import Comment, Report

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
SHOTS = "/tmp/ecocite-moderation"


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


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1)


def test_report_hide_with_a_reason_and_the_placeholder(
    browser: Any, live_server: Any, make_user: Any, city: Any, password: str
) -> None:
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    troll = make_user("troll", (RoleKind.RESIDENT, None))
    mona = make_user("mona")
    body = Body.objects.create(
        slug="forum", name_fr="Forum citoyen", name_zh="市民论坛", name_en="Citizens' forum",
        charter_fr="Nous imaginons la ville ensemble.", illustrative=True,
    )  # fmt: skip
    Membership.objects.create(body=body, name="Association du quartier", college="associations")
    process = services.create_process(
        admin, city, services.standard_phases(timezone.now() - timedelta(days=40)),
        slug="centre", scale="territory", title_fr="Cœur de ville", title_en="Town centre",
        title_zh="城市中心", decision_fr="Plan guide", body=body,
    )  # fmt: skip
    Role.objects.create(user=mona, kind=RoleKind.MODERATOR, scope=process)
    proposal = services.submit_proposal(rosa, process, title="Un jardin", body="Sur la friche.")
    bad = services.comment_on(troll, proposal, "Texte injurieux à masquer.")
    services.comment_on(rosa, proposal, "Restons courtois.", parent=bad)
    base = live_server.url
    url = f"{base}/consultations/proposals/{proposal.pk}/"

    # A resident reports the comment (the report form opens from its summary).
    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, base, "rosa", password)
    page.goto(url)
    comment = page.locator(f"#comment-{bad.pk}")
    comment.locator("summary", has_text="Signaler").click()
    comment.locator("select[name=reason]").select_option("offensive")
    comment.locator("textarea[name=explanation]").fill("Des insultes.")
    with page.expect_navigation():
        comment.get_by_role("button", name="Envoyer le signalement").click()
    assert Report.objects.filter(reason="offensive", explanation="Des insultes.").exists()
    context.close()

    # The moderator sees the queue and hides the comment with a public reason.
    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, base, "mona", password)
    page.goto(f"{base}/consultations/centre/moderation/")
    assert "Texte injurieux à masquer." in page.inner_text("#queue ~ section")
    assert _serious(page) == [], "moderation queue"
    page.screenshot(path=f"{SHOTS}-queue.png", full_page=True)
    page.fill(f"#reason-comment-{bad.pk}", "Propos injurieux envers un participant.")
    with page.expect_navigation():
        page.get_by_role("button", name="Masquer", exact=True).click()
    bad.refresh_from_db()
    assert bad.hidden_reason == "Propos injurieux envers un participant."
    assert "Propos injurieux envers un participant." in page.inner_text("#log ~ div")
    context.close()

    # Everyone sees the placeholder with the reason; the answer stays in the thread.
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(url)
    placeholder = page.locator(f"#comment-{bad.pk} .placeholder")
    assert "Propos injurieux envers un participant." in placeholder.inner_text()
    assert "Texte injurieux" not in page.content()
    assert "Restons courtois." in page.content()
    assert _serious(page) == [], "proposal with a hidden comment"
    page.screenshot(path=f"{SHOTS}-placeholder.png", full_page=True)
    context.close()
    assert Comment.objects.filter(hidden_at__isnull=False).count() == 1

    # Three languages at phone width: moderation, proposal, phases and body pages.
    pages = [
        "/consultations/centre/moderation/",
        f"/consultations/proposals/{proposal.pk}/",
        "/consultations/centre/phases/",
        "/consultations/centre/",
        "/consultations/bodies/forum/",
    ]
    for language in ("fr", "zh-hans", "en"):
        context = browser.new_context(viewport=PHONE)
        page = _sign_in(context, base, "mona", password)
        with page.expect_navigation():
            page.select_option("select[name=language]", language)  # submits on change
        for path in pages:
            page.goto(f"{base}{path}")
            # open every fold so axe also checks the report, reply and moderation forms
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            assert page.get_attribute("html", "lang").lower() == language
            assert _serious(page) == [], f"{language} {path}"
            assert _fits(page), f"{language} {path} scrolls sideways"
        page.goto(f"{base}/consultations/proposals/{proposal.pk}/")
        page.screenshot(path=f"{SHOTS}-{language}.png", full_page=True)
        page.goto(f"{base}/consultations/centre/phases/")
        page.screenshot(path=f"{SHOTS}-phases-{language}.png", full_page=True)
        context.close()
    # A visitor without an account meets the honeypot nowhere in sight, and axe is content.
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(url)
    assert page.locator("input[name=website]").count() == 0  # no anonymous commenting here
    context.close()
