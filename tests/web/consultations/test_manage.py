"""Management pages: bodies (colleges, charter in three languages), processes and their phases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import services
from ecocite.web.consultations.models import Body, Process
from ecocite.web.core.phases import phases_of

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: Any) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_administrator_creates_and_edits_a_body_with_colleges_and_charter(
    make_user: Any, city: Any
) -> None:
    admin = _client(make_user("ada", (RoleKind.ADMINISTRATOR, None)))
    data = {
        "slug": "forum", "city": city.pk, "name_fr": "Forum citoyen", "name_zh": "市民论坛",
        "name_en": "Citizens' forum", "charter_fr": "Nous imaginons la ville ensemble.",
        "charter_zh": "我们共同构想城市。", "charter_en": "We imagine the city together.",
        "members-TOTAL_FORMS": "3", "members-INITIAL_FORMS": "0",
        "members-0-name": "Association du quartier", "members-0-college": "associations",
        "members-1-name": "Université de Jingzhou", "members-1-college": "universities",
        "members-2-name": "", "members-2-college": "",
    }  # fmt: skip
    r = admin.post(reverse("consultations:body_new"), data)
    assert r.status_code == 302
    body = Body.objects.get()
    assert body.charter_zh == "我们共同构想城市。"
    assert sorted(body.members.values_list("college", flat=True)) == [
        "associations",
        "universities",
    ]
    page = admin.get(reverse("consultations:body", args=["forum"]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Université de Jingzhou" in page.content.decode()
    # Edit: a member removed, the charter changed; a duplicate slug is named, nothing written.
    Body.objects.create(slug="autre", name_fr="Autre")
    edit = reverse("consultations:body_edit", args=["forum"])
    form = admin.get(edit).content.decode()
    assert "Association du quartier" in form
    data.update({"members-INITIAL_FORMS": "2", "members-1-DELETE": "on", "charter_fr": "Charte 2."})
    assert admin.post(edit, {**data, "slug": "autre"}).status_code == 422
    body.refresh_from_db()
    assert body.charter_fr == "Nous imaginons la ville ensemble."
    assert admin.post(edit, data).status_code == 302
    body.refresh_from_db()
    assert body.charter_fr == "Charte 2."
    assert list(body.members.values_list("name", flat=True)) == ["Association du quartier"]
    # Residents neither create nor edit bodies.
    rosa = _client(make_user("rosa", (RoleKind.RESIDENT, None)))
    assert rosa.get(reverse("consultations:body_new")).status_code == 403
    assert rosa.post(edit, data).status_code == 403


def test_an_official_creates_a_process_edits_it_and_its_phases(make_user: Any, city: Any) -> None:
    official = make_user("olga", (RoleKind.CITY_OFFICIAL, city))
    official.preferred_language = "en"  # the messages below are read in English
    official.save()
    olga = _client(official)
    index = olga.get(reverse("consultations:index")).content.decode()
    assert reverse("consultations:process_new", args=[city.slug]) in index
    url = reverse("consultations:process_new", args=[city.slug])
    base = {
        "slug": "gare", "scale": "operation", "title_fr": "Quartier de la gare",
        "title_zh": "车站街区", "title_en": "Station district", "decision_fr": "Plan de ZAC",
        "decision_planned_on": "2026-12-01", "categories_text": "mobilité, nature, , nature",
    }  # fmt: skip
    bad_site = olga.post(url, {**base, "site": '{"type": "Polygon", "coordinates": [[[0, 0]'})
    assert bad_site.status_code == 422 and "GeoJSON" in bad_site.content.decode()
    crossing = '{"type":"Polygon","coordinates":[[[112,30],[113,31],[113,30],[112,31],[112,30]]]}'
    assert olga.post(url, {**base, "site": crossing}).status_code == 422
    assert not Process.objects.exists()
    square = '{"type":"Polygon","coordinates":[[[112,30],[113,30],[113,31],[112,31],[112,30]]]}'
    r = olga.post(url, {**base, "site": square})
    assert r.status_code == 302 and r["Location"].endswith("/gare/phases/")
    process = Process.objects.get()
    assert process.categories == ["mobilité", "nature"] and process.site["type"] == "Polygon"
    assert len(phases_of(process)) == 5
    edit = reverse("consultations:process_edit", args=["gare"])
    assert (
        olga.post(edit, {**base, "site": square, "title_en": "Station quarter"}).status_code == 302
    )
    process.refresh_from_db()
    assert process.title_en == "Station quarter"
    # Phases: overlapping dates are refused, naming both phases; nothing changes.
    phases = reverse("consultations:phases", args=["gare"])
    assert olga.get(phases).status_code == 200
    plan = {
        "phases-TOTAL_FORMS": "3", "phases-INITIAL_FORMS": "0",
        "phases-0-name": "Diagnostic", "phases-0-starts_at": "2026-03-01T00:00",
        "phases-0-ends_at": "2026-04-15T00:00", "phases-0-actions": ["comment"],
        "phases-0-ORDER": "1",
        "phases-1-name": "Idées", "phases-1-starts_at": "2026-04-01T00:00",
        "phases-1-ends_at": "2026-06-01T00:00", "phases-1-actions": ["propose", "support"],
        "phases-1-anonymous_allowed": "on", "phases-1-ORDER": "2",
        "phases-2-name": "", "phases-2-starts_at": "", "phases-2-ends_at": "",
    }  # fmt: skip
    refused = olga.post(phases, plan)
    text = refused.content.decode()
    assert refused.status_code == 422
    assert "Phase 1 (Diagnostic) ends on 2026-04-15, after phase 2 (Idées) starts" in text
    assert len(phases_of(process)) == 5
    # Fixed and reordered: the order field decides, dates must agree.
    plan.update({"phases-0-ends_at": "2026-04-01T00:00"})
    swapped = {**plan, "phases-0-ORDER": "2", "phases-1-ORDER": "1"}
    assert olga.post(phases, swapped).status_code == 422
    assert olga.post(phases, plan).status_code == 302
    saved = phases_of(process)
    assert [(p.position, p.name, p.anonymous_allowed) for p in saved] == [
        (1, "Diagnostic", False), (2, "Idées", True),
    ]  # fmt: skip
    assert saved[1].actions == ["propose", "support"]
    # The process page states how far upstream it runs: ideas close 1 June, decision 1 Dec.
    page = olga.get(reverse("consultations:process", args=["gare"])).content.decode()
    upstream = page[page.index('<dd id="upstream">') :]
    assert "183" in upstream[: upstream.index("</dd>")]
    assert services.process_upstream_days(process) == 183
    # An official of another city, or a resident, edits nothing.
    other = _client(make_user("otto"))
    assert other.post(phases, plan).status_code == 403
    assert other.get(edit).status_code == 403


def test_phases_in_the_past_and_future_keep_the_process_page_readable(
    make_user: Any, city: Any
) -> None:
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    process = services.create_process(
        admin, city, services.standard_phases(NOW - timedelta(days=400)),
        slug="vieux", scale="territory", title_fr="Ancien", decision_fr="Plan",
    )  # fmt: skip
    page = _client(admin).get(reverse("consultations:process", args=[process.slug]))
    assert page.status_code == 200
    assert reverse("consultations:phases", args=[process.slug]) in page.content.decode()
