"""The label stages as a declared table, and what is missing for each next step.

The whole process is the table :data:`TRANSITIONS`: for each step, who may make it and which
requirements must hold. :func:`next_steps` and :func:`check_transition` read an application's
state (plain data, no database) and answer with message ids and parameters that the web app
translates; nothing here decides by scattered ``if`` on stage names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ecocite.label.errors import TransitionRefused


class LabelStage(StrEnum):
    """The stages of a label application, in process order."""

    COMMITMENT = "commitment"
    DIAGNOSTIC = "diagnostic"
    CO_CONSTRUCTION = "co_construction"
    EXPERT_REVIEW = "expert_review"
    JURY = "jury"
    LABELLED = "labelled"
    REFUSED = "refused"
    MONITORING = "monitoring"
    CONFIRMED = "confirmed"
    RAISED = "raised"
    LOWERED = "lowered"
    WITHDRAWN = "withdrawn"


Role = Literal["administrator", "secretariat", "assessor", "jury_member", "jury_chair", "city"]
Side = Literal["fr", "cn"]


class _State(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Review(_State):
    """An assessor's review. ``conflict``: a role in the city, or declared by the assessor."""

    assessor: str
    side: Side
    submitted: bool = False
    conflict: bool = False


class JuryMember(_State):
    """A jury member; ``vote`` is None until cast (``award`` or ``refuse``)."""

    member: str
    declared_no_conflict: bool = False
    vote: Literal["award", "refuse"] | None = None


class ApplicationState(_State):
    """Everything the stage machine needs to know about one application, as plain data."""

    stage: LabelStage = LabelStage.COMMITMENT
    charter_signed: bool = False
    pilot_site: bool = False
    frozen_assessment: str | None = None  # id of the frozen assessment of the perimeter
    consultation_scales: frozenset[Literal["city", "pilot_site"]] = frozenset()
    action_plan_actions: int = 0
    reviews: tuple[Review, ...] = ()
    jury: tuple[JuryMember, ...] = ()
    quorum: int = Field(default=3, ge=1)
    monitoring_assessment: str | None = None  # this year's frozen assessment in monitoring


class Missing(_State):
    """One unmet requirement: a message id the web app translates, with its parameters."""

    message_id: str
    params: dict[str, Any] = Field(default_factory=dict)


Requirement = Callable[[ApplicationState], list[Missing]]


# requirements -------------------------------------------------------------------------------
def charter_signed(s: ApplicationState) -> list[Missing]:
    """Require the signed charter."""
    return [] if s.charter_signed else [Missing(message_id="label.missing.charter")]


def pilot_site_set(s: ApplicationState) -> list[Missing]:
    """Require the pilot site (drawn or uploaded)."""
    return [] if s.pilot_site else [Missing(message_id="label.missing.pilot_site")]


def frozen_assessment(s: ApplicationState) -> list[Missing]:
    """Require a frozen assessment of the perimeter."""
    return [] if s.frozen_assessment else [Missing(message_id="label.missing.frozen_assessment")]


def consultations_both_scales(s: ApplicationState) -> list[Missing]:
    """Require a linked consultation at city scale and one at pilot-site scale."""
    return [
        Missing(message_id="label.missing.consultation", params={"scale": scale})
        for scale in ("city", "pilot_site")
        if scale not in s.consultation_scales
    ]


def action_plan(s: ApplicationState) -> list[Missing]:
    """Require an action plan with at least one action."""
    return [] if s.action_plan_actions > 0 else [Missing(message_id="label.missing.action_plan")]


def two_reviews_one_per_side(s: ApplicationState) -> list[Missing]:
    """Two submitted reviews, one per side, by two different assessors."""
    out = []
    clean = {
        side: {r.assessor for r in s.reviews if r.side == side and r.submitted and not r.conflict}
        for side in ("fr", "cn")
    }
    for side, assessors in clean.items():
        if not assessors:
            out.append(Missing(message_id="label.missing.review", params={"side": side}))
    if not out and len(clean["fr"] | clean["cn"]) < 2:
        # one person on both sides is not two independent reviews
        out.append(Missing(message_id="label.missing.independent_reviews"))
    return out


def reviewers_without_conflict(s: ApplicationState) -> list[Missing]:
    """No assigned assessor has a conflict of interest."""
    return [
        Missing(message_id="label.missing.reviewer_conflict", params={"assessor": r.assessor})
        for r in s.reviews
        if r.conflict
    ]


def jury_quorum(s: ApplicationState) -> list[Missing]:
    """At least ``quorum`` jury members voted."""
    voters = [m for m in s.jury if m.vote is not None]
    if len(voters) >= s.quorum:
        return []
    return [
        Missing(
            message_id="label.missing.quorum", params={"votes": len(voters), "quorum": s.quorum}
        )
    ]


def jury_declared_no_conflict(s: ApplicationState) -> list[Missing]:
    """Every member who voted declared no conflict of interest first."""
    return [
        Missing(message_id="label.missing.conflict_declaration", params={"member": m.member})
        for m in s.jury
        if m.vote is not None and not m.declared_no_conflict
    ]


