"""Random sequences of label actions on the database: the log always verifies, and no
sequence reaches "labelled" without a frozen assessment, two independent reviews and a
quorate jury of members who declared no conflict and did not review."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecocite.web.label import services
from ecocite.web.label.models import Ballot, Member

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SITE = {
    "type": "Polygon",
    "coordinates": [[[112.2, 30.3], [112.3, 30.3], [112.3, 30.4], [112.2, 30.4], [112.2, 30.3]]],
}
TARGETS = ["diagnostic", "co_construction", "expert_review", "jury", "labelled", "refused"]
MOVERS = ["secretariat", "chair", "official", "j1", "fr1"]
JURY = ["chair", "j1", "j2", "j3", "fr1"]  # fr1 is an assessor who also sits on the jury

ACTIONS = st.one_of(
    st.tuples(st.just("move"), st.sampled_from(TARGETS), st.sampled_from(MOVERS)),
    st.tuples(st.just("file"), st.sampled_from(["charter", "site"]), st.just("")),
    st.tuples(st.just("assess"), st.just(""), st.just("")),
    st.tuples(st.just("link"), st.sampled_from(["city", "pilot_site"]), st.just("")),
    st.tuples(st.just("action"), st.just(""), st.just("")),
    st.tuples(st.just("assign"), st.sampled_from(["fr", "cn"]), st.sampled_from(["1", "2"])),
    st.tuples(st.just("review"), st.sampled_from(["fr", "cn"]), st.just("")),
    st.tuples(st.just("conflict"), st.sampled_from(["fr", "cn"]), st.just("")),
    st.tuples(st.just("declare"), st.sampled_from(JURY), st.booleans().map(str)),
    st.tuples(st.just("vote"), st.sampled_from(JURY), st.sampled_from(["award", "refuse"])),
)


class _Rollback(Exception):
    pass


def _do(app: Any, w: dict[str, Any], action: tuple[str, str, str]) -> Any:
    p, (verb, a, b) = w["people"], action
    app.refresh_from_db()
    if verb == "move":
        return services.move(app, a, p[b], reasons="r", level="one_star")
    if verb == "file":
        extra = {"charter": PDF} if a == "charter" else {"pilot_site": SITE}
        services.update_application(app, user=p["official"], **extra)
    elif verb == "assess":
        services.set_assessment(app, w["run"], monitoring=False)
    elif verb == "link":
        services.link_process(app, w["processes"][a], a)
    elif verb == "action":
        services.add_action(
            app, title="t", indicator="sponge_city_area_share", target_value=1, target_year=2030,
            owner="o",
        )  # fmt: skip
    elif verb == "assign":
        services.assign_assessor(app, p[a + b], a, by=p["secretariat"])
    elif verb in ("review", "conflict"):
        review = app.reviews.filter(side=a).first()
        if review is not None and verb == "review":
            services.submit_review(review, findings={}, site_visit="v", recommended_level="")
        elif review is not None:
            services.declare_assessor_conflict(review)
    elif verb == "declare":
        services.declare(app, p[a], no_conflict=b == "True")
    elif verb == "vote":
        services.cast_vote(app, p[a], vote=b, comment="")
    return app


def _check_labelled(app: Any) -> None:
    assert app.frozen_assessment_id is not None
    reviews = list(app.reviews.filter(submitted_at__isnull=False, conflict_declared=False))
    assert {r.side for r in reviews} == {"fr", "cn"}
    assert len({r.assessor_id for r in reviews}) == 2
    ballots = Ballot.objects.filter(application=app, round=app.round).exclude(vote="")
    assert ballots.count() >= app.programme.quorum
    assert all(b.no_conflict for b in ballots)
    reviewers = {r.assessor_id for r in app.reviews.all()}
    assert not {b.member_id for b in ballots} & reviewers


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(ACTIONS, min_size=1, max_size=45))
def test_random_sequences_keep_the_log_valid_and_the_label_earned(
    label: dict[str, Any], frozen_run: Any, processes: dict[str, Any], actions: list[Any]
) -> None:
    w = {**label, "run": frozen_run, "processes": processes}
    Member.objects.get_or_create(
        programme=label["programme"], user=w["people"]["fr1"], kind="juror"
    )
    try:
        with transaction.atomic():
            app = services.apply(
                label["call"], label["city"], user=w["people"]["official"], motivation="m",
                contacts="c",
            )  # fmt: skip
            for action in actions:
                try:
                    with transaction.atomic():
                        app = _do(app, w, action) or app
                except (services.LabelRefused, ValidationError):
                    pass
                app.refresh_from_db()
                if app.stage == "labelled":
                    _check_labelled(app)
            assert services.verify_database().ok
            raise _Rollback
    except _Rollback:
        pass


def test_a_guided_sequence_does_reach_the_label(drive: Any) -> None:
    """The property above is not vacuous: the same actions in a sensible order do label."""
    _check_labelled(drive("labelled"))
