"""The consultations API answers as the pages do: same rules, same validation, live counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import services
from ecocite.web.consultations.models import Process, Proposal

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: Any) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture
def process(make_user: Any, city: Any) -> Process:
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    return services.create_process(
        admin,
        city,
        services.standard_phases(NOW - timedelta(days=40)),
        slug="centre",
        scale="territory",
        title_fr="Cœur de ville",
        decision_fr="Plan guide",
    )


def _api(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_processes_and_their_phases_are_listed(process: Process) -> None:
    assert _api().get("/api/v1/consultation-processes/").json()["results"][0]["slug"] == "centre"
    phases = _api().get("/api/v1/consultation-phases/", {"process": "centre"}).json()["results"]
    assert [p["position"] for p in phases] == [1, 2, 3, 4, 5]
    assert "propose" in phases[1]["actions"]


def test_propose_support_comment_answer_through_the_api(
    process: Process, make_user: Any, city: Any
) -> None:
    resident = _api(make_user("rosa", (RoleKind.RESIDENT, None)))
    created = resident.post(
        "/api/v1/proposals/",
        {"process": "centre", "title": "Pont", "body": "Un pont", "heritage": "landscape"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert resident.post("/api/v1/proposal-supports/", {"proposal": pk}).json()["supports"] == 1
    comment = resident.post("/api/v1/proposal-comments/", {"proposal": pk, "text": "Oui"})
    assert comment.status_code == 201
    listed = _api().get("/api/v1/proposals/", {"process": "centre", "heritage": "landscape"})
    assert [(p["supports"], p["comments"]) for p in listed.json()["results"]] == [(1, 1)]
    assert resident.delete(f"/api/v1/proposal-supports/{pk}/").json()["supports"] == 0
    refused = resident.post(
        f"/api/v1/proposals/{pk}/answer/", {"status": "accepted", "answer": "x"}
    )
    assert refused.status_code == 403
    official = _api(make_user("olga", (RoleKind.CITY_OFFICIAL, city)))
    answered = official.post(
        f"/api/v1/proposals/{pk}/answer/", {"status": "accepted", "answer": "Oui."}
    )
    assert answered.status_code == 200 and answered.json()["status"] == "accepted"


def test_anonymous_writes_get_401_and_bad_input_names_the_field(
    process: Process, make_user: Any
) -> None:
    anonymous = _api().post("/api/v1/proposals/", {"process": "centre", "title": "t", "body": "b"})
    assert anonymous.status_code == 401
    resident = _api(make_user("rosa", (RoleKind.RESIDENT, None)))
    bad = resident.post(
        "/api/v1/proposals/",
        {"process": "centre", "title": "t", "body": "b", "geometry": {"type": "Point"}},
        format="json",
    )
    assert bad.status_code == 400 and "geometry" in bad.json()
    assert not Proposal.objects.exists()


def test_proposing_is_refused_once_the_ideas_phase_closed(
    process: Process, make_user: Any, monkeypatch: Any
) -> None:
    resident = _api(make_user("rosa", (RoleKind.RESIDENT, None)))
    # 60 days on, co-design runs: comments and supports, no proposals.
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW + timedelta(days=60))
    refused = resident.post("/api/v1/proposals/", {"process": "centre", "title": "t", "body": "b"})
    assert refused.status_code == 403
