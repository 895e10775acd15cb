"""Comment threads (reply, edit within the window, delete → placeholder), write rate limits
(per person and per address, page and API: 429) and the honeypot of anonymous forms.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import services
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.core.models import Phase
from ecocite.web.interactions.models import Comment, Report

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch: Any) -> list[datetime]:
    moment = [NOW]
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment[0])
    return moment


@pytest.fixture
def process(make_user: Any, city: Any, clock: list[datetime]) -> Process:
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    return services.create_process(
        admin, city, services.standard_phases(NOW - timedelta(days=40)),
        slug="centre", scale="territory", title_fr="Cœur de ville", decision_fr="Plan",
    )  # fmt: skip


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_reply_edit_within_the_window_and_delete_leaves_a_placeholder(
    process: Process, make_user: Any, clock: list[datetime], settings: Any
) -> None:
    settings.COMMENT_EDIT_WINDOW_S = 600
    rosa, bo = make_user("rosa"), make_user("bo")
    proposal = services.submit_proposal(rosa, process, title="Jardin", body="Oui")
    first = services.comment_on(rosa, proposal, "Première remarque.")
    client = _client(bo)
    r = client.post(
        reverse("consultations:comment", args=[proposal.pk]),
        {"text": "Une réponse.", "parent": first.pk},
    )
    assert r.status_code == 302 and r["Location"].endswith(f"#comment-{first.pk + 1}")
    reply = Comment.objects.get(text="Une réponse.")
    assert reply.parent_id == first.pk
    page = client.get(reverse("consultations:proposal", args=[proposal.pk])).content.decode()
    assert 'class="comment depth-1"' in page and f'id="comment-{reply.pk}"' in page
    # Edit: the author, within the window; others never.
    edit = reverse("consultations:comment_edit", args=[first.pk])
    assert client.get(edit).status_code == 403
    author = _client(rosa)
    assert author.get(edit).status_code == 200
    assert author.post(edit, {"text": ""}).status_code == 422
    assert author.post(edit, {"text": "Remarque précisée."}).status_code == 302
    first.refresh_from_db()
    assert first.text == "Remarque précisée." and first.edited_at is not None
    clock[0] = NOW + timedelta(seconds=601)
    assert author.post(edit, {"text": "Trop tard."}).status_code == 403
    first.refresh_from_db()
    assert first.text == "Remarque précisée."
    # API: the same window.
    api = APIClient()
    api.force_authenticate(rosa)
    late = api.patch(f"/api/v1/proposal-comments/{first.pk}/", {"text": "x"}, format="json")
    assert late.status_code == 403
    # Delete: the text goes, the answer stays under a placeholder.
    assert client.post(reverse("consultations:comment_delete", args=[first.pk])).status_code == 403
    assert author.post(reverse("consultations:comment_delete", args=[first.pk])).status_code == 302
    first.refresh_from_db()
    assert first.is_deleted and first.text == ""
    page = Client().get(reverse("consultations:proposal", args=[proposal.pk]))
    body = page.content.decode()
    assert "Remarque précisée." not in body and "Une réponse." in body
    assert 'class="placeholder"' in body
    row = services.proposals_of(process).get(pk=proposal.pk)
    assert row.comments == 1
    # Deleting twice is refused; the API deletes the same way.
    assert author.post(reverse("consultations:comment_delete", args=[first.pk])).status_code == 403
    api.force_authenticate(bo)
    gone = api.delete(f"/api/v1/proposal-comments/{reply.pk}/")
    assert gone.status_code == 200 and gone.json()["deleted"] and gone.json()["text"] == ""


def test_writing_too_fast_is_refused_with_429_per_person(
    process: Process, make_user: Any, settings: Any
) -> None:
    settings.WRITE_RATE_LIMITS = {**settings.WRITE_RATE_LIMITS, "comment": (2, 100)}
    rosa = make_user("rosa")
    rosa.preferred_language = "en"
    rosa.save()
    proposal = services.submit_proposal(rosa, process, title="Jardin", body="Oui")
    client = _client(rosa)
    url = reverse("consultations:comment", args=[proposal.pk])
    assert client.post(url, {"text": "Un."}).status_code == 302
    assert client.post(url, {"text": ""}).status_code == 422  # a refused form counts nothing
    assert client.post(url, {"text": "Deux."}).status_code == 302
    refused = client.post(url, {"text": "Trois."})
    assert refused.status_code == 429 and refused["Retry-After"] == str(
        settings.WRITE_RATE_WINDOW_S
    )
    assert b"faster than this site allows" in refused.content
    assert not Comment.objects.filter(text="Trois.").exists()
    api = APIClient()
    api.force_authenticate(rosa)
    answer = api.post(
        "/api/v1/proposal-comments/",
        {"proposal": proposal.pk, "text": "Quatre."},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 429 and "faster" in answer.json()["detail"]
    # Someone else, from the same address, still writes (the address limit is higher).
    assert _client(make_user("bo")).post(url, {"text": "Bo."}).status_code == 302
    # The window passes: the cache forgets the counters.
    cache.clear()
    assert client.post(url, {"text": "Plus tard."}).status_code == 302


def test_writing_too_fast_is_refused_per_address_even_without_an_account(
    process: Process, make_user: Any, settings: Any
) -> None:
    Phase.objects.filter(position=2).update(anonymous_allowed=True)
    settings.WRITE_RATE_LIMITS = {**settings.WRITE_RATE_LIMITS, "proposal": (100, 2)}
    url = reverse("consultations:propose", args=[process.slug])
    visitor = Client(REMOTE_ADDR="203.0.113.7")
    assert visitor.post(url, {"title": "A", "body": "a"}).status_code == 302
    assert visitor.post(url, {"title": "B", "body": "b"}).status_code == 302
    assert visitor.post(url, {"title": "C", "body": "c"}).status_code == 429
    # A person with an account on the same address is held by the address limit too.
    rosa = make_user("rosa")
    shared = Client(REMOTE_ADDR="203.0.113.7")
    shared.force_login(rosa)
    assert shared.post(url, {"title": "D", "body": "d"}).status_code == 429
    assert (
        Client(REMOTE_ADDR="198.51.100.1").post(url, {"title": "E", "body": "e"}).status_code == 302
    )
    assert sorted(Proposal.objects.values_list("title", flat=True)) == ["A", "B", "E"]
    # Nothing of the address is stored with the anonymous proposals.
    columns = {f.name for f in Proposal._meta.get_fields()}
    assert not columns & {"ip", "address", "remote_addr", "ip_address"}
    # Reports and supports are limited the same way (API).
    settings.WRITE_RATE_LIMITS = {**settings.WRITE_RATE_LIMITS, "report": (1, 10)}
    api = APIClient()
    api.force_authenticate(rosa)
    proposal = Proposal.objects.get(title="A")
    assert (
        api.post(f"/api/v1/proposals/{proposal.pk}/report/", {"reason": "spam"}).status_code == 201
    )
    assert (
        api.post(f"/api/v1/proposals/{proposal.pk}/report/", {"reason": "spam"}).status_code == 429
    )
    assert Report.objects.count() == 1


def test_a_filled_honeypot_is_refused_without_saving(process: Process) -> None:
    Phase.objects.filter(position=2).update(anonymous_allowed=True, actions=["propose", "comment"])
    url = reverse("consultations:propose", args=[process.slug])
    visitor = Client()
    form = visitor.get(url).content.decode()
    assert 'name="website"' in form and 'tabindex="-1"' in form and 'aria-hidden="true"' in form
    robot = visitor.post(url, {"title": "Viagra", "body": "Pas cher", "website": "http://spam"})
    assert robot.status_code == 422 and not Proposal.objects.exists()
    assert visitor.post(url, {"title": "Un banc", "body": "Ici", "website": ""}).status_code == 302
    proposal = Proposal.objects.get()
    comment = reverse("consultations:comment", args=[proposal.pk])
    assert visitor.post(comment, {"text": "spam", "website": "x"}).status_code == 422
    assert visitor.post(comment, {"text": "Bien vu."}).status_code == 302
    assert list(Comment.objects.values_list("text", flat=True)) == ["Bien vu."]


def test_signed_in_forms_carry_no_honeypot(process: Process, make_user: Any) -> None:
    client = _client(make_user("rosa"))
    page = client.get(reverse("consultations:propose", args=[process.slug])).content.decode()
    assert 'name="website"' not in page
