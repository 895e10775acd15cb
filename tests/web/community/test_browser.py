"""Communities of practice in Debian's Chromium at phone width: an organiser publishes a call, a
young professional answers, the organiser accepts her (she becomes facilitator of the process),
the closed process is published as a case, and a visitor finds it by filters in another
language; axe-core finds no serious or critical problem on the pages in three languages.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.community.models import Case, Organisation, Profile
from ecocite.web.consultations import services as consultations
from ecocite.web.workshops.models import Workshop

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/ecocite-community-shots")


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


def _no_sideways_scroll(page: Any, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{where} scrolls sideways ({width} px)"


def test_call_to_case_journey(
    browser: Any, live_server: Any, make_user: Any, city: Any, password: str
) -> None:
    SHOTS.mkdir(exist_ok=True)
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    make_user("olga", (RoleKind.CITY_OFFICIAL, city))
    li = make_user("li", (RoleKind.RESEARCHER, None))
    uni = Organisation.objects.create(slug="uni", kind="university", name_fr="Université du fleuve")
    Profile.objects.create(
        user=li, display_name="Li Na", discipline="geography", career_stage="student",
        languages=["zh", "fr"], institution=uni, city=city,
        public_fields=["discipline", "career_stage", "languages", "institution", "city"],
    )  # fmt: skip
    process = consultations.create_process(
        admin, city, consultations.standard_phases(timezone.now() - timedelta(days=400)),
        slug="berges", scale="operation", title_fr="Berges inondables", title_zh="可淹没的滨江",
        title_en="Floodable riverside", decision_fr="Programme du parc",
    )  # fmt: skip
    base = live_server.url

    # The organiser publishes a call that makes accepted people facilitators.
    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, base, "olga", password)
    page.goto(f"{base}/community/processes/{process.slug}/call/")
    page.select_option("#id_help_kind", "facilitation")
    page.fill("#id_title_fr", "Animer l'atelier des berges")
    page.fill("#id_starts_on", "2026-01-10")
    page.fill("#id_ends_on", "2026-02-10")
    page.check("input[name=languages][value=zh]")
    page.check("input[name=disciplines][value=geography]")
    page.check("#id_grants_facilitator")
    with page.expect_navigation():
        page.get_by_role("button", name="Publier l'appel").click()
    call_url = page.url
    # The suggestions explain why Li Na is ranked.
    assert "Li Na" in page.inner_text("main")
    assert "zh" in page.inner_text("ol")
    context.close()

    # Li Na answers by the keyboard.
    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, base, "li", password)
    page.goto(call_url)
    page.focus("#id_message")
    page.keyboard.type("Notre atelier de master peut animer, en chinois et en français.")
    page.get_by_role("button", name="Envoyer ma réponse").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "en attente" in page.inner_text("main")
    context.close()

    # The organiser accepts; Li Na is now facilitator of the process.
    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, base, "olga", password)
    page.goto(call_url)
    with page.expect_navigation():
        page.get_by_role("button", name="Accepter").click()
    assert Role.objects.filter(user=li, kind=RoleKind.FACILITATOR).exists()
    context.close()

    # Li Na now facilitates the process's workshop: she opens its room page to type contributions.
    workshop = Workshop.objects.create(
        process=process, kind="in_person", title_fr="Atelier des berges", address="Mairie",
        time_zone="Asia/Shanghai", starts_at=timezone.now() - timedelta(days=390),
        ends_at=timezone.now() - timedelta(days=390) + timedelta(hours=2),
    )  # fmt: skip
    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, base, "li", password)
    page.goto(f"{base}/workshops/{workshop.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Dans la salle : saisir les contributions").click()
    assert page.url.endswith(f"/workshops/{workshop.pk}/room/")
    context.close()
    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, base, "olga", password)
    # The process has closed: the organiser publishes it as a case.
    page.goto(f"{base}/community/processes/{process.slug}/publish/")
    page.fill("#id_question_fr", "Comment faire un parc qui accepte les crues ?")
    page.fill("#id_lessons_fr", "Les ateliers bilingues ont fait venir les étudiants.")
    page.check("input[name=themes][value=water]")
    with page.expect_navigation():
        page.get_by_role("button", name="Publier le cas").click()
    case = Case.objects.get()
    assert case.figures["contributors_universities"] == 1
    assert case.figures["contributors_young_professionals"] == 1
    context.close()

    # A visitor reading Chinese finds the case by its theme and the language it is written in.
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{base}/community/cases/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")  # the header's language switch
    page.select_option("#id_theme", "water")
    page.select_option("select#id_language", "fr")
    with page.expect_navigation():
        page.get_by_role("button", name="筛选").click()
    link = page.get_by_role("link", name="可淹没的滨江")
    with page.expect_navigation():
        link.click()
    assert "Comment faire un parc" in page.inner_text("main")  # written in French only
    context.close()

    pages = [
        "/community/",
        "/community/cases/",
        f"/community/cases/{case.slug}/",
        f"/community/cases/compare/?case={case.slug}",
        "/community/calls/",
        call_url.removeprefix(base),
        "/community/people/",
        f"/community/people/{li.community_profile.pk}/",
        "/community/organisations/uni/",
        "/community/people/me/",
    ]
    for language in ("fr", "zh-hans", "en"):
        context = browser.new_context(viewport=PHONE)
        page = _sign_in(context, base, "olga", password)
        with page.expect_navigation():
            page.select_option("select[name=language]", language)
        for path in pages:
            page.goto(f"{base}{path}")
            assert page.get_attribute("html", "lang").lower() == language
            assert _serious(page) == [], f"{language} {path}"
            _no_sideways_scroll(page, f"{language} {path}")
        page.goto(f"{base}/community/cases/{case.slug}/")
        page.screenshot(path=str(SHOTS / f"case-{language}.png"), full_page=True)
        page.goto(call_url)
        page.screenshot(path=str(SHOTS / f"call-{language}.png"), full_page=True)
        context.close()
