"""Workshops in Debian's Chromium at phone width: a resident registers and gets a door code, the
facilitator checks her in by that code and types what is said in the room on a tablet, then
closes the workshop with its minutes; axe-core finds no serious or critical problem on the
workshop pages in three languages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.consultations import services as consultations
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.workshops.models import InPersonContribution, Registration, Workshop

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
SHOTS = Path("/tmp/ecocite-workshop-shots")


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


def test_register_check_in_type_in_the_room_and_close(
    browser: Any, live_server: Any, make_user: Any, city: Any, password: str
) -> None:
    SHOTS.mkdir(exist_ok=True)
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    make_user("rosa", (RoleKind.RESIDENT, None))
    fatou = make_user("fatou", (RoleKind.RESIDENT, None))
    # the co-design phase (day 75–120) runs now: it opens joining workshops
    process = consultations.create_process(
        admin, city, consultations.standard_phases(timezone.now() - timedelta(days=80)),
        slug="berges", scale="operation", title_fr="Berges", decision_fr="Plan",
    )  # fmt: skip
    Role.objects.create(user=fatou, kind=RoleKind.FACILITATOR, scope=process)
    start = timezone.now() + timedelta(hours=1)
    workshop = Workshop.objects.create(
        process=process, kind="hybrid", title_fr="Atelier des berges", title_zh="滨江工作坊",
        title_en="Riverside workshop", address="Mairie, salle 2", time_zone="Asia/Shanghai",
        video_url="https://meet.example.org/berges", starts_at=start,
        ends_at=start + timedelta(hours=2), capacity=20, agenda=["Accueil", "Cartes"],
    )  # fmt: skip
    base = live_server.url

    # Rosa registers by the keyboard and reads her door code.
    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, base, "rosa", password)
    page.goto(f"{base}/workshops/{workshop.pk}/")
    page.select_option("#id_college", "residents")
    page.get_by_role("button", name="S'inscrire").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    code = Registration.objects.get().code
    assert code in page.inner_text("main")
    assert "meet.example.org" in page.content()  # the link shows to registered people
    context.close()

    # The facilitator, on a tablet: door code, then a proposal and a comment typed in the room.
    context = browser.new_context(viewport=TABLET)
    page = _sign_in(context, base, "fatou", password)
    page.goto(f"{base}/workshops/{workshop.pk}/door/")
    page.fill("#id_code", code.lower())
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer l'arrivée").click()
    assert Registration.objects.get().attended_at is not None
    page.goto(f"{base}/workshops/{workshop.pk}/room/")
    page.select_option("#id_what", "proposal")
    page.select_option("#id_attendee", str(Registration.objects.get().pk))
    page.fill("#id_title", "Un banc sous le saule")
    page.fill("#id_text", "Pour les anciens du quartier.")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    proposal = Proposal.objects.get()
    page.select_option("#id_what", "comment")
    page.select_option("#id_proposal", str(proposal.pk))
    page.select_option("#id_college", "associations")
    page.fill("#id_text", "L'association entretiendra le banc.")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert InPersonContribution.objects.filter(workshop=workshop).count() == 2
    assert proposal.author.username == "rosa"
    page.screenshot(path=str(SHOTS / "room-fr.png"), full_page=True)
    page.goto(f"{base}/workshops/{workshop.pk}/close/")
    assert page.input_value("#id_attendance_residents") == "1"  # from the door
    page.fill("#id_minutes_fr", "On garde le saule ; un banc sera posé.")
    page.check(f"input[name=outcomes][value='{proposal.pk}']")
    with page.expect_navigation():
        page.get_by_role("button", name="Publier le compte rendu").click()
    workshop.refresh_from_db()
    assert workshop.closed_at is not None and list(workshop.outcomes.all()) == [proposal]
    context.close()

    pages = [f"/workshops/{workshop.pk}/", f"/workshops/process/{process.slug}/",
             f"/workshops/{workshop.pk}/door/", f"/workshops/{workshop.pk}/room/",
             f"/workshops/{workshop.pk}/close/", f"/workshops/process/{process.slug}/new/",
             f"/workshops/{workshop.pk}/edit/", f"/consultations/{process.slug}/"]  # fmt: skip
    for language in ("fr", "zh-hans", "en"):
        context = browser.new_context(viewport=PHONE)
        page = _sign_in(context, base, "ada", password)
        with page.expect_navigation():
            page.select_option("select[name=language]", language)
        for path in pages:
            page.goto(f"{base}{path}")
            assert page.get_attribute("html", "lang").lower() == language
            assert _serious(page) == [], f"{language} {path}"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"] + 1, f"{language} {path} scrolls sideways ({width} px)"
        page.goto(f"{base}/workshops/{workshop.pk}/")
        page.screenshot(path=str(SHOTS / f"workshop-{language}.png"), full_page=True)
        context.close()
    assert ContentType.objects.get_for_model(Process)  # the process is a scope of roles
