"""Start conversations, vote, write and moderate statements, compute and read the opinion map.

Every write takes the acting person first and asks the rules (pages and the API share one
behaviour); a refusal raises ``PermissionDenied``, bad input ``ValidationError`` naming the
field, and nothing is written. A vote is an upsert on (participant, statement): the database's
unique constraint keeps one vote each, the latest wins. The opinion map is never computed in a
request: a vote counts towards the next recomputation, queued as a background job
(:func:`ecocite.web.conversations.tasks.recompute_map`) after
``settings.OPINION_MAP_EVERY_VOTES`` new votes or ``settings.OPINION_MAP_EVERY_SECONDS``
seconds since the last map, whichever comes first.
"""

from __future__ import annotations

import csv
import io
import os
import pickle
import random
import secrets
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from ecocite.cells import neutralise
from ecocite.participation import OpinionState, analyse, polis_io, update
from ecocite.participation.report import legend_svg
from ecocite.participation.routing import routing_priority
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.conversations.models import (
    Conversation,
    Moderation,
    OpinionMap,
    Participant,
    Statement,
    StatementProposal,
    Vote,
    VoteEvent,
)
from ecocite.web.core.permissions import check_permission

SESSION_KEY = "conversations_token"
EXPORT_FILES = (polis_io.COMMENTS, polis_io.VOTES, polis_io.PARTICIPANTS)


# --- identity ---------------------------------------------------------------------------------


