"""Random sequences of actions: the log always verifies, and "labelled" is never reached
without a frozen assessment, two independent reviews and a quorate, conflict-free jury."""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ecocite.label import (
    ApplicationState,
    DecisionLog,
    JuryMember,
    LabelStage,
    Review,
    TransitionRefused,
    apply_transition,
    next_steps,
    verify,
)

PEOPLE = ["ana", "bo", "chen", "dan", "eva"]  # anyone may be assessor and jury member
ROLES = ["secretariat", "administrator", "jury_chair", "jury_member", "assessor", "city"]

action = st.one_of(
    st.tuples(st.just("charter")),
    st.tuples(st.just("pilot_site")),
    st.tuples(st.just("freeze")),
    st.tuples(st.just("consult"), st.sampled_from(["city", "pilot_site"])),
    st.tuples(st.just("plan")),
    st.tuples(
        st.just("assign"), st.sampled_from(PEOPLE), st.sampled_from(["fr", "cn"]), st.booleans()
    ),
    st.tuples(st.just("submit"), st.integers(0, 6)),
    st.tuples(st.just("juror"), st.sampled_from(PEOPLE), st.booleans()),
    st.tuples(st.just("vote"), st.integers(0, 6), st.sampled_from(["award", "refuse"])),
    st.tuples(st.just("monitor")),
    st.tuples(st.just("go"), st.sampled_from(list(LabelStage)), st.sampled_from(ROLES)),
    # an attempt at one of the table's next steps with a role allowed to take it
    st.tuples(st.just("advance"), st.integers(0, 3)),
)


def _labelled_invariants(s: ApplicationState) -> None:
    assert s.frozen_assessment
    clean = [r for r in s.reviews if r.submitted and not r.conflict]
    fr = {r.assessor for r in clean if r.side == "fr"}
    cn = {r.assessor for r in clean if r.side == "cn"}
    assert fr and cn and len(fr | cn) >= 2
    assert not any(r.conflict for r in s.reviews)
    voters = [m for m in s.jury if m.vote is not None]
    assert len(voters) >= s.quorum
    assert all(m.declared_no_conflict for m in voters)
    assert not {m.member for m in voters} & {r.assessor for r in s.reviews}
    assert sum(m.vote == "award" for m in voters) * 2 > len(voters)


def _step(s: ApplicationState, a: tuple, log: DecisionLog) -> ApplicationState:
    kind = a[0]
    if kind == "charter":
        log.append("evidence", "city", {"file": "charter"})
        return s.model_copy(update={"charter_signed": True})
    if kind == "pilot_site":
        return s.model_copy(update={"pilot_site": True})
    if kind == "freeze":
        log.append("evidence", "secretariat", {"frozen_assessment": f"a{len(log)}"})
        return s.model_copy(update={"frozen_assessment": f"a{len(log)}"})
    if kind == "consult":
        return s.model_copy(update={"consultation_scales": s.consultation_scales | {a[1]}})
    if kind == "plan":
        return s.model_copy(update={"action_plan_actions": s.action_plan_actions + 1})
    if kind == "assign":
        review = Review(assessor=a[1], side=a[2], conflict=a[3])
        return s.model_copy(update={"reviews": (*s.reviews, review)})
    if kind == "submit" and a[1] < len(s.reviews):
        reviews = list(s.reviews)
        reviews[a[1]] = reviews[a[1]].model_copy(update={"submitted": True})
        log.append(
            "review_submission",
            "assessor",
            {"side": reviews[a[1]].side},
            private={"actor": reviews[a[1]].assessor},
        )
        return s.model_copy(update={"reviews": tuple(reviews)})
    if kind == "juror":
        member = JuryMember(member=a[1], declared_no_conflict=a[2])
        return s.model_copy(update={"jury": (*s.jury, member)})
    if kind == "vote" and a[1] < len(s.jury):
        jury = list(s.jury)
        jury[a[1]] = jury[a[1]].model_copy(update={"vote": a[2]})
        log.append("vote", "jury_member", {"vote": a[2]}, private={"actor": jury[a[1]].member})
        return s.model_copy(update={"jury": tuple(jury)})
    if kind == "monitor":
        return s.model_copy(update={"monitoring_assessment": f"m{len(log)}"})
    if kind == "advance":
        steps = next_steps(s)
        if not steps:
            return s
        step = steps[a[1] % len(steps)]
        a = ("go", step.target, step.roles[0])
        kind = "go"
    if kind == "go":
        try:
            after = apply_transition(s, a[1], a[2])
        except TransitionRefused as exc:
            assert exc.reasons
            return s
        log.append("transition", a[2], {"from": s.stage.value, "to": after.stage.value})
        return after
    return s


def _run(actions: list[tuple]) -> tuple[ApplicationState, DecisionLog, bool]:
    state, log, labelled = ApplicationState(), DecisionLog(), False
    for a in actions:
        before = state.stage
        state = _step(state, a, log)
        if state.stage == LabelStage.LABELLED and before != LabelStage.LABELLED:
            _labelled_invariants(state)
            labelled = True
    result = verify([e.to_json() for e in log.entries])
    assert result.ok and result.count == len(log)
    return state, log, labelled


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action, max_size=80))
def test_random_sequences_keep_the_log_valid_and_the_label_earned(actions: list[tuple]) -> None:
    _run(actions)


# the whole process by the right people; random actions are slipped in between its steps
PATH = [
    ("charter",),
    ("pilot_site",),
    ("advance", 0),
    ("freeze",),
    ("advance", 0),
    ("consult", "city"),
    ("consult", "pilot_site"),
    ("plan",),
    ("advance", 0),
    ("assign", "ana", "fr", False),
    ("assign", "bo", "cn", False),
    ("submit", 0),
    ("submit", 1),
    ("advance", 0),
    ("juror", "chen", True),
    ("juror", "dan", True),
    ("juror", "eva", True),
    ("vote", 0, "award"),
    ("vote", 1, "award"),
    ("vote", 2, "award"),
    ("advance", 0),
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(action, max_size=2), min_size=len(PATH), max_size=len(PATH)))
def test_the_process_with_noise_labels_only_when_earned(noise: list[list[tuple]]) -> None:
    actions = [a for step, extra in zip(PATH, noise, strict=True) for a in (*extra, step)]
    _, _, labelled = _run(actions)
    event("reached labelled" if labelled else "not labelled")


def test_the_process_without_noise_reaches_labelled() -> None:
    state, log, labelled = _run(list(PATH))
    assert labelled and state.stage == LabelStage.LABELLED
    assert [e.payload["to"] for e in log.entries if e.kind == "transition"] == [
        "diagnostic",
        "co_construction",
        "expert_review",
        "jury",
        "labelled",
    ]
