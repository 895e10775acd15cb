"""Communities of practice: profiles and privacy, calls and answers, cases and the library."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.urls import reverse

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.community import services
from ecocite.web.community.models import Call, CallAnswer, Case, Organisation, Profile
from ecocite.web.consultations import services as consultations
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.interactions.models import Comment, Support

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)
SECRET_SKILL = "secret-skill-7f3a"
SECRET_BIO = "private-bio-91c2"


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: Any) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


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


def _process(admin: Any, city: Any, slug: str, days_ago: int, **extra: Any) -> Process:
    start = NOW - timedelta(days=days_ago)
    return consultations.create_process(
        admin,
        city,
        consultations.standard_phases(start),
        slug=slug,
        scale=extra.pop("scale", "territory"),
        title_fr=extra.pop("title_fr", "Berges"),
        decision_fr="Plan",
        decision_planned_on=(start + timedelta(days=200)).date(),
        **extra,
    )


@pytest.fixture
def open_process(admin: Any, city: Any) -> Process:
    return _process(admin, city, "open", 40)


@pytest.fixture
def closed_process(admin: Any, city: Any, make_user: Any) -> Process:
    process = _process(admin, city, "closed", 400, title_fr="Parc des berges", title_zh="滨江公园")
    a, b = make_user("p1"), make_user("p2")
    accepted = Proposal.objects.create(process=process, author=a, title="Jardins", body="x")
    Proposal.objects.filter(pk=accepted.pk).update(
        status="accepted",
        answer="Oui",
        created_at=NOW - timedelta(days=300),
        answered_at=NOW - timedelta(days=290),
    )
    other = Proposal.objects.create(process=process, author=b, title="Parking", body="y")
    Proposal.objects.filter(pk=other.pk).update(
        status="rejected",
        answer="Non",
        created_at=NOW - timedelta(days=300),
        answered_at=NOW - timedelta(days=270),
    )
    Proposal.objects.create(
        process=process, author=a, title="Bancs", body="z", heritage="landscape"
    )
    kind = ContentType.objects.get_for_model(Proposal)
    Support.objects.create(user=b, target_type=kind, target_id=accepted.pk)
    third = make_user("p3")
    Comment.objects.create(author=third, target_type=kind, target_id=accepted.pk, text="Bien")
    return process


@pytest.fixture
def private_person(make_user: Any, city: Any) -> Any:
    user = make_user("priya", (RoleKind.PROFESSIONAL, None))
    uni = Organisation.objects.create(slug="uni", kind="university", name_fr="Université")
    Profile.objects.create(
        user=user,
        display_name="Priya",
        discipline="geography",
        languages=["zh", "fr"],
        skills=SECRET_SKILL,
        bio=SECRET_BIO,
        institution=uni,
        lon=112.24,
        lat=30.33,
        public_fields=["discipline", "languages"],
    )
    return user


# ---------------------------------------------------------------- privacy


def test_a_private_field_never_reaches_others(
    private_person: Any, admin: Any, official: Any, open_process: Process
) -> None:
    profile = private_person.community_profile
    call = services.publish_call(
        official,
        open_process,
        {"help_kind": "mapping", "title_fr": "Carte", "languages": ["zh"],
         "starts_on": NOW.date(), "ends_on": NOW.date()},
    )  # fmt: skip
    pages = [
        reverse("community:profiles"),
        reverse("community:profile", args=[profile.pk]),
        reverse("community:organisation", args=["uni"]),
        reverse("community:call", args=[call.pk]),  # the organiser sees suggested matches
        "/api/v1/profiles/",
        f"/api/v1/profiles/{profile.pk}/",
    ]
    for viewer in (Client(), _client(admin), _client(official)):
        for url in pages:
            response = viewer.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert SECRET_SKILL not in body and SECRET_BIO not in body, url
            assert "Université" not in body or url.startswith("/community/organisations"), url
            assert "112.24" not in body, url
    # The organiser's suggestions still rank the person on what is public (languages).
    assert (
        "Priya" in _client(official).get(reverse("community:call", args=[call.pk])).content.decode()
    )
    # The organisation page lists only people who made the membership public.
    assert (
        "Priya"
        not in Client().get(reverse("community:organisation", args=["uni"])).content.decode()
    )
    # The owner sees everything.
    own = _client(private_person).get(reverse("community:profile", args=[profile.pk]))
    assert SECRET_SKILL in own.content.decode()


def test_changing_the_institution_drops_the_verification(private_person: Any, admin: Any) -> None:
    profile = private_person.community_profile
    client = _client(admin)
    # A private membership cannot be verified (the badge would reveal it).
    client.post(reverse("community:verify", args=[profile.pk]))
    profile.refresh_from_db()
    assert profile.verified_at is None
    profile.public_fields = [*profile.public_fields, "institution"]
    profile.save()
    assert client.post(reverse("community:verify", args=[profile.pk])).status_code == 302
    profile.refresh_from_db()
    assert profile.verified_at is not None and profile.verified_by == admin
    assert (
        _client(private_person).post(reverse("community:verify", args=[profile.pk])).status_code
        == 403
    )
    other = Organisation.objects.create(slug="asso", kind="association", name_fr="Asso")
    services.save_profile(private_person, {"institution": other}, profile)
    profile.refresh_from_db()
    assert profile.verified_at is None


def test_profile_form_checks_coordinates(make_user: Any) -> None:
    client = _client(make_user("zoe"))
    response = client.post(
        reverse("community:my_profile"),
        {"display_name": "Zoé", "lon": "200", "lat": "", "availability": "available"},
    )
    assert response.status_code == 200
    assert Profile.objects.count() == 0
    text = response.content.decode()
    assert "180" in text  # the longitude range is named
    response = client.post(
        reverse("community:my_profile"),
        {"display_name": "Zoé", "availability": "available", "languages": ["fr", "zh"],
         "public_fields": ["languages"]},
    )  # fmt: skip
    assert response.status_code == 302
    assert Profile.objects.get().languages == ["fr", "zh"]


# ---------------------------------------------------------------- calls


def test_publish_answer_accept_grants_the_facilitator_role(
    official: Any, make_user: Any, open_process: Process, private_person: Any
) -> None:
    organiser = _client(official)
    response = organiser.post(
        reverse("community:call_new", args=[open_process.slug]),
        {"help_kind": "facilitation", "title_fr": "Animer l'atelier", "starts_on": "2026-04-10",
         "ends_on": "2026-04-20", "languages": ["zh"], "grants_facilitator": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    call = Call.objects.get()
    # A resident without a role elsewhere may not publish a call.
    resident = make_user("rita", (RoleKind.RESIDENT, None))
    assert _client(resident).post(
        reverse("community:call_new", args=[open_process.slug]),
        {"help_kind": "mapping", "title_fr": "X", "starts_on": "2026-04-10", "ends_on": "2026-04-20"},
    ).status_code == 403  # fmt: skip
    # The professional answers; answering twice changes the message, not the count.
    helper = _client(private_person)
    url = reverse("community:call", args=[call.pk])
    assert helper.post(url, {"message": "Je peux."}).status_code == 302
    assert helper.post(url, {"message": "Je peux, en chinois aussi."}).status_code == 302
    answer = CallAnswer.objects.get()
    assert answer.message.endswith("aussi.")
    # The helper may not decide on their own answer.
    decide = reverse("community:decide", args=[answer.pk])
    assert helper.post(decide, {"decision": "accept"}).status_code == 403
    assert organiser.post(decide, {"decision": "accept"}).status_code == 302
    answer.refresh_from_db()
    assert answer.status == "accepted" and answer.decided_by == official
    role = Role.objects.get(user=private_person, kind=RoleKind.FACILITATOR)
    assert role.scope == open_process
    # Closing the call stops answers.
    assert organiser.post(reverse("community:call_close", args=[call.pk])).status_code == 302
    late = make_user("late")
    assert _client(late).post(url, {"message": "Trop tard ?"}).status_code == 403
    assert CallAnswer.objects.count() == 1


def test_a_call_needs_a_title_and_ordered_dates(official: Any, open_process: Process) -> None:
    response = _client(official).post(
        reverse("community:call_new", args=[open_process.slug]),
        {"help_kind": "mapping", "starts_on": "2026-04-20", "ends_on": "2026-04-10"},
    )
    assert response.status_code == 200
    assert Call.objects.count() == 0


def test_call_discussion_is_open_to_anyone_signed_in(
    official: Any, make_user: Any, open_process: Process
) -> None:
    call = services.publish_call(
        official, open_process,
        {"help_kind": "mapping", "title_fr": "Carte", "starts_on": NOW.date(), "ends_on": NOW.date()},
    )  # fmt: skip
    url = reverse("community:discuss", args=["call", call.pk])
    assert Client().post(url, {"text": "Bonjour"}).status_code == 302  # to sign-in
    assert Comment.objects.count() == 0
    assert _client(make_user("sam")).post(url, {"text": "Bonjour"}).status_code == 302
    assert Comment.objects.get().text == "Bonjour"


# ---------------------------------------------------------------- cases


def test_a_case_is_published_only_once_the_process_has_closed(
    official: Any, open_process: Process, closed_process: Process
) -> None:
    client = _client(official)
    assert client.get(reverse("community:case_new", args=[open_process.slug])).status_code == 403
    response = client.post(
        reverse("community:case_new", args=[closed_process.slug]),
        {"title_fr": "Parc des berges", "question_fr": "Quel parc ?",
         "lessons_zh": "双语很重要", "themes": ["water"], "extra_methods": ["workshop_in_person"]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    figures = case.figures
    # 2 proposal authors + 1 supporter (p2 also an author) + 1 commenter = 3 people
    assert figures["participants"] == 3
    assert figures["proposals"] == 3 and figures["comments"] == 1 and figures["supports"] == 1
    assert figures["proposals_answered_share"] == pytest.approx(2 / 3, abs=1e-4)
    assert figures["median_days_to_answer"] == pytest.approx(20.0)  # median of 10 and 30
    assert case.methods == ["comments", "proposals", "workshop_in_person"]
    assert case.heritage is True  # one proposal carries a heritage tag
    assert [d["title"] for d in case.decided] == ["Jardins"]
    assert case.title_zh == "滨江公园"  # taken from the process when not given
    again = client.post(reverse("community:case_new", args=[closed_process.slug]), {})
    assert again.status_code == 302 and Case.objects.count() == 1
    page = Client().get(reverse("community:case", args=[case.slug])).content.decode()
    assert "Quel parc ?" in page and "67" in page  # the share, as a percentage


def _case(admin: Any, city: Any, slug: str, **data: Any) -> Case:
    process = _process(admin, city, slug, 400, scale=data.pop("scale", "territory"))
    return services.create_case(process, data)


def test_the_library_filters_across_languages(admin: Any, city: Any, other_city: Any) -> None:
    _case(admin, city, "a", title_zh="滨江公园", question_fr="Q", themes=["water"],
          population=5_000_000, scale="operation")  # fmt: skip
    _case(admin, other_city, "b", title_en="Green axis", lessons_en="phasing", themes=["mobility"],
          population=90_000, heritage=True)  # fmt: skip

    def found(**filters: Any) -> list[str]:
        return sorted(c.slug for c in services.search_cases(**filters))

    assert found() == ["a", "b"]
    assert found(text="滨江") == ["a"]
    assert found(text="PHASING") == ["b"]
    assert found(scale="operation") == ["a"]
    assert found(theme="mobility") == ["b"]
    assert found(heritage=True) == ["b"]
    assert found(city_size="small") == ["b"] and found(city_size="very_large") == ["a"]
    assert (
        found(country=other_city.country) == ["b"] if other_city.country != city.country else True
    )
    assert found(language="zh") == ["a"]
    # The page and the API apply the same filters; the CSV and JSON too.
    page = Client().get(reverse("community:cases"), {"theme": "water", "language": "zh"})
    assert "/community/cases/a/" in page.content.decode()
    assert "/community/cases/b/" not in page.content.decode()
    api = Client().get("/api/v1/cases/", {"q": "phasing"}).json()
    rows = api["results"] if isinstance(api, dict) and "results" in api else api
    assert [r["slug"] for r in rows] == ["b"]
    table = list(
        csv.DictReader(io.StringIO(Client().get(reverse("community:cases_csv")).content.decode()))
    )
    assert {r["slug"] for r in table} == {"a", "b"}
    data = json.loads(Client().get(reverse("community:cases_json")).content)
    assert data["licence"] == "CC BY 4.0" and len(data["cases"]) == 2
    compare = Client().get(reverse("community:compare"), {"case": ["a", "b"]}).content.decode()
    assert "/community/cases/a/" in compare and "/community/cases/b/" in compare


def test_exports_defuse_formulas(admin: Any, city: Any) -> None:
    _case(admin, city, "f", title_fr='=HYPERLINK("http://x")', question_fr="Q")
    row = next(csv.DictReader(io.StringIO(services_csv())))
    assert row["title"].startswith("'=")


def services_csv() -> str:
    from ecocite.web.community.exports import cases_csv

    return cases_csv(Case.objects.all())


def test_followers_are_told_in_their_language(
    make_user: Any, admin: Any, city: Any, django_capture_on_commit_callbacks: Any
) -> None:
    fan = make_user("fan")
    fan.email, fan.preferred_language = "fan@example.org", "zh-hans"
    fan.save()
    services.follow_theme(fan, "water")
    process = _process(admin, city, "w", 400)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_case(admin, process, {"themes": ["water"], "question_fr": "Q"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["fan@example.org"]
    assert "案例" in mail.outbox[0].subject  # written in Chinese
    services.follow_theme(fan, "water", follow=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_case(admin, _process(admin, city, "w2", 400), {"themes": ["water"]})
    assert len(mail.outbox) == 1


# ---------------------------------------------------------------- API


def test_api_permissions_match_the_pages(
    official: Any, make_user: Any, open_process: Process, closed_process: Process
) -> None:
    payload = {"process": open_process.slug, "help_kind": "mapping", "title_fr": "Carte",
               "starts_on": "2026-04-02", "ends_on": "2026-04-30"}  # fmt: skip
    assert Client().post(
        "/api/v1/calls/", payload, content_type="application/json"
    ).status_code in (401, 403)
    resident = make_user("rex", (RoleKind.RESIDENT, None))
    assert (
        _client(resident)
        .post("/api/v1/calls/", payload, content_type="application/json")
        .status_code
        == 403
    )
    created = _client(official).post("/api/v1/calls/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    call_id = created.json()["id"]
    answered = _client(resident).post(
        "/api/v1/call-answers/",
        {"call": call_id, "message": "Moi"},
        content_type="application/json",
    )
    assert answered.status_code == 201, answered.content
    answer_id = answered.json()["id"]
    # Only the author and the organisers see an answer.
    stranger = make_user("stan")
    assert _client(stranger).get("/api/v1/call-answers/").json()["count"] == 0
    assert _client(official).get("/api/v1/call-answers/").json()["count"] == 1
    decide = f"/api/v1/call-answers/{answer_id}/decide/"
    assert (
        _client(resident)
        .post(decide, {"accept": True}, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        _client(official)
        .post(decide, {"accept": True}, content_type="application/json")
        .status_code
        == 200
    )
    # Publishing a case: refused while the process runs, accepted once it has closed.
    case = {"process": open_process.slug, "question_fr": "Q"}
    assert (
        _client(official).post("/api/v1/cases/", case, content_type="application/json").status_code
        == 403
    )
    case["process"] = closed_process.slug
    published = _client(official).post("/api/v1/cases/", case, content_type="application/json")
    assert published.status_code == 201, published.content
    assert published.json()["figures"]["proposals"] == 3


def test_the_publisher_corrects_texts_but_not_figures(
    official: Any, make_user: Any, closed_process: Process
) -> None:
    case = services.publish_case(official, closed_process, {"question_fr": "Q"})
    url = reverse("community:case_edit", args=[case.slug])
    assert _client(make_user("nobody")).get(url).status_code == 403
    response = _client(official).post(
        url, {"question_fr": "Quelle berge ?", "lessons_en": "Go early"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.question_fr == "Quelle berge ?" and case.lessons_en == "Go early"
    assert case.figures["proposals"] == 3


def test_the_library_pages_by_fifty(admin: Any, city: Any) -> None:
    from ecocite.web.community.views import CASES_PER_PAGE

    process = _process(admin, city, "many", 400)
    base = services.create_case(process, {"question_fr": "Q", "themes": ["water"]})
    Case.objects.bulk_create(
        Case(slug=f"c{i}", city=city, scale="territory", title_fr=f"Cas {i}",
             published_at=base.published_at, facets=" theme:water ")
        for i in range(CASES_PER_PAGE + 5)
    )  # fmt: skip
    first = Client().get(reverse("community:cases"), {"theme": "water"}).content.decode()
    assert first.count('name="case"') == CASES_PER_PAGE
    assert "theme=water&amp;page=2" in first
    second = (
        Client().get(reverse("community:cases"), {"theme": "water", "page": 2}).content.decode()
    )
    assert second.count('name="case"') == 6


def test_methods_come_from_what_the_process_held(admin: Any, city: Any) -> None:
    from ecocite.web.workshops.models import Workshop

    process = _process(admin, city, "held", 400)
    Workshop.objects.create(
        process=process, kind="hybrid", title_fr="A", address="Mairie",
        video_url="https://meet.example.org/a", time_zone="Europe/Paris",
        starts_at=NOW - timedelta(days=300), ends_at=NOW - timedelta(days=300) + timedelta(hours=1),
        closed_at=NOW - timedelta(days=299),
    )  # fmt: skip
    Workshop.objects.create(
        process=process,
        kind="online",
        title_fr="B",
        video_url="https://meet.example.org/b",
        time_zone="Europe/Paris",
        starts_at=NOW,
        ends_at=NOW + timedelta(hours=1),
    )  # fmt: skip (not held yet: no closing minutes)
    assert services.process_methods(process) == ["workshop_in_person", "workshop_online"]
