"""The label workflow on the database: stages, reviews, jury, monitoring, decision log."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.assessments.models import AssessmentRun
from ecocite.web.label import services
from ecocite.web.label.models import Decision, LogRow

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SITE = {
    "type": "Polygon",
    "coordinates": [[[112.2, 30.3], [112.3, 30.3], [112.3, 30.4], [112.2, 30.4], [112.2, 30.3]]],
}


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def _ids(exc: services.LabelRefused) -> set[str]:
    return {m.message_id for m in exc.reasons}


def test_a_city_goes_from_application_to_label_and_the_log_verifies(
    drive: Any, label: dict[str, Any], frozen_run: Any
) -> None:
    app = drive("labelled")
    assert app.stage == "labelled"
    assert app.awarded_level == "one_star"
    assert app.certificate_code and app.certificate_code.startswith("ECL-")
    assert app.valid_until.year == app.awarded_on.year + 3
    decision = Decision.objects.get(application=app)
    assert decision.bundle["assessment"]["id"] == frozen_run.pk
    assert [r["side"] for r in decision.bundle["reviews"]] == ["cn", "fr"]
    assert decision.bundle["votes"] == ["award", "award", "award"]
    kinds = list(LogRow.objects.values_list("kind", flat=True))
    assert kinds.count("vote") == 3 and kinds.count("review_submission") == 2
    assert kinds.count("evidence") == 2 and kinds[-1] == "decision"
    result = services.verify_database()
    assert result.ok and result.count == LogRow.objects.count()
    # the public view carries roles only: no user id, no comment
    public = list(services.log_entries(public=True))
    assert all("private" not in e for e in public)
    assert "Convincing" not in repr(public)
    assert services.rederive(app.certificate_code).identical


def test_each_step_refuses_with_what_is_missing(label: dict[str, Any], frozen_run: Any) -> None:
    p = label["people"]
    app = services.apply(
        label["call"], label["city"], user=p["official"], motivation="m", contacts="c"
    )
    with pytest.raises(services.LabelRefused) as refused:
        services.move(app, "diagnostic", p["secretariat"])
    assert _ids(refused.value) == {"label.missing.charter", "label.missing.pilot_site"}
    # a city official may not move the application, whatever it holds
    services.update_application(app, user=p["official"], pilot_site=SITE, charter=PDF)
    with pytest.raises(services.LabelRefused) as refused:
        services.move(app, "diagnostic", p["official"])
    assert _ids(refused.value) == {"label.refused.role"}
    app = services.move(app, "diagnostic", p["secretariat"])
    with pytest.raises(services.LabelRefused) as refused:
        services.move(app, "jury", p["secretariat"])
    assert _ids(refused.value) == {"label.refused.not_allowed"}
    with pytest.raises(services.LabelRefused) as refused:
        services.move(app, "co_construction", p["secretariat"])
    assert _ids(refused.value) == {"label.missing.frozen_assessment"}
    # the messages are translated, with their parameters filled in
    with translation.override("en"):
        assert "frozen assessment" in services.explain(refused.value.reasons[0])
    with translation.override("zh-hans"):
        assert "固定评估" in services.explain(refused.value.reasons[0])
    assert services.verify_database().ok


def test_the_page_data_says_what_is_missing_for_the_next_step(drive: Any) -> None:
    app = drive("co_construction")
    (step,) = services.steps_of(app)
    assert step.target == "expert_review"
    assert {m.message_id for m in step.missing} == {
        "label.missing.consultation",
        "label.missing.action_plan",
    }


def test_a_charter_must_be_a_pdf(label: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as bad:
        services.apply(
            label["call"], label["city"], user=label["people"]["official"], motivation="m",
            contacts="c", charter=b"<html>not a pdf</html>",
        )  # fmt: skip
    assert "charter" in bad.value.message_dict
    assert not label["call"].applications.exists()


def test_a_conflict_of_interest_blocks_the_assignment(drive: Any, label: dict[str, Any]) -> None:
    app = drive("co_construction")
    p = label["people"]
    Role.objects.create(user=p["fr2"], kind=RoleKind.CITY_OFFICIAL, city=label["city"])
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.assign_assessor(app, p["fr2"], "fr", by=p["secretariat"])
    with pytest.raises(ValidationError, match="not in the programme"):
        services.assign_assessor(app, p["fr1"], "cn", by=p["secretariat"])
    # a declared conflict blocks the jury until another assessor is assigned
    fr = services.assign_assessor(app, p["fr1"], "fr", by=p["secretariat"])
    services.declare_assessor_conflict(fr)
    state = services.state_of(app)
    assert state.reviews[0].conflict


def test_reviews_are_hidden_from_the_other_side_until_both_are_in(
    drive: Any, label: dict[str, Any]
) -> None:
    app = drive("expert_review")
    p = label["people"]
    fr, cn = app.reviews.get(side="fr"), app.reviews.get(side="cn")
    services.submit_review(fr, findings={"land_use": "ok"}, site_visit="v", recommended_level="")
    assert p["fr1"].has_perm("label.view_review", fr)
    assert not p["cn1"].has_perm("label.view_review", fr)
    assert not p["j1"].has_perm("label.view_review", fr)
    assert p["secretariat"].has_perm("label.view_review", fr)
    services.submit_review(cn, findings={}, site_visit="v", recommended_level="one_star")
    assert p["cn1"].has_perm("label.view_review", fr)
    assert p["j1"].has_perm("label.view_review", fr)
    assert not p["official_elsewhere"].has_perm("label.view_review", fr)


def test_the_jury_declares_before_seeing_the_file_and_reviewers_cannot_vote(
    drive: Any, label: dict[str, Any]
) -> None:
    app = drive("jury")
    p = label["people"]
    assert not services.may_see_file(app, p["j1"])
    with pytest.raises(services.LabelRefused) as refused:
        services.cast_vote(app, p["j1"], vote="award", comment="")
    assert _ids(refused.value) == {"label.missing.conflict_declaration"}
    services.declare(app, p["j1"], no_conflict=True)
    assert services.may_see_file(app, p["j1"])
    # a juror who declares a conflict never sees the file nor votes
    services.declare(app, p["j2"], no_conflict=False)
    assert not services.may_see_file(app, p["j2"])
    # an assessor of this city who also sits on the jury
    from ecocite.web.label.models import Member

    Member.objects.create(programme=label["programme"], user=p["fr1"], kind="juror")
    services.declare(app, p["fr1"], no_conflict=True)
    with pytest.raises(services.LabelRefused) as refused:
        services.cast_vote(app, p["fr1"], vote="award", comment="")
    assert _ids(refused.value) == {"label.missing.reviewer_voted"}
    assert not p["fr1"].has_perm("label.vote_application", app)
    services.cast_vote(app, p["j1"], vote="award", comment="")
    with pytest.raises(services.LabelRefused) as refused:
        services.move(app, "labelled", p["chair"], reasons="r")
    assert "label.missing.quorum" in _ids(refused.value)
    with pytest.raises(ValidationError, match="reasons"):
        services.declare(app, p["j3"], no_conflict=True)
        services.cast_vote(app, p["j3"], vote="award", comment="")
        services.declare(app, p["chair"], no_conflict=True)
        services.cast_vote(app, p["chair"], vote="award", comment="")
        services.move(app, "labelled", p["chair"])
    assert (
        services.move(app, "labelled", p["chair"], reasons="Sound plan.", level="one_star").stage
        == "labelled"
    )


def test_monitoring_flags_a_drop_and_the_jury_lowers_or_withdraws(
    drive: Any, label: dict[str, Any], frozen_run: Any, framework_key: str
) -> None:
    app = drive("labelled")
    p = label["people"]
    app = services.move(app, "monitoring", p["secretariat"])
    assert app.round == 2
    with pytest.raises(services.LabelRefused) as refused:
        services.move(app, "confirmed", p["chair"], reasons="r")
    assert "label.missing.monitoring_assessment" in _ids(refused.value)
    # this year's assessment: a frozen run whose level is below the awarded one
    weaker = AssessmentRun.objects.create(
        city=label["city"], framework_key=framework_key, stage="planning_design", year=2021,
        status="finished", result={"indicators": [
            {"indicator": "sponge_city_area_share", "value": 12.0}
        ]}, level="",
    )  # fmt: skip
    services.set_assessment(app, weaker, monitoring=True)
    app.awarded_level = "two_star"
    app.save()
    report = services.monitoring_report(app)
    assert report is not None and report.drop
    assert report.targets[0].value == 12.0 and report.targets[0].met is None  # target 2025
    assert services.flagged([app]) == [app]
    for name in ("chair", "j1", "j2"):
        services.declare(app, p[name], no_conflict=True)
        services.cast_vote(app, p[name], vote="refuse", comment="")
    with pytest.raises(ValidationError, match="lower level"):
        services.move(app, "lowered", p["chair"], reasons="Drop.", level="three_star")
    app = services.move(app, "lowered", p["chair"], reasons="Drop.", level="one_star")
    assert app.awarded_level == "one_star"
    assert services.verify_database().ok


def test_deadlines_notify_who_must_act_once_in_their_language(
    drive: Any, label: dict[str, Any], mailoutbox: Any
) -> None:
    from datetime import date

    from ecocite.web.label.models import Deadline, Notice

    app = drive("expert_review")
    p = label["people"]
    p["fr1"].preferred_language = "zh-hans"
    p["fr1"].save()
    Deadline.objects.create(
        programme=label["programme"], stage="expert_review", due_on=date(2018, 3, 10)
    )
    assert services.send_deadline_notices(date(2018, 2, 1)) == 0  # too early
    assert services.send_deadline_notices(date(2018, 3, 1)) == 3  # secretariat, fr1, cn1
    assert services.send_deadline_notices(date(2018, 3, 2)) == 0  # once
    assert {n.user.username for n in Notice.objects.all()} == {"secretariat", "fr1", "cn1"}
    chinese = next(m for m in mailoutbox if m.to == ["fr1@example.org"])
    assert "荆州" in chinese.subject or "专家评审" in chinese.subject
    # the assessor who submitted is no longer chased when the deadline is missed
    review = app.reviews.get(side="fr")
    services.submit_review(review, findings={}, site_visit="v", recommended_level="")
    assert services.send_deadline_notices(date(2018, 3, 11)) == 2
    assert Notice.objects.filter(kind="missed", user=p["fr1"]).count() == 0