def no_reviewer_votes(s: ApplicationState) -> list[Missing]:
    """Nobody who reviewed the application voted."""
    reviewers = {r.assessor for r in s.reviews}
    return [
        Missing(message_id="label.missing.reviewer_voted", params={"member": m.member})
        for m in s.jury
        if m.vote is not None and m.member in reviewers
    ]


def majority(vote: Literal["award", "refuse"]) -> Requirement:
    """Build the requirement that more than half of the votes are ``vote``."""

    def requirement(s: ApplicationState) -> list[Missing]:
        votes = [m.vote for m in s.jury if m.vote is not None]
        if votes and votes.count(vote) * 2 > len(votes):
            return []
        return [
            Missing(
                message_id="label.missing.majority",
                params={"decision": vote, "for": votes.count(vote), "votes": len(votes)},
            )
        ]

    requirement.__name__ = f"majority_{vote}"
    return requirement


def monitoring_assessment(s: ApplicationState) -> list[Missing]:
    """Require the frozen assessment of the monitoring year."""
    if s.monitoring_assessment:
        return []
    return [Missing(message_id="label.missing.monitoring_assessment")]


# the table ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Transition:
    """One allowed step: from, to, who may make it, what must hold."""

    source: LabelStage
    target: LabelStage
    roles: frozenset[str]
    requires: tuple[Requirement, ...]


S = LabelStage
_SECRETARIAT = frozenset({"secretariat", "administrator"})
_JURY = frozenset({"jury_chair"})
_JURY_VALID = (jury_quorum, jury_declared_no_conflict, no_reviewer_votes)
_MONITORING = (monitoring_assessment, *_JURY_VALID)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.COMMITMENT, S.DIAGNOSTIC, _SECRETARIAT, (charter_signed, pilot_site_set)),
    Transition(S.DIAGNOSTIC, S.CO_CONSTRUCTION, _SECRETARIAT, (frozen_assessment,)),
    Transition(
        S.CO_CONSTRUCTION,
        S.EXPERT_REVIEW,
        _SECRETARIAT,
        (frozen_assessment, consultations_both_scales, action_plan),
    ),
    Transition(
        S.EXPERT_REVIEW,
        S.JURY,
        _SECRETARIAT,
        (frozen_assessment, two_reviews_one_per_side, reviewers_without_conflict),
    ),
    Transition(
        S.JURY,
        S.LABELLED,
        _JURY,
        (
            frozen_assessment,
            two_reviews_one_per_side,
            reviewers_without_conflict,
            *_JURY_VALID,
            majority("award"),
        ),
    ),
    Transition(S.JURY, S.REFUSED, _JURY, (*_JURY_VALID, majority("refuse"))),
    Transition(S.LABELLED, S.MONITORING, _SECRETARIAT, ()),
    *(
        Transition(S.MONITORING, outcome, _JURY, _MONITORING)
        for outcome in (S.CONFIRMED, S.RAISED, S.LOWERED, S.WITHDRAWN)
    ),
    *(
        Transition(outcome, S.MONITORING, _SECRETARIAT, ())  # the next yearly round
        for outcome in (S.CONFIRMED, S.RAISED, S.LOWERED)
    ),
)
_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


class NextStep(_State):
    """A possible next stage, who may take it, and what is still missing (empty: ready)."""

    target: LabelStage
    roles: tuple[str, ...]
    missing: tuple[Missing, ...]

    @property
    def ready(self) -> bool:
        """Return whether nothing is missing for this step."""
        return not self.missing


def _missing(transition: Transition, state: ApplicationState) -> list[Missing]:
    out: list[Missing] = []
    for requirement in transition.requires:
        for item in requirement(state):
            if item not in out:
                out.append(item)
    return out


def next_steps(state: ApplicationState) -> list[NextStep]:
    """Every step out of the current stage, with what is missing for each (pure)."""
    return [
        NextStep(target=t.target, roles=tuple(sorted(t.roles)), missing=tuple(_missing(t, state)))
        for t in TRANSITIONS
        if t.source == state.stage
    ]


def check_transition(state: ApplicationState, target: LabelStage, role: str) -> list[Missing]:
    """Why ``role`` may not move ``state`` to ``target`` now; an empty list means it may."""
    transition = _BY_PAIR.get((state.stage, LabelStage(target)))
    if transition is None:
        return [
            Missing(
                message_id="label.refused.not_allowed",
                params={"from": state.stage.value, "to": LabelStage(target).value},
            )
        ]
    reasons = []
    if role not in transition.roles:
        reasons.append(
            Missing(
                message_id="label.refused.role",
                params={"role": role, "allowed": sorted(transition.roles)},
            )
        )
    return reasons + _missing(transition, state)


def apply_transition(state: ApplicationState, target: LabelStage, role: str) -> ApplicationState:
    """Return the state after the step, or raise :class:`TransitionRefused` with every reason."""
    reasons = check_transition(state, target, role)
    if reasons:
        raise TransitionRefused(reasons)
    changes: dict[str, Any] = {"stage": LabelStage(target)}
    if LabelStage(target) == S.MONITORING:
        changes.update(
            monitoring_assessment=None,
            jury=tuple(m.model_copy(update={"vote": None}) for m in state.jury),
        )
    return state.model_copy(update=changes)