def session_token(session: Any) -> str:
    """Return the browser session's participant token, creating it (anonymous identity)."""
    token = session.get(SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(24)
        session[SESSION_KEY] = token
    return str(token)


def find_participant(
    user: Any, conversation: Conversation, token: str | None
) -> Participant | None:
    """Return the participant a person (or, signed out, a browser session) already is."""
    if user is not None and user.is_authenticated:
        return Participant.objects.filter(conversation=conversation, user=user).first()
    if token:
        return Participant.objects.filter(
            conversation=conversation, user=None, session_token=token
        ).first()
    return None


def _participant(user: Any, conversation: Conversation, token: str | None) -> Participant:
    found = find_participant(user, conversation, token)
    if found is not None:
        return found
    signed_in = user is not None and user.is_authenticated
    if not signed_in and not token:
        raise PermissionDenied("conversations: no identity")
    fields = {"user": user} if signed_in else {"user": None, "session_token": token}
    try:
        with transaction.atomic():
            return Participant.objects.create(conversation=conversation, **fields)
    except IntegrityError:  # created at the same moment by a concurrent request
        return Participant.objects.get(conversation=conversation, **fields)


# --- conversations and statements -------------------------------------------------------------


def create_conversation(user: Any, process: Process, **fields: Any) -> Conversation:
    """Start a conversation in ``process`` (its moderators, the city's officials)."""
    check_permission(user, "conversations.add_conversation", process)
    conversation = Conversation(process=process, **fields)
    conversation.full_clean()
    conversation.save()
    return conversation


def visible_statements(conversation: Conversation) -> QuerySet[Statement]:
    """Statements participants see: accepted, or awaiting moderation after publication."""
    shown = Q(moderated=1)
    if conversation.moderation == Moderation.AFTER:
        shown |= Q(moderated=0)
    return conversation.statements.filter(shown).order_by("id")


def add_statement(
    user: Any,
    conversation: Conversation,
    text: str,
    *,
    token: str | None = None,
    is_meta: bool = False,
    illustrative: bool = False,
) -> Statement:
    """Submit a statement; moderated before or after it is shown, per the conversation."""
    check_permission(user, "conversations.add_statement", conversation)
    text = " ".join(str(text).split())
    if not text:
        raise ValidationError({"text": _("Write a statement.")})
    if len(text) > Statement.MAX_CHARS:
        raise ValidationError(
            {
                "text": _("A statement has at most %(n)d characters (this one has %(m)d).")
                % {"n": Statement.MAX_CHARS, "m": len(text)}
            }
        )
    if conversation.statements.filter(text__iexact=text).exists():
        raise ValidationError({"text": _("This statement is already in the conversation.")})
    with transaction.atomic():
        author = _participant(user, conversation, token)
        return Statement.objects.create(
            conversation=conversation,
            author=author,
            text=text,
            is_meta=is_meta,
            illustrative=illustrative,
        )


def moderate(user: Any, conversation: Conversation, ids: Iterable[int], decision: int) -> int:
    """Accept (1), reject (−1) or reset (0) many statements at once; return how many changed."""
    check_permission(user, "conversations.moderate_statement", conversation)
    if decision not in (-1, 0, 1):
        raise ValidationError({"decision": _("Unknown moderation decision.")})
    wanted = {int(i) for i in ids}
    if not wanted:
        raise ValidationError({"statements": _("Select at least one statement.")})
    with transaction.atomic():
        changed = (
            conversation.statements.filter(pk__in=wanted)
            .exclude(moderated=decision)
            .update(moderated=decision, moderated_at=timezone.now())
        )
        if changed:
            Conversation.objects.filter(pk=conversation.pk).update(
                new_votes=F("new_votes") + 1  # a moderation changes the map: count it as news
            )
    if changed:
        transaction.on_commit(lambda: request_map(conversation.pk))
    return changed


# --- votes ------------------------------------------------------------------------------------


def cast_vote(
    user: Any,
    conversation: Conversation,
    statement: Statement,
    value: int,
    *,
    token: str | None = None,
) -> Vote:
    """Vote on a statement (agree 1, disagree −1, pass 0); a new vote replaces the old one."""
    check_permission(user, "conversations.vote_statement", conversation)
    if value not in (-1, 0, 1):
        raise ValidationError({"vote": _("A vote is agree, disagree or pass.")})
    if statement.conversation_id != conversation.pk or not statement.is_visible():
        raise ValidationError({"statement": _("This statement is not open to votes.")})
    vote = Vote(statement=statement, value=value, voted_at=timezone.now())
    with transaction.atomic():
        vote.participant = _participant(user, conversation, token)
        # an upsert: the unique constraint on (participant, statement) keeps one row, the
        # latest vote's value (also between concurrent requests)
        Vote.objects.bulk_create(
            [vote],
            update_conflicts=True,
            unique_fields=["participant", "statement"],
            update_fields=["value", "voted_at"],
        )
        VoteEvent.objects.create(
            conversation=conversation,
            participant=vote.participant,
            statement=statement,
            value=value,
            voted_at=vote.voted_at,
        )
        Conversation.objects.filter(pk=conversation.pk).update(new_votes=F("new_votes") + 1)
    transaction.on_commit(lambda: request_map(conversation.pk))
    return vote


def votes_of(participant: Participant | None) -> dict[int, int]:
    """Return the participant's votes, statement id → value."""
    if participant is None:
        return {}
    return dict(participant.votes.values_list("statement_id", "value"))


def _new_statement_priority() -> float:
    zero = np.zeros(1)
    return float(routing_priority(zero, zero, zero, zero)[0])


def next_statement(conversation: Conversation, participant: Participant | None) -> Statement | None:
    """Draw the next statement to show, with probability ∝ the map's routing priority.

    Statements the participant voted on are skipped; a statement newer than the map gets the
    priority of a statement nobody has seen (Polis's boost for new statements). The draw is
    seeded by the participant and their vote count, so reloading the page shows the same one.
    """
    seen = set(votes_of(participant))
    candidates = [s for s in visible_statements(conversation) if s.pk not in seen]
    if not candidates:
        return None
    stored = OpinionMap.objects.filter(conversation=conversation).values("result").first()
    routing = (stored or {}).get("result", {}).get("routing", {})
    fresh = _new_statement_priority()
    weights = [49.0 if s.is_meta else float(routing.get(str(s.pk), fresh)) for s in candidates]
    seed = f"{participant.pk if participant else 0}:{len(seen)}"
    return random.Random(seed).choices(candidates, weights=weights, k=1)[0]


# --- the opinion map --------------------------------------------------------------------------


def map_due(conversation: Conversation, now: Any = None) -> bool:
    """Tell whether enough votes or time passed since the stored map to recompute it."""
    if conversation.new_votes <= 0:
        return False
    if conversation.new_votes >= settings.OPINION_MAP_EVERY_VOTES:
        return True
    stored = OpinionMap.objects.filter(conversation=conversation).values("computed_at").first()
    if stored is None:
        return True
    age = ((now or timezone.now()) - stored["computed_at"]).total_seconds()
    return age >= settings.OPINION_MAP_EVERY_SECONDS


def request_map(conversation_id: int) -> bool:
    """Queue a recomputation of the map if one is due and none is queued; tell if queued."""
    from ecocite.web.conversations.tasks import recompute_map

    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None or conversation.map_queued or not map_due(conversation):
        return False
    if not Conversation.objects.filter(pk=conversation_id, map_queued=False).update(
        map_queued=True
    ):
        return False  # another request queued it first
    recompute_map.enqueue(conversation_id)
    return True


# Events re-read before the last one seen: a vote whose transaction committed after a job read
# the log (its id lower than one already read) is still counted; re-reading is harmless (the
# latest vote per participant and statement wins, in id order).
REREAD_EVENTS = 1000


def _state_path(conversation_id: int) -> Path:
    return Path(settings.DATA_DIR) / "opinion-maps" / f"{conversation_id}.pickle"


def _load_state(conversation_id: int) -> OpinionState | None:
    """Return the engine state the previous job saved, if there is a usable one."""
    try:
        with open(_state_path(conversation_id), "rb") as fh:
            state = pickle.load(fh)  # our own file in the data folder, never an upload
    except (OSError, pickle.UnpicklingError, AttributeError, EOFError, ImportError):
        return None
    return state if isinstance(state, OpinionState) else None


def _save_state(conversation_id: int, state: OpinionState) -> None:
    path = _state_path(conversation_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{secrets.token_hex(4)}.part")
    with open(partial, "wb") as fh:
        pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)  # atomic: a reader sees the old state or the new one


def compute_map(conversation_id: int) -> OpinionMap | None:
    """Update and store the opinion map of a conversation (the background job's work).

    As Polis's math worker: the engine state of the previous job is warm-started with the votes
    cast since (PCA from the previous components, k-means from the previous centres, the group
    count smoothed, participants once in kept in); the first time, or without a usable state,
    a one-shot analysis of the final votes.
    """
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return None
    counted = conversation.new_votes
    Conversation.objects.filter(pk=conversation_id).update(map_queued=False)
    statements = list(conversation.statements.values_list("pk", "moderated", "is_meta"))
    moderated_out = [str(pk) for pk, mod, _meta in statements if mod == -1]
    meta = frozenset(str(pk) for pk, _mod, is_meta in statements if is_meta)
    top = VoteEvent.objects.filter(conversation=conversation).aggregate(top=Max("id"))["top"] or 0
    stored = OpinionMap.objects.filter(conversation=conversation).first()
    state = _load_state(conversation_id) if stored is not None and stored.last_event else None
    if state is not None and stored is not None:
        rows = list(
            VoteEvent.objects.filter(
                conversation=conversation,
                id__gt=max(stored.last_event - REREAD_EVENTS, 0),
                id__lte=top,
            )
            .order_by("id")
            .values_list("participant_id", "statement_id", "value")
        )
        state = update(
            replace(state, meta=meta),
            [str(r[0]) for r in rows],
            [str(r[1]) for r in rows],
            np.asarray([r[2] for r in rows], dtype=np.int8),
            moderated_out=moderated_out,
        )
    else:
        rows = list(
            Vote.objects.filter(statement__conversation=conversation)
            .order_by("voted_at", "id")
            .values_list("participant_id", "statement_id", "value")
        )
        state = None
        if rows:
            state = analyse(
                [str(r[0]) for r in rows],
                [str(r[1]) for r in rows],
                np.asarray([r[2] for r in rows], dtype=np.int8),
                moderated_out=moderated_out,
                meta=meta,
            )
    result: dict[str, Any] = {}
    if state is not None and state.result is not None:
        result = state.result.model_dump(mode="json")
        _save_state(conversation_id, state)
    with transaction.atomic():
        stored, _created = OpinionMap.objects.update_or_create(
            conversation=conversation,
            defaults={
                "computed_at": timezone.now(),
                "votes": int(result.get("votes", 0)),
                "result": result,
                "last_event": top if state is not None else 0,
            },
        )
        # two jobs may overlap (one queued while the other ran): never below zero
        Conversation.objects.filter(pk=conversation_id).update(
            new_votes=Greatest(F("new_votes") - counted, Value(0))
        )
    return stored


@dataclass(frozen=True)
class Shares:
    """A statement as shown with its agree / disagree shares."""

    statement: Statement | None
    text: str
    direction: str
    agree: float
    disagree: float
    votes: int


@dataclass(frozen=True)
class GroupView:
    """One opinion group: letter, size, representative statements."""

    index: int
    letter: str
    size: int
    statements: list[Shares]
    marker: str = ""


@dataclass(frozen=True)
class MapView:
    """What the results page shows of a stored map, in the page language."""

    stored: OpinionMap | None
    groups: list[GroupView]
    consensus: list[Shares]
    divisive: list[tuple[Statement | None, str, list[tuple[str, float]]]]
    participants: int
    grouped: int
    votes: int


LETTERS = "ABCDE"


def map_view(conversation: Conversation) -> MapView:
    """Read the stored map and name its statements (texts in the conversation's words)."""
    stored = OpinionMap.objects.filter(conversation=conversation).first()
    result = stored.result if stored else {}
    by_id = {str(s.pk): s for s in conversation.statements.all()}

    def shares(row: dict[str, Any]) -> Shares:
        s = by_id.get(str(row["statement"]))
        return Shares(
            s,
            s.text if s else str(row["statement"]),
            row["direction"],
            float(row["agree_share"]),
            float(row["disagree_share"]),
            int(row["n_votes"]),
        )

    sizes = result.get("group_sizes", [])
    groups = [
        GroupView(
            g,
            LETTERS[g % len(LETTERS)],
            int(n),
            [shares(r) for r in result.get("repness", {}).get(str(g), [])],
            legend_svg(g),
        )
        for g, n in enumerate(sizes)
    ]
    divisive = [
        (
            by_id.get(str(d["statement"])),
            by_id[str(d["statement"])].text if str(d["statement"]) in by_id else "",
            [(LETTERS[g % 5], float(v)) for g, v in enumerate(d["agree_shares"])],
        )
        for d in result.get("divisive", [])
    ]
    return MapView(
        stored,
        groups,
        [shares(r) for r in result.get("consensus", [])],
        divisive,
        int(result.get("participants", 0)),
        int(sum(sizes)),
        int(result.get("votes", 0)),
    )


def group_agreement(statement: Statement) -> float | None:
    """Share of grouped participants whose group, by majority of its votes, agrees with it.

    ``None`` when the map has no groups or no group voted on the statement.
    """
    return group_agreements([statement]).get(statement.pk)


def group_agreements(statements: Sequence[Statement]) -> dict[int, float]:
    """:func:`group_agreement` of many statements in three queries (statement id → share)."""
    if not statements:
        return {}
    maps = {
        m.conversation_id: m.result
        for m in OpinionMap.objects.filter(
            conversation_id__in={s.conversation_id for s in statements}
        )
    }
    conversation_of = {s.pk: s.conversation_id for s in statements}
    tallies: dict[int, tuple[list[int], list[int]]] = {}
    for sid, pid, value in Vote.objects.filter(statement_id__in=list(conversation_of)).values_list(
        "statement_id", "participant_id", "value"
    ):
        result = maps.get(conversation_of[sid]) or {}
        g = result.get("groups", {}).get(str(pid))
        if g is None:
            continue
        n = len(result["group_sizes"])
        agree, seen = tallies.setdefault(sid, ([0] * n, [0] * n))
        seen[g] += 1
        agree[g] += value == 1
    out = {}
    for sid, (agree, seen) in tallies.items():
        sizes = maps[conversation_of[sid]]["group_sizes"]
        agreeing = sum(n for n, a, k in zip(sizes, agree, seen, strict=True) if k and a / k > 0.5)
        out[sid] = agreeing / max(sum(sizes), 1)
    return out


# --- link to co-construction ------------------------------------------------------------------


def consensus_ids(conversation: Conversation) -> set[int]:
    """Ids of the statements in the stored map's consensus (agree direction)."""
    stored = OpinionMap.objects.filter(conversation=conversation).values("result").first()
    rows = (stored or {}).get("result", {}).get("consensus", [])
    return {int(r["statement"]) for r in rows if r["direction"] == "agree"}


def propose_statement(user: Any, statement: Statement, *, title: str = "") -> Proposal:
    """Turn a consensus statement into a proposal of the process, keeping the link."""
    check_permission(user, "conversations.propose_statement", statement)
    if hasattr(statement, "proposal_link"):
        raise ValidationError({"statement": _("This statement is already a proposal.")})
    if statement.pk not in consensus_ids(statement.conversation):
        raise ValidationError(
            {"statement": _("Only a statement of the consensus becomes a proposal.")}
        )
    text = statement.text
    title = (title or text)[:200]
    with transaction.atomic():
        proposal = Proposal.objects.create(
            process=statement.conversation.process,
            author=user if user.is_authenticated else None,
            title=title,
            body=_("From the conversation “%(topic)s”: %(text)s")
            % {"topic": statement.conversation.topic, "text": text},
            illustrative=statement.illustrative,
        )
        StatementProposal.objects.create(statement=statement, proposal=proposal)
    return proposal


# --- export -----------------------------------------------------------------------------------


def to_export(conversation: Conversation) -> polis_io.PolisExport:
    """Return the conversation as a Polis export (latest vote per participant and statement)."""
    statements = [
        polis_io.Statement(
            id=str(s.pk),
            text=str(neutralise(s.text)),
            author=str(s.author_id or ""),
            moderated=s.moderated,
            timestamp=int(s.created_at.timestamp() * 1000),
        )
        for s in conversation.statements.all().order_by("id")
    ]
    # the log of every vote as cast; a final vote without one (loaded in bulk) joins it
    rows = list(
        VoteEvent.objects.filter(conversation=conversation)
        .order_by("id")
        .values_list("voted_at", "participant_id", "statement_id", "value")
    )
    logged = {(r[1], r[2]) for r in rows}
    rows += [
        r
        for r in Vote.objects.filter(statement__conversation=conversation)
        .order_by("voted_at", "id")
        .values_list("voted_at", "participant_id", "statement_id", "value")
        if (r[1], r[2]) not in logged
    ]
    stamps = [int(r[0].timestamp() * 1000) for r in rows]
    export = polis_io.export_from_votes(
        statements,
        stamps,
        [str(r[1]) for r in rows],
        [str(r[2]) for r in rows],
        [int(r[3]) for r in rows],
    )
    return export


def export_files(conversation: Conversation) -> dict[str, str]:
    """Write the three Polis CSV files (with the stored map's groups); name → text."""
    export = to_export(conversation)
    stored = OpinionMap.objects.filter(conversation=conversation).values("result").first()
    groups = {str(k): int(v) for k, v in (stored or {}).get("result", {}).get("groups", {}).items()}
    with tempfile.TemporaryDirectory(prefix="ecocite-conversation-") as folder:
        polis_io.write_export(folder, export, groups=groups)
        return {name: (Path(folder) / name).read_text("utf-8") for name in EXPORT_FILES}


def csv_rows(text: str) -> list[list[str]]:
    """Parse one exported CSV text (for tests and the API)."""
    return list(csv.reader(io.StringIO(text)))


def statement_ids(values: Sequence[Any]) -> list[int]:
    """Read a list of statement ids from a form (bad ones raise ``ValidationError``)."""
    try:
        return [int(v) for v in values]
    except (TypeError, ValueError) as err:
        raise ValidationError({"statements": _("Unknown statement.")}) from err
