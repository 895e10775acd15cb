"""Every write endpoint of the label API × every kind of person × stage → allowed or refused.

The expected sets are written here; the test checks that the rule says the same and that the
endpoint answers 401/403 exactly when the rule refuses (a permitted person may still get a 400
when the stage table refuses the step: that is the table's answer, not a permission).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from ecocite.web.label.models import Member

PEOPLE = [
    "anonymous", "admin", "secretariat", "fr1", "cn1", "fr_elsewhere", "j1", "juror_reviewer",
    "chair", "official", "official_elsewhere", "resident",
]  # fmt: skip
STEWARDS = {"admin", "secretariat"}
# endpoint → (rule, who may)
EXPECTED: dict[str, tuple[str, set[str]]] = {
    "move": ("label.move_application", STEWARDS),
    "decide": ("label.decide_application", {"chair"}),
    "actions": ("label.change_application", STEWARDS | {"official"}),
    "assign": ("label.assign_assessor", STEWARDS),
    "declare": ("label.vote_application", {"j1", "chair"}),
    "vote": ("label.vote_application", {"j1", "chair"}),
    "submit_fr": ("label.submit_review", {"fr1"}),
}
STAGES = ["co_construction", "expert_review", "jury"]


@pytest.fixture
def world(drive: Any, label: dict[str, Any], make_user: Any, other_city: Any) -> Any:
    def build(stage: str) -> dict[str, Any]:
        app = drive(stage)
        p = dict(label["people"])
        p["fr_elsewhere"] = make_user("fr_elsewhere")
        Member.objects.create(
            programme=label["programme"], user=p["fr_elsewhere"], kind="assessor", side="fr"
        )
        p["juror_reviewer"] = p["cn1"]  # an assessor of this city who also sits on the jury
        Member.objects.get_or_create(programme=label["programme"], user=p["cn1"], kind="juror")
        return {"app": app, "people": p}

    return build


def _request(who: Any, endpoint: str, app: Any) -> int:
    client = Client()
    if who is not None:
        client.force_login(who)
    base = f"/api/v1/label-applications/{app.pk}/"
    review = app.reviews.filter(side="fr").first()
    body: dict[str, Any] = {
        "move": {"target": "expert_review"},
        "decide": {"target": "labelled", "reasons": "r", "level": "one_star"},
        "actions": {"title": "t", "indicator": "sponge_city_area_share", "target_value": 1,
                    "target_year": 2030, "owner": "o", "status": "planned"},
        "assign": {"assessor": 1, "side": "fr"},
        "declare": {"no_conflict": True},
        "vote": {"vote": "award", "comment": "c"},
        "submit_fr": {"findings": {}, "site_visit": "v", "recommended_level": ""},
    }[endpoint]  # fmt: skip
    url = {
        "move": base + "move/",
        "decide": base + "move/",
        "actions": base + "actions/",
        "assign": base + "assign/",
        "declare": base + "declare/",
        "vote": base + "vote/",
        "submit_fr": f"/api/v1/label-reviews/{review.pk if review else 0}/submit/",
    }[endpoint]
    return client.post(url, body, content_type="application/json").status_code


@pytest.mark.parametrize("stage", STAGES)
def test_write_endpoints_by_person_and_stage(world: Any, stage: str) -> None:
    w = world(stage)
    app, people = w["app"], w["people"]
    review = app.reviews.filter(side="fr").first()
    for endpoint, (rule, allowed) in EXPECTED.items():
        if endpoint == "submit_fr" and review is None:
            continue
        obj = review if endpoint == "submit_fr" else app
        for name in PEOPLE:
            user = people.get(name)
            if endpoint in ("declare", "vote") and name in ("cn1", "juror_reviewer"):
                # a juror may vote unless assigned to review this application
                expected = not app.reviews.filter(assessor=user).exists()
            else:
                expected = name in allowed
            assert (user or AnonymousUser()).has_perm(rule, obj) == expected, (rule, name, stage)
            status = _request(user, endpoint, app)
            refused = status in (401, 403)
            assert refused == (not expected), (endpoint, name, stage, status)
            app.refresh_from_db()
            assert app.stage == stage or expected, (endpoint, name, stage)
            if app.stage != stage:  # a permitted step was taken: put the application back
                app.stage = stage
                app.save(update_fields=["stage"])


def test_the_matrix_names_every_write_rule() -> None:
    from ecocite.web.label.rules import RULES

    writes = {r for r in RULES if not r.split(".")[1].startswith("view_")}
    asked = {rule for rule, _who in EXPECTED.values()}
    # programmes are created and changed in the admin site, applications opened on the page
    assert writes - asked == {
        "label.add_programme", "label.change_programme", "label.add_application",
    }  # fmt: skip
