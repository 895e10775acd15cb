"""Conversations: one vote per participant and statement, moderation, routing, the map job."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.conversations import services
from ecocite.web.conversations.models import OpinionMap, Participant, Statement, Vote

pytestmark = pytest.mark.django_db


def _accepted(conversation: Any, admin: Any, texts: list[str]) -> list[Statement]:
    rows = [services.add_statement(admin, conversation, t) for t in texts]
    services.moderate(admin, conversation, [s.pk for s in rows], 1)
    return [Statement.objects.get(pk=s.pk) for s in rows]


def test_one_vote_per_participant_and_statement_the_latest_wins(
    conversation: Any, admin: Any, make_user: Any
) -> None:
    (s,) = _accepted(conversation, admin, ["Plus d'arbres"])
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    services.cast_vote(rosa, conversation, s, 1)
    services.cast_vote(rosa, conversation, s, -1)
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]
    p = Participant.objects.get(user=rosa)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(participant=p, statement=s, value=1, voted_at=timezone.now())
    with pytest.raises(ValidationError):
        services.cast_vote(rosa, conversation, s, 2)


def test_statements_moderated_before_are_hidden_until_accepted(
    conversation: Any, admin: Any, make_user: Any
) -> None:
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    s = services.add_statement(rosa, conversation, "  Des bancs   à l'ombre ")
    assert s.text == "Des bancs à l'ombre" and not s.is_visible()
    with pytest.raises(ValidationError):
        services.cast_vote(rosa, conversation, s, 1)
    with pytest.raises(PermissionDenied):
        services.moderate(rosa, conversation, [s.pk], 1)
    with pytest.raises(ValidationError):
        services.add_statement(rosa, conversation, "des bancs à l'ombre")  # duplicate
    with pytest.raises(ValidationError):
        services.add_statement(rosa, conversation, "x" * 281)
    assert services.moderate(admin, conversation, [s.pk], 1) == 1
    s.refresh_from_db()
    assert s.is_visible()
    services.cast_vote(rosa, conversation, s, 1)


def test_after_moderation_shows_at_once_and_a_rejection_hides(
    conversation: Any, admin: Any, make_user: Any
) -> None:
    conversation.moderation = "after"
    conversation.save()
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    s = services.add_statement(rosa, conversation, "Fermer la rue le dimanche")
    assert s.is_visible()
    services.moderate(admin, conversation, [s.pk], -1)
    assert not services.visible_statements(conversation).exists()


def test_a_process_moderator_moderates_in_bulk_from_the_page(
    conversation: Any, admin: Any, make_user: Any, client_for: Any
) -> None:
    mod = make_user("mo")
    Role.objects.create(user=mod, kind=RoleKind.MODERATOR, scope=conversation.process)
    for t in ["Un", "Deux", "Trois"]:
        services.add_statement(admin, conversation, t)
    client = client_for(mod)
    url = reverse("conversations:moderate", args=[conversation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"all_pending": "1", "decision": "accept"})
    assert response.status_code == 302
    assert set(conversation.statements.values_list("moderated", flat=True)) == {1}
    first = conversation.statements.order_by("id").first()
    client.post(url, {"statements": [first.pk], "decision": "reject"})
    first.refresh_from_db()
    assert first.moderated == -1
    resident = client_for(make_user("rosa", (RoleKind.RESIDENT, None)))
    assert resident.get(url).status_code == 403


def test_voting_follows_the_phase_and_anonymous_people_vote_where_it_allows(
    admin: Any, city: Any, make_process: Any
) -> None:
    closed = make_process(admin, city, slug="closed")
    conversation = services.create_conversation(admin, closed, topic_fr="Q")
    (s,) = _accepted(conversation, admin, ["A"])
    anonymous = Client()
    page = anonymous.get(reverse("conversations:detail", args=[conversation.pk]))
    assert b'id="closed"' in page.content
    refused = anonymous.post(
        reverse("conversations:vote", args=[conversation.pk]), {"statement": s.pk, "vote": "1"}
    )
    assert refused.status_code == 302 and "login" in refused["Location"]
    assert not Vote.objects.exists()

    open_process = make_process(admin, city, anonymous=True, slug="open")
    conversation = services.create_conversation(admin, open_process, topic_fr="Q")
    statements = _accepted(conversation, admin, ["A", "B"])
    url = reverse("conversations:detail", args=[conversation.pk])
    page = anonymous.get(url)
    shown = page.context["statement"]
    assert shown in statements
    anonymous.post(
        reverse("conversations:vote", args=[conversation.pk]), {"statement": shown.pk, "vote": "1"}
    )
    anonymous.post(
        reverse("conversations:vote", args=[conversation.pk]), {"statement": shown.pk, "vote": "0"}
    )
    page = anonymous.get(url)
    assert page.context["statement"] != shown and page.context["voted"] == 1
    other = Client()
    other.post(
        reverse("conversations:vote", args=[conversation.pk]), {"statement": shown.pk, "vote": "-1"}
    )
    assert sorted(Vote.objects.values_list("value", flat=True)) == [-1, 0]
    assert Participant.objects.filter(conversation=conversation, user=None).count() == 2
    anonymous.post(
        reverse("conversations:statement", args=[conversation.pk]), {"text": "Une idée anonyme"}
    )
    assert conversation.statements.filter(text="Une idée anonyme", moderated=0).exists()


def test_routing_skips_voted_statements_and_favours_priority(
    conversation: Any, admin: Any, make_user: Any
) -> None:
    statements = _accepted(conversation, admin, [f"S{i}" for i in range(6)])
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    seen = []
    for _ in range(6):
        p = services.find_participant(rosa, conversation, None)
        s = services.next_statement(conversation, p)
        assert s is not None and s not in seen
        seen.append(s)
        services.cast_vote(rosa, conversation, s, 1)
    p = services.find_participant(rosa, conversation, None)
    assert services.next_statement(conversation, p) is None
    assert set(seen) == set(statements)
    # a meta statement (priority 49) comes first far more often than a well-voted one
    meta = services.add_statement(admin, conversation, "Je suis résident", is_meta=True)
    services.moderate(admin, conversation, [meta.pk], 1)
    picks = [services.next_statement(conversation, Participant(pk=i)) for i in range(1000, 1040)]
    assert sum(s.pk == meta.pk for s in picks if s) > 40 / 7


def _crowd(conversation: Any, statements: list[Statement], make_user: Any, n: int = 30) -> None:
    """Two camps: the first half agrees with the first half of the statements, and so on."""
    half = len(statements) // 2
    for i in range(n):
        user = make_user(f"voter{i}", (RoleKind.RESIDENT, None))
        camp = i % 2
        for j, s in enumerate(statements):
            value = 1 if (j < half) == (camp == 0) else -1
            if j == len(statements) - 1:
                value = 1  # everyone agrees with the last one
            services.cast_vote(user, conversation, s, value)


def test_the_map_is_computed_by_the_job_after_n_votes_never_in_the_page(
    conversation: Any, admin: Any, make_user: Any, settings: Any
) -> None:
    statements = _accepted(conversation, admin, [f"Énoncé {i}" for i in range(8)])
    services.compute_map(conversation.pk)  # a first (empty) map: now N votes are awaited
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    for s in statements[:4]:
        services.cast_vote(rosa, conversation, s, 1)
    # (the test transaction never commits: on_commit hooks run by hand here)
    from django_tasks_db.models import DBTaskResult

    assert services.request_map(conversation.pk) is False  # 4 votes < 5, 1 h not passed
    services.cast_vote(rosa, conversation, statements[4], 1)
    assert services.request_map(conversation.pk) is True
    assert services.request_map(conversation.pk) is False  # already queued
    assert DBTaskResult.objects.count() == 1
    assert OpinionMap.objects.get().votes == 0  # nothing computed in the request
    services.compute_map(conversation.pk)
    conversation.refresh_from_db()
    assert conversation.new_votes == 0 and not conversation.map_queued
    assert OpinionMap.objects.get().votes == 5
    # M seconds after the map, a single vote is enough
    settings.OPINION_MAP_EVERY_SECONDS = 0
    services.cast_vote(rosa, conversation, statements[5], 1)
    assert services.request_map(conversation.pk) is True


def test_the_map_page_shows_groups_consensus_and_exports_polis_csv(
    conversation: Any, admin: Any, make_user: Any
) -> None:
    statements = _accepted(
        conversation, admin, [f"Énoncé {i}" for i in range(7)] + ["=HYPERLINK(1) des arbres"]
    )
    _crowd(conversation, statements, make_user)
    services.compute_map(conversation.pk)
    stored = OpinionMap.objects.get()
    assert len(stored.result["group_sizes"]) == 2
    assert stored.result["group_sizes"] == [15, 15]
    # the two camps are the two groups
    groups = stored.result["groups"]
    camps = {}
    for p in Participant.objects.filter(user__username__startswith="voter").select_related("user"):
        camps.setdefault(int(p.user.username[5:]) % 2, set()).add(groups[str(p.pk)])
    assert all(len(v) == 1 for v in camps.values()) and camps[0] != camps[1]
    client = Client()
    page = client.get(reverse("conversations:map", args=[conversation.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert '<svg role="img"' in body and "en 2 groupes" in body
    assert "=HYPERLINK(1) des arbres" in body  # consensus, shown as written
    files = {
        name: client.get(reverse("conversations:export", args=[conversation.pk, name]))
        for name in services.EXPORT_FILES
    }
    comments = services.csv_rows(files["comments.csv"].content.decode())
    assert comments[0] == [
        "timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated",
        "comment-body",
    ]  # fmt: skip
    bodies = {row[7] for row in comments[1:]}
    assert "'=HYPERLINK(1) des arbres" in bodies  # defused for spreadsheets
    votes = services.csv_rows(files["votes.csv"].content.decode())
    assert votes[0] == ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
    assert len(votes) - 1 == 30 * 8
    ptpts = services.csv_rows(files["participants-votes.csv"].content.decode())
    assert ptpts[0][:6] == [
        "participant",
        "group-id",
        "n-comments",
        "n-votes",
        "n-agree",
        "n-disagree",
    ]
    assert {row[1] for row in ptpts[1:]} == {"0", "1"}
    # the engine reads it back as a Polis export
    import tempfile
    from pathlib import Path

    from ecocite.participation.polis_io import read_export

    with tempfile.TemporaryDirectory() as folder:
        for name, response in files.items():
            (Path(folder) / name).write_bytes(response.content)
        export = read_export(folder)
    assert len(export.participants) == 30 and len(export.statements) == 8


def test_a_consensus_statement_becomes_a_proposal_and_shows_group_agreement(
    conversation: Any, admin: Any, make_user: Any, city: Any, client_for: Any
) -> None:
    statements = _accepted(conversation, admin, [f"Énoncé {i}" for i in range(8)])
    _crowd(conversation, statements, make_user)
    services.compute_map(conversation.pk)
    last = statements[-1]
    assert last.pk in services.consensus_ids(conversation)
    resident = client_for(make_user("rosa", (RoleKind.RESIDENT, None)))
    url = reverse("conversations:propose", args=[last.pk])
    assert resident.post(url).status_code == 403
    official = client_for(make_user("olga", (RoleKind.CITY_OFFICIAL, city)))
    page = official.get(reverse("conversations:map", args=[conversation.pk]))
    assert url in page.content.decode()
    response = official.post(url)
    assert response.status_code == 302
    proposal = last.proposal_link.proposal
    assert proposal.process == conversation.process and last.text in proposal.body
    with pytest.raises(ValidationError):
        services.propose_statement(admin, Statement.objects.get(pk=last.pk))
    with pytest.raises(ValidationError):  # not in the consensus
        services.propose_statement(admin, statements[0])
    assert services.group_agreement(last) == 1.0
    assert services.group_agreement(statements[0]) == 0.5
    page = Client().get(reverse("consultations:accountability", args=[conversation.process.slug]))
    assert '<span class="group-agreement">100' in page.content.decode()


def test_the_demo_conversation_is_illustrative_with_a_map(db: Any) -> None:
    from ecocite.web.cities.models import City
    from ecocite.web.consultations.demo import load_consultations_demo
    from ecocite.web.conversations.demo import load_conversations_demo
    from ecocite.web.conversations.models import Conversation

    City.objects.create(slug="jingzhou", name_fr="Jingzhou", name_zh="荆州", name_en="Jingzhou",
                        country="CN")  # fmt: skip
    load_consultations_demo(log=lambda line: None)
    load_conversations_demo(log=lambda line: None)
    load_conversations_demo(log=lambda line: None)  # once only
    conversation = Conversation.objects.get()
    assert (
        conversation.illustrative
        and conversation.statements.filter(illustrative=False).count() == 0
    )
    stored = OpinionMap.objects.get(conversation=conversation)
    assert len(stored.result["group_sizes"]) >= 2
    client = Client()
    for name in ("detail", "map"):
        page = client.get(reverse(f"conversations:{name}", args=[conversation.pk]))
        assert page.status_code == 200 and b'class="illustrative"' in page.content
    page = client.get(reverse("consultations:accountability", args=[conversation.process.slug]))
    assert b'class="group-agreement"' in page.content
    page = client.get(reverse("consultations:process", args=[conversation.process.slug]))
    assert reverse("conversations:detail", args=[conversation.pk]).encode() in page.content


def test_a_vote_queues_the_job_on_commit_and_the_worker_stores_the_map(
    admin: Any, make_user: Any, process: Any, settings: Any, run_jobs: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    conversation = services.create_conversation(admin, process, topic_fr="Q")
    statements = _accepted(conversation, admin, ["A", "B", "C"])
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    services.cast_vote(rosa, conversation, statements[0], 1)  # committed: the job is queued
    conversation.refresh_from_db()
    assert conversation.map_queued
    assert OpinionMap.objects.filter(conversation=conversation).count() == 0
    assert run_jobs() == 1
    stored = OpinionMap.objects.get(conversation=conversation)
    assert stored.votes == 1 and stored.result["participants"] == 1
    conversation.refresh_from_db()
    assert not conversation.map_queued and conversation.new_votes == 0


def test_overlapping_map_jobs_never_count_below_zero(
    conversation: Any, admin: Any, make_user: Any
) -> None:
    (s,) = _accepted(conversation, admin, ["A"])
    services.cast_vote(make_user("rosa", (RoleKind.RESIDENT, None)), conversation, s, 1)
    services.compute_map(conversation.pk)
    conversation.refresh_from_db()
    assert conversation.new_votes == 0
    from ecocite.web.conversations.models import Conversation

    Conversation.objects.filter(pk=conversation.pk).update(new_votes=3)
    services.compute_map(conversation.pk)
    services.compute_map(conversation.pk)  # a second job finds 0 left
    conversation.refresh_from_db()
    assert conversation.new_votes == 0


def test_the_job_warm_starts_from_its_saved_state_with_the_votes_cast_since(
    conversation: Any, admin: Any, make_user: Any
) -> None:
    from ecocite.web.conversations.models import VoteEvent

    statements = _accepted(conversation, admin, [f"Énoncé {i}" for i in range(8)])
    _crowd(conversation, statements, make_user, n=20)
    first = services.compute_map(conversation.pk)
    assert first is not None and first.last_event == VoteEvent.objects.latest("id").pk
    groups_before = first.result["groups"]
    late = make_user("late", (RoleKind.RESIDENT, None))
    for s in statements:
        services.cast_vote(late, conversation, s, 1)
    voter = Participant.objects.get(user__username="voter0")
    services.cast_vote(voter.user, conversation, statements[0], -1)  # a changed vote
    services.moderate(admin, conversation, [statements[3].pk], -1)
    second = services.compute_map(conversation.pk)
    assert second is not None and second.last_event == VoteEvent.objects.latest("id").pk
    # the same votes as a one-shot analysis would count: changed vote replaced, not added
    assert second.result["votes"] == Vote.objects.exclude(statement=statements[3]).count()
    assert str(statements[3].pk) not in second.result["routing"]  # moderated out
    # participants keep their groups (warm start; group numbers follow sizes), newcomer placed
    pairs = {(g, second.result["groups"][p]) for p, g in groups_before.items()}
    assert len(pairs) == len(set(groups_before.values())) == 2
    late_pid = str(Participant.objects.get(user=late).pk)
    assert late_pid in second.result["groups"]
    # without its saved state, the job falls back to the one-shot analysis of the final votes
    services._state_path(conversation.pk).unlink()
    third = services.compute_map(conversation.pk)
    assert third is not None and third.result["votes"] == second.result["votes"]
    # the export's votes.csv is the log (the changed vote twice), the table the latest votes
    files = services.export_files(conversation)
    log = services.csv_rows(files["votes.csv"])[1:]
    mine = [r for r in log if r[3] == str(voter.pk) and r[2] == str(statements[0].pk)]
    assert [r[4] for r in mine] == ["1", "-1"]
    table = services.csv_rows(files["participants-votes.csv"])
    column = table[0].index(str(statements[0].pk))
    row = next(r for r in table if r[0] == str(voter.pk))
    assert row[column] == "-1"
