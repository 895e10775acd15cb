"""The consultation pages: propose, support, comment, answer, filters, exports, query counts."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import services
from ecocite.web.consultations.models import Process, Proposal, Status

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: Any) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture
def process(make_user: Any, city: Any) -> Process:
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    start = NOW - timedelta(days=40)
    return services.create_process(
        admin,
        city,
        services.standard_phases(start),
        slug="centre",
        scale="territory",
        title_fr="Cœur de ville",
        title_en="Town centre",
        decision_fr="Plan guide",
        decision_planned_on=(start + timedelta(days=75 + 30)).date(),
        categories=["mobilité", "nature"],
        stance_enabled=True,
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_resident_proposes_supports_comments_and_an_official_answers(
    process: Process, make_user: Any
) -> None:
    resident = _client(make_user("rosa", (RoleKind.RESIDENT, None)))
    page = resident.get(reverse("consultations:process", args=[process.slug]))
    assert page.status_code == 200
    assert b'id="upstream"' in page.content and b"30" in page.content
    response = resident.post(
        reverse("consultations:propose", args=[process.slug]),
        {
            "title": "Jardin",
            "body": "Un *jardin* <script>alert(1)</script>",
            "category": "nature",
            "geometry": '{"type": "Point", "coordinates": [112.2, 30.3]}',
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    page = resident.get(reverse("consultations:proposal", args=[proposal.pk]))
    assert b"<em>jardin</em>" in page.content and b"<script>alert" not in page.content
    resident.post(reverse("consultations:support", args=[proposal.pk]))
    resident.post(
        reverse("consultations:comment", args=[proposal.pk]), {"text": "Oui !", "stance": "pro"}
    )
    page = resident.get(reverse("consultations:proposal", args=[proposal.pk]))
    assert b'<dd id="supports">1</dd>' in page.content and b"Oui !" in page.content
    refused = resident.post(
        reverse("consultations:answer", args=[proposal.pk]), {"status": "accepted", "answer": "x"}
    )
    assert refused.status_code == 403
    official = _client(make_user("olga", (RoleKind.CITY_OFFICIAL, process.city)))
    official.post(
        reverse("consultations:answer", args=[proposal.pk]),
        {"status": "accepted", "answer": "Retenu."},
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED and proposal.answer == "Retenu."
    page = resident.get(reverse("consultations:accountability", args=[process.slug]))
    assert b"Retenu." in page.content


def test_a_bad_place_is_named_and_nothing_is_written(process: Process, make_user: Any) -> None:
    resident = _client(make_user("rosa", (RoleKind.RESIDENT, None)))
    response = resident.post(
        reverse("consultations:propose", args=[process.slug]),
        {"title": "Jardin", "body": "b", "geometry": "{not json"},
    )
    assert response.status_code == 422
    assert b"GeoJSON" in response.content
    assert not Proposal.objects.exists()


def test_map_markers_follow_the_filters_and_exports_carry_the_answer(
    process: Process, make_user: Any
) -> None:
    author = make_user("rosa", (RoleKind.RESIDENT, None))
    point = {"type": "Point", "coordinates": [112.2, 30.3]}
    services.submit_proposal(
        author, process, title="Pont", body="b", category="mobilité", geometry=point
    )
    services.submit_proposal(
        author, process, title="Parc", body="b", category="nature", heritage="landscape",
        geometry=point,
    )  # fmt: skip
    client = Client()
    url = reverse("consultations:map", args=[process.slug])
    titles = [f["properties"]["title"] for f in client.get(url).json()["features"]]
    assert sorted(titles) == ["Parc", "Pont"]
    filtered = client.get(url, {"heritage": "landscape"}).json()["features"]
    assert [f["properties"]["title"] for f in filtered] == ["Parc"]
    page = client.get(reverse("consultations:process", args=[process.slug]), {"q": "pon"})
    assert b"Pont" in page.content and b"Parc" not in page.content
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    reverse("consultations:proposals_csv", args=[process.slug])
                ).content.decode()
            )
        )
    )
    assert {r["title"]: r["supports"] for r in rows} == {"Pont": "0", "Parc": "0"}
    geo = json.loads(
        client.get(reverse("consultations:proposals_geojson", args=[process.slug])).content
    )
    assert geo["license"] == "CC BY 4.0" and len(geo["features"]) == 2


def test_anonymous_visitors_are_sent_to_sign_in_to_propose(process: Process) -> None:
    response = Client().get(reverse("consultations:propose", args=[process.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def _proposals(process: Process, author: Any, n: int) -> None:
    for i in range(n):
        proposal = services.submit_proposal(author, process, title=f"P{i}", body="b")
        services.support_proposal(author, proposal)
        services.comment_on(author, proposal, "c")


@pytest.mark.parametrize("page", ["process", "accountability", "proposals_csv", "map"])
def test_pages_cost_the_same_queries_for_one_or_many_proposals(
    process: Process, make_user: Any, django_assert_max_num_queries: Any, page: str
) -> None:
    author = make_user("rosa", (RoleKind.RESIDENT, None))
    client = Client()
    url = reverse(f"consultations:{page}", args=[process.slug])
    _proposals(process, author, 1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _proposals(process, author, 6)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def test_the_demo_loads_three_illustrative_processes_with_pages(db: Any) -> None:
    from ecocite.web.cities.models import City
    from ecocite.web.consultations.demo import load_consultations_demo

    City.objects.create(slug="jingzhou", name_fr="Jingzhou", name_zh="荆州", name_en="Jingzhou",
                        country="CN")  # fmt: skip
    load_consultations_demo(log=lambda line: None)
    load_consultations_demo(log=lambda line: None)  # once only
    processes = list(Process.objects.order_by("slug"))
    assert {p.scale for p in processes} == {"territory", "operation", "programme"}
    assert all(p.illustrative for p in processes)
    client = Client()
    for process in processes:
        page = client.get(reverse("consultations:process", args=[process.slug]))
        assert page.status_code == 200 and b'class="illustrative"' in page.content
    answered = client.get(reverse("consultations:accountability", args=["las-palmas-vegueta"]))
    assert b"Aceptada" in answered.content and b"Vegueta" in answered.content
