"""The surveys API answers as the pages do: same rules, same validation."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from ecocite.web.accounts.models import RoleKind
from ecocite.web.surveys.models import Response, Survey

from .conftest import full_answer, q


def _api(user: Any = None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def _json_answers(survey: Survey) -> dict[str, Any]:
    raw = full_answer(survey)
    raw[q(survey, 5).field] = [2, 1, 3]
    raw[q(survey, 7).field] = {"type": "Point", "coordinates": [112.25, 30.35]}
    return {key[1:]: value for key, value in raw.items()}


def test_surveys_and_questions_are_listed(survey: Survey) -> None:
    rows = _api().get("/api/v1/surveys/", {"process": "centre"}).json()["results"]
    assert rows[0]["title"] == "Mobilité" and len(rows[0]["questions"]) == 8
    questions = _api().get("/api/v1/survey-questions/", {"survey": survey.pk}).json()["results"]
    assert [x["kind"] for x in questions][:3] == ["single", "multiple", "text"]


def test_building_through_the_api_follows_the_rules(
    admin: Any, make_user: Any, survey: Survey
) -> None:
    rosa = _api(make_user("rosa", (RoleKind.RESIDENT, None)))
    body = {"survey": survey.pk, "kind": "text", "text_fr": "Autre ?"}
    assert _api().post("/api/v1/survey-questions/", body, format="json").status_code == 401
    assert rosa.post("/api/v1/survey-questions/", body, format="json").status_code == 403
    bad = _api(admin).post(
        "/api/v1/survey-questions/", {**body, "kind": "single", "options": ["a"]}, format="json"
    )
    assert bad.status_code == 400 and "options" in bad.json()
    made = _api(admin).post("/api/v1/survey-questions/", body, format="json")
    assert made.status_code == 201
    assert rosa.delete(f"/api/v1/survey-questions/{made.json()['id']}/").status_code == 403
    assert _api(admin).delete(f"/api/v1/survey-questions/{made.json()['id']}/").status_code == 204
    created = _api(admin).post(
        "/api/v1/surveys/", {"process": "centre", "title_fr": "Autre"}, format="json"
    )
    assert created.status_code == 201
    assert rosa.post("/api/v1/surveys/", {"process": "centre", "title_fr": "X"}).status_code == 403


def test_answering_through_the_api(admin: Any, make_user: Any, survey: Survey) -> None:
    rosa = _api(make_user("rosa", (RoleKind.RESIDENT, None)))
    answers = _json_answers(survey)
    answers[str(q(survey, 5).pk)] = [1, 1, 3]
    bad = rosa.post(
        "/api/v1/survey-responses/", {"survey": survey.pk, "answers": answers}, format="json"
    )
    assert bad.status_code == 400 and q(survey, 5).field in bad.json()
    assert not Response.objects.exists()
    body = {"survey": survey.pk, "college": "universities", "answers": _json_answers(survey)}
    assert rosa.post("/api/v1/survey-responses/", body, format="json").status_code == 201
    assert rosa.post("/api/v1/survey-responses/", body, format="json").status_code == 201
    assert Response.objects.get().college == "universities"
    assert rosa.get("/api/v1/survey-responses/", {"survey": survey.pk}).status_code == 403
    table = _api(admin).get("/api/v1/survey-responses/", {"survey": survey.pk}).json()
    assert table["rows"][0][:2] == [1, "universities"]
    results = _api(admin).get(f"/api/v1/surveys/{survey.pk}/results/").json()
    assert results["respondents"] == 1 and results["questions"][0]["values"] == [1.0, 0.0, 0.0]
    assert _api().get(f"/api/v1/surveys/{survey.pk}/results/").status_code == 401


def test_the_schema_lists_the_survey_endpoints(db: Any) -> None:
    schema = _api().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ("/api/v1/surveys/", "/api/v1/survey-questions/", "/api/v1/survey-responses/"):
        assert path in text


def test_malformed_ids_are_client_errors(admin: Any, survey: Survey) -> None:
    api = _api(admin)
    assert api.get("/api/v1/surveys/abc/results/").status_code == 404
    assert api.get("/api/v1/survey-responses/", {"survey": "9" * 30}).status_code == 400
    assert api.get("/api/v1/survey-questions/", {"survey": "9" * 30}).status_code == 200
