"""Surveys: building, answering (validation, conditions, one response each) and results."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ecocite.cells import neutralise
from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.core.models import Phase
from ecocite.web.surveys import exports, services
from ecocite.web.surveys.models import Answer, Response, Survey

from .conftest import NOW, full_answer, q


@pytest.fixture(autouse=True)
def in_english() -> Any:
    with translation.override("en"):
        yield


def test_organisers_build_surveys_participants_do_not(
    make_user: Any, process: Any, city: Any, other_city: Any
) -> None:
    resident = make_user("rosa", (RoleKind.RESIDENT, None))
    with pytest.raises(PermissionDenied):
        services.create_survey(resident, process, title_fr="X")
    official_elsewhere = make_user("olaf", (RoleKind.CITY_OFFICIAL, other_city))
    with pytest.raises(PermissionDenied):
        services.create_survey(official_elsewhere, process, title_fr="X")
    official = make_user("odile", (RoleKind.CITY_OFFICIAL, city))
    moderator = make_user("mo")
    Role.objects.create(user=moderator, kind=RoleKind.MODERATOR, scope=process)
    for who in (official, moderator):
        survey = services.create_survey(who, process, title_fr="Enquête")
        services.add_question(who, survey, kind="text", text_fr="Une idée ?")
        assert survey.questions.count() == 1


def test_question_settings_are_checked(admin: Any, process: Any) -> None:
    survey = services.create_survey(admin, process, title_fr="S")
    cases = [
        ({"kind": "single", "text_fr": "Q", "options": ["seul"]}, "options"),
        ({"kind": "single", "text_fr": "Q", "options": ["a", "a"]}, "options"),
        (
            {"kind": "multiple", "text_fr": "Q", "options": ["a", "b"], "max_choices": 3},
            "max_choices",
        ),
        ({"kind": "scale", "text_fr": "Q", "scale_max": 7}, "scale_max"),
        ({"kind": "number", "text_fr": "Q", "unit": "bananas**"}, "unit"),
        ({"kind": "number", "text_fr": "Q", "min_value": 5, "max_value": 1}, "max_value"),
        ({"kind": "text", "text_fr": ""}, "text_fr"),
        ({"kind": "nope", "text_fr": "Q"}, "kind"),
    ]
    for fields, key in cases:
        with pytest.raises(ValidationError) as err:
            services.add_question(admin, survey, **fields)
        assert key in err.value.message_dict, fields
    first = services.add_question(admin, survey, kind="single", text_fr="Q", options=["a", "b"])
    with pytest.raises(ValidationError) as err:
        services.add_question(
            admin, survey, kind="text", text_fr="Q2", condition_question=first, condition_value="c"
        )
    assert "condition_value" in err.value.message_dict
    assert survey.questions.count() == 1


def test_a_full_answer_is_stored_in_typed_rows(make_user: Any, survey: Survey) -> None:
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    response = services.submit_answers(rosa, survey, full_answer(survey), college="residents")
    rows = {a.question_id: a for a in response.answers.all()}
    assert rows[q(survey, 1).pk].option == 0
    assert sorted(a.option for a in response.answers.filter(question=q(survey, 2))) == [0, 2]
    assert rows[q(survey, 6).pk].number == 12.5
    assert rows[q(survey, 7).pk].geometry == {"type": "Point", "coordinates": [112.25, 30.35]}
    ranks = dict(response.answers.filter(question=q(survey, 5)).values_list("option", "rank"))
    assert ranks == {0: 2, 1: 1, 2: 3}


@pytest.mark.parametrize(
    ("n", "value", "message"),
    [
        (1, "", "required"),
        (2, ["0", "1", "2"], "at most 2"),
        (4, "11", "from 0 to 10"),
        (5, ["1", "1", "3"], "only once"),
        (5, ["1", "", "3"], "every option"),
        (6, "250", "from 0 to 200"),
        (6, "douze", "number"),
        (7, "1.0, 2.0", "outside"),
        (7, '{"type": "Polygon", "coordinates": []}', "GeoJSON Point"),
        (8, "112.25, 30.35", "GeoJSON Polygon"),
    ],
)
def test_bad_answers_are_refused_by_question_and_nothing_is_written(
    make_user: Any, survey: Survey, n: int, value: Any, message: str
) -> None:
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    raw = full_answer(survey)
    raw[q(survey, n).field] = value
    with pytest.raises(ValidationError) as err:
        services.submit_answers(rosa, survey, raw)
    problems = err.value.message_dict
    assert list(problems) == [q(survey, n).field]
    assert message in " ".join(problems[q(survey, n).field])
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_several_problems_are_reported_together(make_user: Any, survey: Survey) -> None:
    raw = full_answer(survey)
    raw[q(survey, 1).field] = ""
    raw[q(survey, 5).field] = ["2", "2", "2"]
    with pytest.raises(ValidationError) as err:
        services.submit_answers(make_user("rosa"), survey, raw)
    assert set(err.value.message_dict) == {q(survey, 1).field, q(survey, 5).field}


def test_a_conditional_question_applies_only_when_its_condition_holds(
    make_user: Any, survey: Survey
) -> None:
    rosa = make_user("rosa")
    raw = full_answer(survey)
    raw[q(survey, 3).field] = ""  # required, and shown since Q1 = vélo
    with pytest.raises(ValidationError) as err:
        services.submit_answers(rosa, survey, raw)
    assert list(err.value.message_dict) == [q(survey, 3).field]
    raw[q(survey, 1).field] = "1"  # bus: Q3 is hidden; its required flag no longer applies
    response = services.submit_answers(rosa, survey, raw)
    raw[q(survey, 3).field] = "ignored text"  # an answer to a hidden question is dropped
    response = services.submit_answers(rosa, survey, raw)
    assert not response.answers.filter(question=q(survey, 3)).exists()


def test_one_response_per_person_editable_until_the_phase_closes(
    make_user: Any, survey: Survey, monkeypatch: Any
) -> None:
    rosa = make_user("rosa")
    services.submit_answers(rosa, survey, full_answer(survey), college="residents")
    raw = full_answer(survey)
    raw[q(survey, 1).field] = "2"
    services.submit_answers(rosa, survey, raw, college="associations")
    assert Response.objects.count() == 1
    response = Response.objects.get()
    assert response.college == "associations"
    assert response.answers.get(question=q(survey, 1)).option == 2
    later = NOW + timedelta(days=21)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    with pytest.raises(PermissionDenied):
        services.submit_answers(rosa, survey, full_answer(survey))
    assert Response.objects.get().answers.get(question=q(survey, 1)).option == 2


def test_anonymous_answers_per_session_where_the_phase_allows(survey: Survey) -> None:
    anonymous = AnonymousUser()
    services.submit_answers(anonymous, survey, full_answer(survey), session_key="s1")
    services.submit_answers(anonymous, survey, full_answer(survey), session_key="s1")
    services.submit_answers(anonymous, survey, full_answer(survey), session_key="s2")
    assert Response.objects.count() == 2
    with pytest.raises(ValidationError):
        services.submit_answers(anonymous, survey, full_answer(survey), session_key="")
    Phase.objects.filter(name="Enquête").update(anonymous_allowed=False)
    with pytest.raises(PermissionDenied):
        services.submit_answers(anonymous, survey, full_answer(survey), session_key="s3")


def test_a_survey_tied_to_a_phase_is_answered_only_during_it(
    admin: Any, make_user: Any, process: Any
) -> None:
    closed = Phase.objects.get(name="Diagnostic")
    survey = services.create_survey(admin, process, title_fr="S", phase=closed)
    services.add_question(admin, survey, kind="text", text_fr="Q")
    assert not make_user("rosa").has_perm("surveys.answer_survey", survey)
    survey.phase = Phase.objects.get(name="Enquête")
    survey.save()
    assert make_user("rita").has_perm("surveys.answer_survey", survey)


def _answer_many(survey: Survey, make_user: Any) -> None:
    for i, (mode, college) in enumerate(
        [("0", "residents"), ("0", "residents"), ("1", "associations"), ("2", "professionals")]
    ):
        raw = full_answer(survey)
        raw[q(survey, 1).field] = mode
        raw[q(survey, 4).field] = str(i + 5)
        raw[q(survey, 6).field] = str(10 * (i + 1))
        services.submit_answers(make_user(f"p{i}"), survey, raw, college=college)


def test_results_count_per_option_and_filter_by_college(make_user: Any, survey: Survey) -> None:
    _answer_many(survey, make_user)
    total, rows = services.results(survey)
    assert total == 4
    assert rows[0].values == [2.0, 1.0, 1.0]
    assert rows[1].values == [4.0, 0.0, 4.0]
    assert rows[2].answered == 2 and rows[2].texts == ["Plus rapide", "Plus rapide"]
    assert rows[3].values[5:9] == [1.0, 1.0, 1.0, 1.0]
    assert rows[4].values == [2.0, 1.0, 3.0]
    assert rows[5].stats["median"] == 25 and rows[5].stats["max"] == 40
    total, rows = services.results(survey, "residents")
    assert total == 2 and rows[0].values == [2.0, 0.0, 0.0]
    features = services.map_features(survey, "associations")["features"]
    assert {f["properties"]["question"] for f in features} == {7, 8}
    assert {f["properties"]["respondent"] for f in features} == {3}


def test_exports_hold_no_personal_data_and_defuse_formulas(make_user: Any, survey: Survey) -> None:
    _answer_many(survey, make_user)
    raw = full_answer(survey)
    raw[q(survey, 3).field] = '=HYPERLINK("http://evil")'
    services.submit_answers(make_user("mallory"), survey, raw)
    header, rows = exports.answer_table(survey)
    assert header[:3] == ["respondent", "college", "illustrative"]
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert (
        rows[4][3 + 2] == neutralise('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    )
    assert rows[0][3 + 4] == "air > eau > sol"
    text = exports.answers_csv(survey)
    assert "mallory" not in text and "p0" not in text
    assert "'=HYPERLINK" in text
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(exports.answers_xlsx(survey, "residents"))).active
    values = list(sheet.values)
    assert len(values) == 3 and values[1][0] == 1 and values[1][1] == "residents"


def test_cached_results_follow_new_and_changed_answers(
    admin: Any, make_user: Any, survey: Survey
) -> None:
    _answer_many(survey, make_user)
    assert services.results(survey)[1][0].values == [2.0, 1.0, 1.0]
    raw = full_answer(survey)
    raw[q(survey, 1).field] = "2"
    services.submit_answers(make_user("late"), survey, raw)
    total, rows = services.results(survey)
    assert total == 5 and rows[0].values == [2.0, 1.0, 2.0]
    services.submit_answers(
        Response.objects.get(user__username="late").user, survey, full_answer(survey)
    )
    assert services.results(survey)[1][0].values == [3.0, 1.0, 1.0]
    services.delete_question(admin, q(survey, 2))
    assert len(services.results(survey)[1]) == 7


def test_control_characters_do_not_break_the_xlsx_export(make_user: Any, survey: Survey) -> None:
    raw = full_answer(survey)
    raw[q(survey, 3).field] = "bell\x07 and tab"
    services.submit_answers(make_user("rosa"), survey, raw)
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(exports.answers_xlsx(survey))).active
    assert list(sheet.values)[1][5] == "bell and tab"
    with pytest.raises(ValidationError):
        raw[q(survey, 3).field] = "nul\x00"
        services.submit_answers(make_user("rita"), survey, raw)


def test_a_question_depending_on_a_hidden_question_is_hidden_too(
    admin: Any, make_user: Any, survey: Survey
) -> None:
    # Q9 shows if Q3 (shown only for « vélo ») is « oui »: answering « bus » hides both.
    q9 = services.add_question(
        admin, survey, kind="scale", text_fr="Sûr ?", required=True,
        condition_question=q(survey, 3), condition_value="oui",
    )  # fmt: skip
    raw = full_answer(survey)
    raw[q(survey, 3).field] = "oui"
    with pytest.raises(ValidationError) as err:
        services.submit_answers(make_user("rosa"), survey, raw)
    assert list(err.value.message_dict) == [q9.field]
    raw[q(survey, 1).field] = "1"
    services.submit_answers(make_user("rita"), survey, raw)
    assert not Answer.objects.filter(question__in=[q9, q(survey, 3)]).exists()
