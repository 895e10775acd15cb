"""The demo survey: every question type, illustrative answers, pages that say so."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client

from ecocite.web.cities.models import City
from ecocite.web.consultations.demo import load_consultations_demo
from ecocite.web.surveys.demo import RESPONDENTS, load_surveys_demo
from ecocite.web.surveys.models import Kind, Response, Survey


def test_the_demo_survey_has_every_type_and_illustrative_answers(db: Any) -> None:
    City.objects.create(slug="jingzhou", name_fr="Jingzhou", name_zh="荆州", name_en="Jingzhou",
                        country="CN")  # fmt: skip
    load_consultations_demo(log=lambda line: None)
    load_surveys_demo(log=lambda line: None)
    load_surveys_demo(log=lambda line: None)  # once only
    survey = Survey.objects.get()
    assert survey.illustrative and survey.results_public
    assert {q.kind for q in survey.questions.all()} == set(Kind.values)
    assert survey.questions.filter(condition_question__isnull=False).count() == 1
    assert Response.objects.filter(illustrative=True).count() == RESPONDENTS
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/surveys/{survey.pk}/")
    assert page.status_code == 200 and b'class="illustrative"' in page.content
    assert b"Send my answers" in page.content  # the running phase opens answering to all
    results = client.get(f"/surveys/{survey.pk}/results/")
    assert results.status_code == 200 and b'class="illustrative"' in results.content
    assert f"{RESPONDENTS} respondents".encode() in results.content
