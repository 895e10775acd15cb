"""The consultations services: processes with phases, proposals, supports, answers, signals."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import services, signals
from ecocite.web.consultations.models import Process, Proposal, Status, StatusChange

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: Any) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture
def admin(make_user: Any) -> Any:
    return make_user("ada", (RoleKind.ADMINISTRATOR, None))


@pytest.fixture
def process(admin: Any, city: Any) -> Process:
    # Ideas run from 20 days before NOW to 25 days after; the decision is planned 60 days later.
    start = NOW - timedelta(days=50)
    return services.create_process(
        admin,
        city,
        services.standard_phases(start, days=(30, 45, 30, 30, 180)),
        slug="centre",
        scale="operation",
        title_fr="Cœur de ville",
        decision_fr="Plan guide du centre",
        decision_planned_on=(start + timedelta(days=75 + 60)).date(),
        categories=["mobilité", "nature"],
    )


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x8825] = {2: (48.0, 51.0, 24.0), 1: "N"}  # GPSInfo
    exif[0x010F] = "CameraMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_process_gets_five_ordered_phases_and_states_how_far_upstream_it_runs(
    process: Process,
) -> None:
    phases = services.phases_of(process)
    assert [p.position for p in phases] == [1, 2, 3, 4, 5]
    assert phases[1].opens("propose") and not phases[3].actions
    assert services.ideas_close(process) == (NOW - timedelta(days=50) + timedelta(days=75)).date()
    assert services.process_upstream_days(process) == 60


def test_description_falls_back_to_the_default_language(process: Process) -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        assert process.title == "Cœur de ville"
    process.title_zh = "城市中心"
    with translation.override("zh-hans"):
        assert process.title == "城市中心"


def test_only_officials_and_administrators_create_processes(make_user: Any, city: Any) -> None:
    resident = make_user("rosa", (RoleKind.RESIDENT, None))
    with pytest.raises(PermissionDenied):
        services.create_process(resident, city, [], slug="x", scale="territory", title_fr="x")
    assert not Process.objects.exists()


def test_submit_proposal_strips_exif_and_sends_a_signal(
    process: Process, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    resident = make_user("rosa", (RoleKind.RESIDENT, None))
    heard: list[dict[str, Any]] = []

    def listen(**kw: Any) -> None:
        heard.append(kw)

    signals.proposal_submitted.connect(listen, weak=False)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.submit_proposal(
            resident,
            process,
            title="Un jardin partagé",
            body="Sur la **friche** de la gare.",
            category="nature",
            heritage="landscape",
            geometry={"type": "Point", "coordinates": [112.24, 30.33]},
            images=[("photo.jpg", _jpeg_with_gps())],
        )
    # only this test's listener goes: other apps' receivers (notifications) must stay connected
    signals.proposal_submitted.disconnect(listen)
    assert heard and heard[0]["proposal"] == proposal and heard[0]["user"] == resident
    picture = proposal.images.get()
    with Image.open(picture.image.open("rb")) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif(), "EXIF (GPS included) must be stripped"
    assert (picture.width, picture.height) == (40, 30)


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("title", {"title": "  "}),
        ("category", {"category": "logement"}),
        ("heritage", {"heritage": "castle"}),
        ("geometry", {"geometry": {"type": "Point", "coordinates": [500, 30]}}),
        (
            "geometry",
            {"geometry": '{"type": "Polygon", "coordinates": [[[0,0],[1,1],[0,1],[1,0],[0,0]]]}'},
        ),
        ("images", {"images": [("x.jpg", b"not an image")]}),
    ],
)
def test_bad_proposals_name_the_field_and_write_nothing(
    process: Process, make_user: Any, field: str, changes: dict[str, Any]
) -> None:
    resident = make_user("rosa", (RoleKind.RESIDENT, None))
    fields: dict[str, Any] = {"title": "Titre", "body": "Texte"} | changes
    with pytest.raises(ValidationError) as caught:
        services.submit_proposal(resident, process, **fields)
    assert field in caught.value.message_dict
    assert not Proposal.objects.exists()


def test_anonymous_cannot_propose_unless_the_phase_allows(process: Process) -> None:
    with pytest.raises(PermissionDenied):
        services.submit_proposal(AnonymousUser(), process, title="t", body="b")


def test_supports_count_live_respect_the_limit_and_cross_the_threshold(
    process: Process, make_user: Any
) -> None:
    process.support_limit, process.support_threshold = 1, 2
    process.save()
    author = make_user("rosa", (RoleKind.RESIDENT, None))
    first = services.submit_proposal(author, process, title="A", body="a")
    second = services.submit_proposal(author, process, title="B", body="b")
    ben, cleo = make_user("ben"), make_user("cleo")
    assert services.support_proposal(ben, first) == 1
    assert services.support_proposal(ben, first) == 1  # twice is once
    with pytest.raises(ValidationError) as caught:
        services.support_proposal(ben, second)
    assert "support" in caught.value.message_dict
    assert services.support_proposal(cleo, first) == 2
    first.refresh_from_db()
    assert first.status == Status.UNDER_STUDY
    assert StatusChange.objects.get(proposal=first).changed_by is None
    assert services.withdraw_support(ben, first) == 1
    assert services.support_proposal(ben, second) == 1  # the withdrawn support is given back
    counts = {p.title: p.supports for p in services.proposals_of(process)}
    assert counts == {"A": 1, "B": 1}


def test_answers_follow_the_status_path_and_only_officials_of_the_city_answer(
    process: Process, make_user: Any, other_city: Any
) -> None:
    author = make_user("rosa", (RoleKind.RESIDENT, None))
    official = make_user("olga", (RoleKind.CITY_OFFICIAL, process.city))
    elsewhere = make_user("otto", (RoleKind.CITY_OFFICIAL, other_city))
    proposal = services.submit_proposal(author, process, title="A", body="a")
    with pytest.raises(PermissionDenied):
        services.answer_proposal(elsewhere, proposal, "Non.", Status.REJECTED)
    with pytest.raises(PermissionDenied):
        services.answer_proposal(author, proposal, "Oui.", Status.ACCEPTED)
    services.answer_proposal(official, proposal, "Retenue, budget 2027.", Status.ACCEPTED)
    with pytest.raises(ValidationError):
        services.change_status(official, proposal, Status.RECEIVED)
    with pytest.raises(ValidationError):
        services.change_status(official, proposal, Status.REJECTED)  # reasons required
    action = services.create_plan_action(official, process.city, title_fr="Jardins", progress=40)
    services.link_plan_action(official, proposal, action)
    services.change_status(official, proposal, Status.IMPLEMENTED)
    proposal.refresh_from_db()
    assert proposal.status == Status.IMPLEMENTED and proposal.plan_action == action
    assert [c.new_status for c in proposal.history.all()] == ["accepted", "implemented"]


def test_a_stance_only_where_the_process_asks_for_one(process: Process, make_user: Any) -> None:
    author = make_user("rosa", (RoleKind.RESIDENT, None))
    proposal = services.submit_proposal(author, process, title="A", body="a")
    with pytest.raises(ValidationError):
        services.comment_on(author, proposal, "Oui", stance="pro")
    process.stance_enabled = True
    process.save()
    proposal.refresh_from_db()
    comment = services.comment_on(author, proposal, "Oui", stance="pro")
    assert comment.stance.stance == "pro"
    assert services.proposals_of(process).get().comments == 1


def test_upstream_days_is_none_without_a_planned_decision(process: Process) -> None:
    process.decision_planned_on = None
    assert services.process_upstream_days(process) is None
