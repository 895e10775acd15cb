"""Survey pages: the builder, answering (errors, editing, anonymous), results and exports."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.test import Client

from ecocite.web.accounts.models import RoleKind
from ecocite.web.surveys.models import Question, Response, Survey

from .conftest import full_answer, q


def _client(user: Any = None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
        client.force_login(user)
    return client


def _post_data(survey: Survey, raw: dict[str, Any]) -> dict[str, Any]:
    """Turn raw answers into what the page's form posts (ranks as one select per option)."""
    data: dict[str, Any] = {"college": "residents"}
    for key, value in raw.items():
        question = Question.objects.get(pk=int(key[1:]))
        if question.kind == "ranking":
            for i, rank in enumerate(value):
                data[f"{key}_{i}"] = rank
        else:
            data[key] = value
    return data


def test_an_organiser_builds_a_survey_in_the_browser(admin: Any, process: Any) -> None:
    client = _client(admin)
    assert client.get("/surveys/new/centre/").status_code == 200
    created = client.post("/surveys/new/centre/", {"title_fr": "Parcs"})
    survey = Survey.objects.get(title_fr="Parcs")
    assert created.status_code == 302 and created["Location"] == f"/surveys/{survey.pk}/build/"
    added = client.post(
        f"/surveys/{survey.pk}/build/",
        {"kind": "single", "text_fr": "Un parc ?", "options": "oui\nnon", "scale_max": 5,
         "map_kind": "point", "required": "on"},
    )  # fmt: skip
    assert added.status_code == 302
    first = survey.questions.get()
    assert first.options == ["oui", "non"] and first.required
    refused = client.post(
        f"/surveys/{survey.pk}/build/",
        {"kind": "text", "text_fr": "Où ?", "scale_max": 5, "map_kind": "point",
         "condition_question": first.pk, "condition_value": "peut-être"},
    )  # fmt: skip
    assert refused.status_code == 422
    assert "one of the options" in refused.content.decode()
    client.post(f"/surveys/{survey.pk}/questions/{first.pk}/delete/")
    assert not survey.questions.exists()


def test_participants_cannot_reach_the_builder(make_user: Any, survey: Survey) -> None:
    rosa = _client(make_user("rosa", (RoleKind.RESIDENT, None)))
    assert rosa.get(f"/surveys/{survey.pk}/build/").status_code == 403
    assert rosa.get("/surveys/new/centre/").status_code == 403
    assert rosa.post(f"/surveys/{survey.pk}/questions/{q(survey, 1).pk}/delete/").status_code == 403
    assert survey.questions.count() == 8
    assert _client().get(f"/surveys/{survey.pk}/build/").status_code == 302  # to sign in


def test_answering_shows_errors_keeps_the_input_and_then_edits(
    make_user: Any, survey: Survey
) -> None:
    rosa = _client(make_user("rosa", (RoleKind.RESIDENT, None)))
    page = rosa.get(f"/surveys/{survey.pk}/")
    assert page.status_code == 200 and 'data-if="q' in page.content.decode()
    raw = full_answer(survey)
    raw[q(survey, 5).field] = ["1", "1", "2"]
    raw[q(survey, 2).field] = ["0", "1", "2"]
    bad = rosa.post(f"/surveys/{survey.pk}/", _post_data(survey, raw))
    text = bad.content.decode()
    assert bad.status_code == 422
    assert "Each rank may be given only once." in text and "Choose at most 2 options." in text
    assert "Plus rapide" in text  # what was typed is kept
    assert not Response.objects.exists()
    good = rosa.post(f"/surveys/{survey.pk}/", _post_data(survey, full_answer(survey)))
    assert good.status_code == 302
    again = rosa.get(f"/surveys/{survey.pk}/").content.decode()
    assert "Update my answers" in again and "Plus rapide" in again
    assert Response.objects.get().college == "residents"


def test_anonymous_people_answer_once_per_session(survey: Survey) -> None:
    visitor = _client()
    for _ in range(2):
        answered = visitor.post(f"/surveys/{survey.pk}/", _post_data(survey, full_answer(survey)))
        assert answered.status_code == 302
    assert Response.objects.count() == 1 and Response.objects.get().user is None
    _client().post(f"/surveys/{survey.pk}/", _post_data(survey, full_answer(survey)))
    assert Response.objects.count() == 2


def test_results_charts_tables_filters_and_exports(
    admin: Any, make_user: Any, survey: Survey
) -> None:
    for i, college in enumerate(["residents", "associations"]):
        raw = full_answer(survey)
        raw[q(survey, 1).field] = str(i)
        data = _post_data(survey, raw)
        data["college"] = college
        _client(make_user(f"p{i}")).post(f"/surveys/{survey.pk}/", data)
    rosa = _client(make_user("rosa"))
    assert rosa.get(f"/surveys/{survey.pk}/results/").status_code == 403
    assert rosa.get(f"/surveys/{survey.pk}/answers.csv").status_code == 403
    organiser = _client(admin)
    page = organiser.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert page.count('<svg class="chart bars"') == 4  # single, multiple, scale, ranking
    assert "2 respondents" in page and "Plus rapide" in page
    assert '<th scope="row">vélo</th>' in page
    filtered = organiser.get(f"/surveys/{survey.pk}/results/?college=associations")
    assert "1 respondent." in filtered.content.decode()
    csv_text = organiser.get(f"/surveys/{survey.pk}/answers.csv?college=residents").content
    assert csv_text.decode().count("\n") == 2
    xlsx = organiser.get(f"/surveys/{survey.pk}/answers.xlsx")
    assert xlsx.content[:2] == b"PK"
    places = json.loads(organiser.get(f"/surveys/{survey.pk}/places.geojson").content)
    assert len(places["features"]) == 4
    survey.results_public = True
    survey.save()
    assert rosa.get(f"/surveys/{survey.pk}/results/").status_code == 200


def test_the_results_page_shows_a_new_answer_at_once(
    admin: Any, make_user: Any, survey: Survey
) -> None:
    organiser = _client(admin)
    _client(make_user("p1")).post(f"/surveys/{survey.pk}/", _post_data(survey, full_answer(survey)))
    assert "1 respondent." in organiser.get(f"/surveys/{survey.pk}/results/").content.decode()
    _client(make_user("p2")).post(f"/surveys/{survey.pk}/", _post_data(survey, full_answer(survey)))
    assert "2 respondents." in organiser.get(f"/surveys/{survey.pk}/results/").content.decode()


def test_surveys_are_listed_and_linked_from_their_process(
    admin: Any, make_user: Any, survey: Survey
) -> None:
    page = _client(admin).get("/surveys/").content.decode()
    assert f"/surveys/{survey.pk}/" in page and "/surveys/new/centre/" in page
    resident = _client(make_user("rosa")).get("/surveys/").content.decode()
    assert "/surveys/new/centre/" not in resident
    process_page = _client().get("/consultations/centre/").content.decode()
    assert f'href="/surveys/{survey.pk}/"' in process_page
