"""The stage machine: every allowed step with its requirements, every other step refused."""

from __future__ import annotations

import pytest

from ecocite.label import (
    TRANSITIONS,
    ApplicationState,
    JuryMember,
    LabelStage,
    Review,
    TransitionRefused,
    apply_transition,
    check_transition,
    next_steps,
)

S = LabelStage
REVIEWS = (
    Review(assessor="a-fr", side="fr", submitted=True),
    Review(assessor="a-cn", side="cn", submitted=True),
)


def _jury(vote: str = "award", n: int = 3) -> tuple[JuryMember, ...]:
    return tuple(JuryMember(member=f"j{i}", declared_no_conflict=True, vote=vote) for i in range(n))


# a state that meets every requirement of the step into each target (for that step's source)
READY = ApplicationState(
    charter_signed=True,
    pilot_site=True,
    frozen_assessment="assessment:jingzhou-2017",
    consultation_scales=frozenset({"city", "pilot_site"}),
    action_plan_actions=3,
    reviews=REVIEWS,
    jury=_jury(),
    monitoring_assessment="assessment:jingzhou-2019",
)
ROLE = {"secretariat": "secretariat", "jury_chair": "jury_chair"}


def _ready(t_source: LabelStage, target: LabelStage) -> ApplicationState:
    jury = _jury("refuse") if target in (S.REFUSED,) else READY.jury
    return READY.model_copy(update={"stage": t_source, "jury": jury})


@pytest.mark.parametrize("t", TRANSITIONS, ids=lambda t: f"{t.source}->{t.target}")
def test_every_allowed_transition_passes_when_its_requirements_hold(t) -> None:
    state = _ready(t.source, t.target)
    for role in t.roles:
        assert check_transition(state, t.target, role) == []
        assert apply_transition(state, t.target, role).stage == t.target
    # a role outside the table is refused with the role reason
    refused = check_transition(state, t.target, "city")
    assert [m.message_id for m in refused] == ["label.refused.role"]


@pytest.mark.parametrize(
    "t", [t for t in TRANSITIONS if t.requires], ids=lambda t: f"{t.source}->{t.target}"
)
def test_each_requirement_when_unmet_is_named(t) -> None:
    """Undo each requirement of the step on its own: the step is refused with that reason."""
    ready = _ready(t.source, t.target)
    role = sorted(t.roles)[0]
    for requirement in t.requires:
        broken = _break(requirement.__name__, ready)
        reasons = check_transition(broken, t.target, role)
        assert reasons, requirement.__name__
        assert reasons == requirement(broken)
        with pytest.raises(TransitionRefused):
            apply_transition(broken, t.target, role)


def _break(name: str, s: ApplicationState) -> ApplicationState:
    u = s.model_copy
    return {
        "charter_signed": lambda: u(update={"charter_signed": False}),
        "pilot_site_set": lambda: u(update={"pilot_site": False}),
        "frozen_assessment": lambda: u(update={"frozen_assessment": None}),
        "consultations_both_scales": lambda: u(update={"consultation_scales": frozenset({"city"})}),
        "action_plan": lambda: u(update={"action_plan_actions": 0}),
        "two_reviews_one_per_side": lambda: u(update={"reviews": (REVIEWS[0], REVIEWS[0])}),
        "reviewers_without_conflict": lambda: u(
            update={"reviews": (*REVIEWS, Review(assessor="a-x", side="fr", conflict=True))}
        ),
        "jury_quorum": lambda: u(update={"jury": s.jury[:2]}),
        "jury_declared_no_conflict": lambda: u(
            update={"jury": (*s.jury, JuryMember(member="j9", vote=s.jury[0].vote))}
        ),
        "no_reviewer_votes": lambda: u(
            update={
                "jury": (
                    *s.jury,
                    JuryMember(member="a-fr", declared_no_conflict=True, vote=s.jury[0].vote),
                )
            }
        ),
        "majority_award": lambda: u(update={"jury": _jury("refuse")}),
        "majority_refuse": lambda: u(update={"jury": _jury("award")}),
        "monitoring_assessment": lambda: u(update={"monitoring_assessment": None}),
    }[name]()


PAIRS = {(t.source, t.target) for t in TRANSITIONS}
FORBIDDEN = [(a, b) for a in S for b in S if (a, b) not in PAIRS]


@pytest.mark.parametrize(("source", "target"), FORBIDDEN, ids=lambda s: str(s))
def test_every_other_transition_is_refused_with_a_reason(source, target) -> None:
    state = READY.model_copy(update={"stage": source})
    for role in ("administrator", "secretariat", "jury_chair"):
        reasons = check_transition(state, target, role)
        assert [(m.message_id, m.params) for m in reasons] == [
            ("label.refused.not_allowed", {"from": source.value, "to": target.value})
        ]
        with pytest.raises(TransitionRefused, match=r"label\.refused\.not_allowed"):
            apply_transition(state, target, role)


def test_next_steps_list_what_is_missing_with_parameters() -> None:
    fresh = ApplicationState(stage=S.CO_CONSTRUCTION, consultation_scales=frozenset({"city"}))
    (step,) = next_steps(fresh)
    assert step.target == S.EXPERT_REVIEW and not step.ready
    assert [(m.message_id, m.params) for m in step.missing] == [
        ("label.missing.frozen_assessment", {}),
        ("label.missing.consultation", {"scale": "pilot_site"}),
        ("label.missing.action_plan", {}),
    ]
    jury = ApplicationState(
        stage=S.JURY,
        frozen_assessment="a",
        reviews=REVIEWS,
        jury=(
            JuryMember(member="a-cn", vote="award"),
            JuryMember(member="j1", declared_no_conflict=True),
        ),
    )
    steps = {s.target: s for s in next_steps(jury)}
    assert set(steps) == {S.LABELLED, S.REFUSED}
    ids = [(m.message_id, m.params) for m in steps[S.LABELLED].missing]
    assert ("label.missing.quorum", {"votes": 1, "quorum": 3}) in ids
    assert ("label.missing.conflict_declaration", {"member": "a-cn"}) in ids
    assert ("label.missing.reviewer_voted", {"member": "a-cn"}) in ids
    assert next_steps(READY.model_copy(update={"stage": S.WITHDRAWN})) == []
    assert next_steps(READY.model_copy(update={"stage": S.REFUSED})) == []


def test_entering_monitoring_clears_last_rounds_votes() -> None:
    state = READY.model_copy(update={"stage": S.LABELLED})
    monitoring = apply_transition(state, S.MONITORING, "secretariat")
    assert monitoring.monitoring_assessment is None
    assert all(m.vote is None for m in monitoring.jury)
    assert [m.message_id for m in next_steps(monitoring)[0].missing][:2] == [
        "label.missing.monitoring_assessment",
        "label.missing.quorum",
    ]
