"""In Debian's Chromium at phone width: follow a proposal, get the answer's notification, stop the
e-mails from the mail's link without signing in, download one's data; axe-core finds no serious
or critical problem on these pages in French, Chinese and English.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import services
from ecocite.web.notifications import services as notifications

pytestmark = [pytest.mark.browser, pytest.mark.slow]

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


def _fits(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_follow_notification_unsubscribe_and_download(
    browser: Any, live_server: Any, make_user: Any, city: Any, password: str, mailoutbox: Any
) -> None:
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    li = make_user("li", (RoleKind.RESIDENT, None))
    olga = make_user("olga", (RoleKind.CITY_OFFICIAL, city))
    process = services.create_process(
        admin, city, services.standard_phases(timezone.now() - timedelta(days=40)),
        slug="centre", scale="territory", title_fr="Cœur de ville", title_en="Town centre",
        title_zh="城市中心", decision_fr="Plan guide",
    )  # fmt: skip
    proposal = services.submit_proposal(li, process, title="Un jardin partagé", body="Ici.")
    base = live_server.url

    context = browser.new_context(viewport=PHONE)
    page = _sign_in(context, base, "rosa", password)
    page.goto(f"{base}/consultations/proposals/{proposal.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Suivre").click()
    assert notifications.is_following(rosa, proposal)
    assert page.get_by_role("button", name="Ne plus suivre").is_visible()

    services.answer_proposal(olga, proposal, "Retenue pour 2027.", "accepted")
    page.goto(f"{base}/consultations/")
    badge = page.inner_text("#notifications-link")
    assert "1 non lue" in badge
    with page.expect_navigation():
        page.click("#notifications-link")
    assert "Réponse officielle à « Un jardin partagé » : retenue." in page.inner_text("main")
    assert _serious(page) == [], "notification list"
    page.screenshot(path="/tmp/ecocite-notifications-fr.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Réponse officielle")).click()
    assert page.url.endswith(f"/consultations/proposals/{proposal.pk}/")
    assert notifications.unread_count(rosa) == 0

    # the data download
    page.goto(f"{base}/accounts/data/")
    with page.expect_download() as caught:
        page.click("#download-data")
    archive = zipfile.ZipFile(io.BytesIO(Path(caught.value.path()).read_bytes()))
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["username"] == "rosa"
    assert len(data["tables"]["notifications.notification"]) == 1
    context.close()

    # the mail's unsubscribe link, opened without signing in
    mail = next(m for m in mailoutbox if m.to == ["rosa@example.org"])
    link = mail.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in mail.body
    path = link.split("://", 1)[1].split("/", 1)[1]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{base}/{path}")
    assert page.locator("#unsubscribed").is_visible()
    assert notifications.preferences(rosa).mail == "none"
    assert _serious(page) == [], "unsubscribe page"
    context.close()

    pages = [
        "/notifications/",
        "/notifications/settings/",
        "/accounts/data/",
        f"/consultations/proposals/{proposal.pk}/",
        f"/consultations/indicators/{city.slug}/?year={timezone.now().year}"
        "&population=5000&population_source=census",
    ]
    for language in ("fr", "zh-hans", "en"):
        rosa.preferred_language = language
        rosa.save()
        context = browser.new_context(viewport=PHONE)
        page = _sign_in(context, base, "olga" if language == "en" else "rosa", password)
        with page.expect_navigation():
            page.select_option("select[name=language]", language)
        for where in [*pages, f"/{path}"]:
            page.goto(f"{base}{where}")
            assert page.get_attribute("html", "lang").lower() == language
            assert _serious(page) == [], f"{language} {where}"
            assert _fits(page) <= PHONE["width"] + 1, f"{language} {where} scrolls sideways"
        page.goto(f"{base}/notifications/settings/")
        page.screenshot(path=f"/tmp/ecocite-notification-settings-{language}.png", full_page=True)
        page.goto(f"{base}{pages[-1]}")
        page.screenshot(path=f"/tmp/ecocite-participation-{language}.png", full_page=True)
        context.close()
