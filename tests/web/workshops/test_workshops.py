"""Workshops: planning in local time, registration with a waiting list, door codes, the room,
minutes, calendar files, and no overbooking under concurrent registrations."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import services as consultations
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.interactions.models import Comment, Support
from ecocite.web.workshops import services
from ecocite.web.workshops.models import InPersonContribution, Registration, Workshop

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(make_user: Any) -> Any:
    return make_user("ada", (RoleKind.ADMINISTRATOR, None))


@pytest.fixture
def official(make_user: Any, city: Any) -> Any:
    return make_user("olga", (RoleKind.CITY_OFFICIAL, city))


@pytest.fixture
def process(admin: Any, city: Any) -> Process:
    # Phases from 40 days ago: diagnostic (30 d), ideas (45 d, running), co-design …
    # The ideas phase does not open workshops; the test moves "now" into co-design (day 80).
    return consultations.create_process(
        admin, city, consultations.standard_phases(NOW - timedelta(days=40)),
        slug="centre", scale="territory", title_fr="Cœur de ville", decision_fr="Plan",
    )  # fmt: skip


@pytest.fixture
def codesign(monkeypatch: Any) -> datetime:
    moment = NOW + timedelta(days=40)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    return moment


def _workshop(process: Process, **extra: Any) -> Workshop:
    fields = {
        "kind": "hybrid", "title_fr": "Atelier des berges", "address": "Mairie, salle 2",
        "video_url": "https://video.example.org/berges", "time_zone": "Asia/Shanghai",
        "starts_at": datetime(2026, 5, 12, 1, tzinfo=UTC),
        "ends_at": datetime(2026, 5, 12, 3, tzinfo=UTC),
    }  # fmt: skip
    fields.update(extra)
    return Workshop.objects.create(process=process, **fields)


def test_an_organiser_plans_a_workshop_in_its_local_time(official: Any, process: Process) -> None:
    client = _client(official)
    url = reverse("workshops:new", args=[process.slug])
    form = {
        "kind": "hybrid", "title_fr": "Atelier", "starts_at": "2026-05-12T09:00",
        "ends_at": "2026-05-12T11:30", "time_zone": "Asia/Shanghai", "address": "Mairie",
        "video_url": "https://video.example.org/x", "capacity": "20", "registration_open": "on",
        "agenda_text": "Accueil\\nCartes\\n", "video_for_registered_only": "on",
    }  # fmt: skip
    form["agenda_text"] = "Accueil\nCartes\n"
    assert client.post(url, form).status_code == 302
    workshop = Workshop.objects.get()
    assert workshop.starts_at == datetime(2026, 5, 12, 1, tzinfo=UTC)  # 09:00 in Shanghai
    assert workshop.agenda == ["Accueil", "Cartes"]
    # A missing or unknown time zone, or an in-person workshop without a place, is refused.
    for change in (
        {"time_zone": ""},
        {"time_zone": "Mars/Olympus"},
        {"address": "", "kind": "in_person"},
    ):
        response = client.post(url, {**form, **change})
        assert response.status_code == 200, change
    assert Workshop.objects.count() == 1
    # A resident may not plan one.
    assert _client_of_resident(process).post(url, form).status_code == 403


def _client_of_resident(process: Process) -> Client:
    from ecocite.web.accounts.models import User

    user = User.objects.create_user("rosa", "r@example.org", "x" * 20)
    return _client(user)


def test_registration_waiting_list_and_the_video_link(
    make_user: Any, process: Process, codesign: datetime
) -> None:
    workshop = _workshop(process, capacity=1)
    a, b = make_user("a"), make_user("b")
    page = reverse("workshops:detail", args=[workshop.pk])
    assert "video.example.org" not in Client().get(page).content.decode()
    assert (
        _client(a)
        .post(reverse("workshops:register", args=[workshop.pk]), {"college": "residents"})
        .status_code
        == 302
    )
    assert _client(b).post(reverse("workshops:register", args=[workshop.pk])).status_code == 302
    first, second = Registration.objects.order_by("pk")
    assert (first.status, second.status) == ("registered", "waiting")
    assert "video.example.org" in _client(a).get(page).content.decode()
    assert "video.example.org" not in _client(b).get(page).content.decode()
    assert first.code in _client(a).get(page).content.decode()
    # A cancels: B takes the seat.
    assert _client(a).post(reverse("workshops:cancel", args=[workshop.pk])).status_code == 302
    second.refresh_from_db()
    assert second.status == "registered"


def test_registration_follows_the_phase(make_user: Any, process: Process) -> None:
    workshop = _workshop(process)
    # The ideas phase runs (NOW): it does not open "join the workshop".
    response = _client(make_user("early")).post(reverse("workshops:register", args=[workshop.pk]))
    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_door_room_and_minutes(
    make_user: Any, official: Any, process: Process, codesign: datetime
) -> None:
    workshop = _workshop(process)
    li = make_user("li")
    registration = services.register(li, workshop, "universities")
    door = reverse("workshops:door", args=[workshop.pk])
    assert _client(li).get(door).status_code == 403
    runner = _client(official)
    assert runner.post(door, {"code": "WRONG123"}).status_code == 200
    assert runner.post(door, {"code": registration.code.lower()}).status_code == 302
    registration.refresh_from_db()
    assert registration.attended_at is not None

    room = reverse("workshops:room", args=[workshop.pk])
    assert runner.post(room, {"what": "proposal", "title": "Un banc", "text": "Sous le saule",
                              "attendee": registration.pk}).status_code == 302  # fmt: skip
    proposal = Proposal.objects.get()
    assert proposal.author == li
    assert runner.post(room, {"what": "comment", "proposal": proposal.pk, "text": "D'accord",
                              "college": "residents"}).status_code == 302  # fmt: skip
    assert Comment.objects.get().author is None  # someone unnamed in the room
    assert runner.post(room, {"what": "support", "proposal": proposal.pk}).status_code == 200
    assert runner.post(room, {"what": "support", "proposal": proposal.pk,
                              "attendee": registration.pk}).status_code == 302  # fmt: skip
    assert Support.objects.get().user == li
    typed = InPersonContribution.objects.filter(workshop=workshop)
    assert typed.count() == 3 and {t.typed_by for t in typed} == {official}
    # One proposal, one comment, one support: all three in person.
    assert services.in_person_share(process) == 1.0

    close = reverse("workshops:close", args=[workshop.pk])
    assert (
        'value="1"' in runner.get(close).content.decode()
    )  # one university attendee, from the door
    assert runner.post(close, {"attendance_universities": "1"}).status_code == 200  # no minutes
    response = runner.post(close, {"minutes_fr": "On garde le saule.", "attendance_universities": "1",
                                   "attendance_residents": "7", "outcomes": [proposal.pk]})  # fmt: skip
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.closed_at is not None and workshop.attendance_by_college == {
        "universities": 1,
        "residents": 7,
    }
    page = Client().get(reverse("workshops:detail", args=[workshop.pk])).content.decode()
    assert "On garde le saule." in page and "Un banc" in page


def test_calendar_files(make_user: Any, process: Process, codesign: datetime) -> None:
    workshop = _workshop(process)
    body = Client().get(reverse("workshops:ics", args=[workshop.pk])).content.decode()
    assert "BEGIN:VEVENT" in body and "BEGIN:VTIMEZONE" in body
    assert "DTSTART;TZID=Asia/Shanghai:20260512T090000" in body
    assert "video.example.org" not in body  # the link is for registered people
    person = make_user("p")
    services.register(person, workshop)
    assert (
        "video.example.org"
        in _client(person).get(reverse("workshops:ics", args=[workshop.pk])).content.decode()
    )
    feed = Client().get(reverse("workshops:process_ics", args=[process.slug])).content.decode()
    assert feed.count("BEGIN:VEVENT") == 1
    # A workshop whose time zone went missing: a clear refusal, not a guessed hour.
    Workshop.objects.filter(pk=workshop.pk).update(time_zone="")
    response = Client().get(reverse("workshops:ics", args=[workshop.pk]))
    assert response.status_code == 422 and "Atelier des berges" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_fifty_people_for_the_last_ten_seats(make_user: Any, city: Any, monkeypatch: Any) -> None:
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    process = consultations.create_process(
        admin, city, consultations.standard_phases(NOW - timedelta(days=40)),
        slug="rush", scale="territory", title_fr="Ruée", decision_fr="Plan",
    )  # fmt: skip
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW + timedelta(days=40))
    workshop = _workshop(process, capacity=30)
    for i in range(20):  # 20 seats already taken
        services.register(make_user(f"early{i}"), workshop)
    people = [make_user(f"late{i}") for i in range(50)]
    barrier = threading.Barrier(len(people))
    failures: list[BaseException] = []

    def go(person: Any) -> None:
        try:
            barrier.wait()
            services.register(person, workshop)
        except BaseException as err:
            failures.append(err)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    late = Registration.objects.filter(user__username__startswith="late")
    assert late.filter(status="registered").count() == 10
    assert late.filter(status="waiting").count() == 40
    assert services.seats_taken(workshop) == 30


def test_registered_people_are_reminded_the_day_before(
    make_user: Any, process: Process, codesign: datetime, mailoutbox: Any
) -> None:
    from ecocite.web.notifications.models import Notification
    from ecocite.web.workshops.reminders import remind_workshops

    workshop = _workshop(process, starts_at=codesign + timedelta(hours=20),
                         ends_at=codesign + timedelta(hours=22))  # fmt: skip
    later = _workshop(process, starts_at=codesign + timedelta(days=3),
                      ends_at=codesign + timedelta(days=3, hours=2))  # fmt: skip
    li = make_user("li")
    li.email, li.preferred_language = "li@example.org", "zh-hans"
    li.save()
    waiting = make_user("w")
    services.register(li, workshop)
    services.register(li, later)
    Registration.objects.create(workshop=workshop, user=waiting, status="waiting", code="WAIT2345")
    assert remind_workshops(codesign) == 1
    assert remind_workshops(codesign) == 0  # idempotent
    note = Notification.objects.get()
    assert note.recipient == li and note.target == workshop
    assert len(mailoutbox) == 1
    subject = mailoutbox[0].subject
    # in Li's language, with the workshop's time zone
    assert "提醒" in subject and "Atelier des berges" in subject and "Asia/Shanghai" in subject
    assert (len(mailoutbox) == 1 and "工作坊" in mailoutbox[0].subject) or "Atelier" in mailoutbox[
        0
    ].subject
    assert "2026-05-" not in mailoutbox[0].body or "Asia/Shanghai" in mailoutbox[0].body


def test_printable_sheet_in_the_page_language(process: Process) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    workshop = _workshop(process, title_zh="滨江工作坊")
    response = Client().get(
        reverse("workshops:sheet", args=[workshop.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert "滨江工作坊" in text and "Asia/Shanghai" in text


def test_a_visitor_sees_a_workshop_closed_a_moment_ago(
    process: Process, codesign: datetime
) -> None:
    page = reverse("consultations:process", args=[process.slug])
    workshop = _workshop(process)
    assert (
        reverse("workshops:detail", args=[workshop.pk]) not in Client().get(page).content.decode()
    )
    workshop.closed_at = codesign
    workshop.minutes_fr = "Compte rendu."
    workshop.save()  # the visitor's page is cached per process version: the save renews it
    assert reverse("workshops:detail", args=[workshop.pk]) in Client().get(page).content.decode()
