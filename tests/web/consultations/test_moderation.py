"""Moderation of a consultation: report, queue, hide/restore with a public reason, block, log.

Pages and the API: the same services, the same rules, the same refusals.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.consultations import services
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.interactions.models import Block, Comment, ModerationAct, Report

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: Any) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def _process(admin: Any, city: Any, slug: str) -> Process:
    return services.create_process(
        admin, city, services.standard_phases(NOW - timedelta(days=40)),
        slug=slug, scale="territory", title_fr=f"Consultation {slug}", decision_fr="Plan",
    )  # fmt: skip


@pytest.fixture
def world(make_user: Any, city: Any) -> dict[str, Any]:
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    process = _process(admin, city, "centre")
    other = _process(admin, city, "gare")
    mod = make_user("mona")
    mod.preferred_language = "en"  # the moderator reads the pages in English
    mod.save()
    Role.objects.create(user=mod, kind=RoleKind.MODERATOR, scope=process)
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    troll = make_user("troll", (RoleKind.RESIDENT, None))
    proposal = services.submit_proposal(rosa, process, title="Jardin", body="Un jardin.")
    spam = services.submit_proposal(troll, process, title="Achetez", body="Pub pub pub.")
    elsewhere = services.submit_proposal(troll, other, title="Ailleurs", body="Autre.")
    bad = services.comment_on(troll, proposal, "Insulte.")
    answer = services.comment_on(rosa, proposal, "Restons calmes.", parent=bad)
    return {
        "admin": admin, "mod": mod, "rosa": rosa, "troll": troll, "process": process,
        "other": other, "proposal": proposal, "spam": spam, "elsewhere": elsewhere,
        "bad": bad, "answer": answer,
    }  # fmt: skip


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_report_queue_hide_with_a_public_reason_and_restore(world: dict[str, Any]) -> None:
    rosa, mod, bad = _client(world["rosa"]), _client(world["mod"]), world["bad"]
    proposal = world["proposal"]
    r = rosa.post(reverse("consultations:report_comment", args=[bad.pk]), {"reason": "offensive"})
    assert r.status_code == 302
    # Reporting again updates the one open report of this person.
    rosa.post(
        reverse("consultations:report_comment", args=[bad.pk]),
        {"reason": "offensive", "explanation": "Des insultes."},
    )
    _client(world["admin"]).post(
        reverse("consultations:report_comment", args=[bad.pk]), {"reason": "spam"}
    )
    assert Report.objects.count() == 2
    # Only moderators of the process (and administrators) see the queue.
    assert rosa.get(reverse("consultations:moderation", args=["centre"])).status_code == 403
    queue = mod.get(reverse("consultations:moderation", args=["centre"]))
    assert queue.status_code == 200
    body = queue.content.decode()
    assert "Insulte." in body and "2 reports" in body and "Des insultes." in body
    # Hide without a reason: refused, nothing hidden.
    url = reverse("consultations:moderate_comment", args=[bad.pk])
    mod.post(url, {"action": "hide", "reason": "  "})
    bad.refresh_from_db()
    assert bad.hidden_at is None
    mod.post(url, {"action": "hide", "reason": "Propos injurieux.", "next": "queue"})
    bad.refresh_from_db()
    assert bad.hidden_reason == "Propos injurieux."
    assert not Report.objects.filter(handled_at__isnull=True).exists()
    # The public sees the placeholder with the reason; the answer stays in the thread.
    page = Client().get(reverse("consultations:proposal", args=[proposal.pk])).content.decode()
    assert "Insulte." not in page and "Propos injurieux." in page and "Restons calmes." in page
    # Counts, exports and the API leave the hidden comment's text out.
    row = services.proposals_of(world["process"]).get(pk=proposal.pk)
    assert row.comments == 1
    rows = list(
        csv.DictReader(
            io.StringIO(
                Client()
                .get(reverse("consultations:comments_csv", args=["centre"]))
                .content.decode()
            )
        )
    )
    hidden_row = next(r for r in rows if r["id"] == str(bad.pk))
    assert hidden_row["text"] == "" and hidden_row["hidden"] == "True"
    assert hidden_row["hidden_reason"] == "Propos injurieux."
    api = _api().get("/api/v1/proposal-comments/", {"proposal": proposal.pk}).json()["results"]
    hidden_api = next(c for c in api if c["id"] == bad.pk)
    assert hidden_api["text"] == "" and hidden_api["hidden"] and hidden_api["author"] == ""
    # Nobody answers a hidden comment.
    r = rosa.post(
        reverse("consultations:comment", args=[proposal.pk]), {"text": "Et toc", "parent": bad.pk}
    )
    assert r.status_code == 422 and Comment.objects.filter(text="Et toc").count() == 0
    # Restore, with a reason; both acts are in the log with who and why.
    mod.post(url, {"action": "restore", "reason": "Erreur de lecture."})
    bad.refresh_from_db()
    assert bad.hidden_at is None
    log = list(
        ModerationAct.objects.order_by("id").values_list("action", "actor__username", "reason")
    )
    assert log == [
        ("hide", "mona", "Propos injurieux."),
        ("restore", "mona", "Erreur de lecture."),
    ]
    log_page = mod.get(reverse("consultations:moderation", args=["centre"])).content.decode()
    assert "Erreur de lecture." in log_page


def test_a_hidden_proposal_shows_its_reason_and_leaves_lists_counts_exports_and_the_api(
    world: dict[str, Any],
) -> None:
    spam, mod = world["spam"], _client(world["mod"])
    mod.post(
        reverse("consultations:moderate_proposal", args=[spam.pk]),
        {"action": "hide", "reason": "Publicité."},
    )
    spam.refresh_from_db()
    assert spam.hidden_at is not None
    public = Client().get(reverse("consultations:proposal", args=[spam.pk]))
    assert public.status_code == 200
    assert b"Pub pub pub" not in public.content and "Publicité.".encode() in public.content
    # Moderators still read it, marked hidden.
    assert b"Pub pub pub" in mod.get(reverse("consultations:proposal", args=[spam.pk])).content
    listing = Client().get(reverse("consultations:process", args=["centre"])).content
    assert b"Achetez" not in listing and b"Jardin" in listing
    exported = Client().get(reverse("consultations:proposals_csv", args=["centre"])).content
    assert b"Achetez" not in exported
    ids = [
        p["id"] for p in _api().get("/api/v1/proposals/", {"process": "centre"}).json()["results"]
    ]
    assert spam.pk not in ids
    # Nobody supports, comments or reports a hidden proposal.
    rosa = _client(world["rosa"])
    assert rosa.post(reverse("consultations:support", args=[spam.pk])).status_code == 404
    assert (
        _api(world["rosa"]).post("/api/v1/proposal-supports/", {"proposal": spam.pk}).status_code
        == 404
    )


def test_blocking_hides_everything_the_person_wrote_here_and_stops_their_writing(
    world: dict[str, Any],
) -> None:
    mod, troll = _client(world["mod"]), world["troll"]
    r = mod.post(
        reverse("consultations:block", args=["centre"]),
        {"user": troll.pk, "reason": "Harcèlement répété."},
    )
    assert r.status_code == 302
    block = Block.objects.get()
    assert block.scope == world["process"]
    for obj in (world["spam"], world["bad"]):
        obj.refresh_from_db()
        assert obj.hidden_reason == "Harcèlement répété."
    # What they wrote in another process stays, and they may still write there.
    world["elsewhere"].refresh_from_db()
    assert world["elsewhere"].hidden_at is None
    act = ModerationAct.objects.get(action="block")
    assert act.affected == 2 and act.subject == troll and act.actor == world["mod"]
    # Blocked here: no proposal, comment, support or report (page and API).
    client = _client(troll)
    proposal = world["proposal"]
    assert (
        client.post(
            reverse("consultations:propose", args=["centre"]), {"title": "x", "body": "y"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("consultations:comment", args=[proposal.pk]), {"text": "x"}).status_code
        == 403
    )
    assert client.post(reverse("consultations:support", args=[proposal.pk])).status_code == 403
    assert (
        client.post(
            reverse("consultations:report_proposal", args=[proposal.pk]), {"reason": "spam"}
        ).status_code
        == 403
    )
    api = _api(type(troll).objects.get(pk=troll.pk))  # a fresh account object, as per request
    assert (
        api.post(
            "/api/v1/proposals/", {"process": "centre", "title": "x", "body": "y"}, format="json"
        ).status_code
        == 403
    )
    assert (
        api.post(
            "/api/v1/proposal-comments/", {"proposal": proposal.pk, "text": "x"}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("consultations:propose", args=["gare"]), {"title": "Ici", "body": "Oui"}
        ).status_code
        == 302
    )
    # A moderator of this process blocks only here; an administrator may block everywhere.
    assert (
        mod.post(
            reverse("consultations:block", args=["centre"]),
            {"user": world["rosa"].pk, "reason": "x", "everywhere": "on"},
        ).status_code
        == 403
    )
    # Lifting the block lets them write again (what it hid stays hidden).
    mod.post(
        reverse("consultations:unblock", args=["centre", block.pk]), {"reason": "Excuses reçues."}
    )
    assert not Block.objects.exists()
    assert (
        client.post(
            reverse("consultations:comment", args=[proposal.pk]), {"text": "Pardon."}
        ).status_code
        == 302
    )
    world["spam"].refresh_from_db()
    assert world["spam"].hidden_at is not None
    assert list(ModerationAct.objects.order_by("id").values_list("action", flat=True)) == [
        "block", "unblock",
    ]  # fmt: skip


def test_a_platform_block_by_an_administrator_hides_everything(world: dict[str, Any]) -> None:
    admin = _client(world["admin"])
    admin.post(
        reverse("consultations:block", args=["centre"]),
        {"user": world["troll"].pk, "reason": "Spam partout.", "everywhere": "on"},
    )
    block = Block.objects.get()
    assert block.scope_id is None
    world["elsewhere"].refresh_from_db()
    assert world["elsewhere"].hidden_reason == "Spam partout."
    assert (
        _client(world["troll"])
        .post(reverse("consultations:propose", args=["gare"]), {"title": "x", "body": "y"})
        .status_code
        == 403
    )
    # An administrator cannot be blocked, nor anyone block themselves.
    r = admin.post(
        reverse("consultations:block", args=["centre"]), {"user": world["admin"].pk, "reason": "x"}
    )
    assert r.status_code == 302 and Block.objects.count() == 1


def test_the_moderation_api_follows_the_same_rules(world: dict[str, Any]) -> None:
    bad, spam = world["bad"], world["spam"]
    rosa = _api(world["rosa"])
    assert (
        _api().post(f"/api/v1/proposal-comments/{bad.pk}/report/", {"reason": "spam"}).status_code
        == 401
    )
    assert (
        rosa.post(f"/api/v1/proposal-comments/{bad.pk}/report/", {"reason": "nonsense"}).status_code
        == 400
    )
    assert (
        rosa.post(
            f"/api/v1/proposal-comments/{bad.pk}/report/", {"reason": "offensive"}
        ).status_code
        == 201
    )
    assert rosa.post(f"/api/v1/proposals/{spam.pk}/report/", {"reason": "spam"}).status_code == 201
    assert rosa.get("/api/v1/moderation-reports/", {"process": "centre"}).status_code == 403
    mod = _api(world["mod"])
    queue = mod.get("/api/v1/moderation-reports/", {"process": "centre"}).json()
    assert {(q["kind"], q["id"], q["reports"]) for q in queue} == {
        ("comment", bad.pk, 1), ("proposal", spam.pk, 1),
    }  # fmt: skip
    # The moderator of "centre" is no moderator of "gare".
    assert mod.get("/api/v1/moderation-reports/", {"process": "gare"}).status_code == 403
    assert rosa.post(f"/api/v1/proposals/{spam.pk}/hide/", {"reason": "x"}).status_code == 403
    assert mod.post(f"/api/v1/proposals/{spam.pk}/hide/", {}).status_code == 400
    hidden = mod.post(f"/api/v1/proposals/{spam.pk}/hide/", {"reason": "Publicité."})
    assert hidden.status_code == 200 and hidden.json()["hidden"]
    assert (
        mod.post(
            f"/api/v1/proposal-comments/{bad.pk}/dismiss/", {"reason": "Rien de grave."}
        ).json()["hidden"]
        is False
    )
    assert mod.get("/api/v1/moderation-reports/", {"process": "centre"}).json() == []
    assert (
        mod.post(
            f"/api/v1/proposals/{spam.pk}/restore/", {"reason": "Après vérification."}
        ).status_code
        == 200
    )
    block = mod.post(
        "/api/v1/moderation-blocks/",
        {"user": "troll", "process": "centre", "reason": "Spam."},
        format="json",
    )
    assert block.status_code == 201 and block.json()["process"] == "centre"
    assert (
        mod.post(
            "/api/v1/moderation-blocks/",
            {"user": "rosa", "process": None, "reason": "x"},
            format="json",
        ).status_code
        == 403
    )
    assert [
        b["user"] for b in mod.get("/api/v1/moderation-blocks/", {"process": "centre"}).json()
    ] == ["troll"]
    log = mod.get("/api/v1/moderation-log/", {"process": "centre"}).json()["results"]
    assert [a["action"] for a in log] == ["block", "restore", "dismiss", "hide"]
    assert log[0]["affected"] == 2 and log[0]["actor"] == "mona" and log[0]["subject"] == "troll"
    assert rosa.get("/api/v1/moderation-log/", {"process": "centre"}).status_code == 403
    assert (
        mod.post(
            f"/api/v1/moderation-blocks/{block.json()['id']}/lift/", {"reason": "Fini."}
        ).status_code
        == 204
    )


def test_statistics_leave_hidden_proposals_out(world: dict[str, Any]) -> None:
    from ecocite.web.consultations.capability import CAPABILITY

    count = next(iter(CAPABILITY.statistics.values()))
    before = count()
    services.hide_content(world["admin"], world["spam"], "Publicité.")
    assert count() == before - 1
    assert Proposal.objects.count() == before


def test_the_queue_page_costs_the_same_queries_for_one_or_many_reports(
    world: dict[str, Any],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mod, rosa = _client(world["mod"]), world["rosa"]
    url = reverse("consultations:moderation", args=["centre"])

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert mod.get(url).status_code == 200
        return len(queries)

    services.comment_on(rosa, world["proposal"], "Encore.")
    from ecocite.web.interactions import services as interactions

    interactions.report(rosa, world["bad"], "spam")
    one = cost()
    for i in range(4):
        comment = services.comment_on(world["troll"], world["proposal"], f"Spam {i}")
        interactions.report(rosa, comment, "spam")
        services.hide_content(
            world["admin"],
            services.submit_proposal(world["troll"], world["process"], title=f"P{i}", body="b"),
            "Pub.",
        )
    assert cost() == one


def test_moderation_acts_are_signalled_after_commit(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from ecocite.web.consultations import signals

    heard: list[tuple[str, Any, Any]] = []

    def listen(sender: Any, action: str, target: Any, person: Any, **kwargs: Any) -> None:
        heard.append((action, target, person))

    signals.content_moderated.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.hide_content(world["mod"], world["bad"], "Propos injurieux.")
            services.block_participant(world["mod"], world["troll"], world["process"], "Spam.")
    finally:
        signals.content_moderated.disconnect(listen)
    assert heard == [("hide", world["bad"], world["troll"]), ("block", None, world["troll"])]
