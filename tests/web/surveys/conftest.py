"""A process whose running phase opens survey answering, and a survey with every question type."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import services as consultations
from ecocite.web.consultations.models import Process
from ecocite.web.consultations.services import PhaseSpec
from ecocite.web.surveys import services
from ecocite.web.surveys.models import Question, Survey

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)
SITE = {
    "type": "Polygon",
    "coordinates": [[[112.2, 30.3], [112.3, 30.3], [112.3, 30.4], [112.2, 30.4], [112.2, 30.3]]],
}


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: Any) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture
def admin(make_user: Any) -> Any:
    return make_user("ada", (RoleKind.ADMINISTRATOR, None))


@pytest.fixture
def process(admin: Any, city: Any) -> Process:
    """Diagnostic (closed) then a survey phase running now, open to people without an account."""
    return consultations.create_process(
        admin,
        city,
        [
            PhaseSpec(
                "Diagnostic", NOW - timedelta(days=40), NOW - timedelta(days=10), ("comment",)
            ),
            PhaseSpec(
                "Enquête",
                NOW - timedelta(days=10),
                NOW + timedelta(days=20),
                ("answer_survey",),
                True,
            ),
        ],
        slug="centre",
        scale="operation",
        title_fr="Cœur de ville",
        decision_fr="Plan guide",
        site=SITE,
    )


@pytest.fixture
def survey(admin: Any, process: Process) -> Survey:
    """One question of each type; Q3 (free text) shows only if Q1 is « vélo »."""
    s = services.create_survey(admin, process, title_fr="Mobilité", results_public=False)
    add = services.add_question
    q1 = add(admin, s, kind="single", text_fr="Mode principal", required=True,
             options=["vélo", "bus", "voiture"])  # fmt: skip
    add(admin, s, kind="multiple", text_fr="Besoins", options=["arbres", "bancs", "ombre"],
        max_choices=2)  # fmt: skip
    add(admin, s, kind="text", text_fr="Pourquoi le vélo ?", required=True,
        condition_question=q1, condition_value="vélo")  # fmt: skip
    add(admin, s, kind="scale", text_fr="Satisfaction", scale_max=10)
    add(admin, s, kind="ranking", text_fr="Priorités", options=["eau", "air", "sol"])
    add(admin, s, kind="number", text_fr="Distance au travail", unit="km", min_value=0,
        max_value=200)  # fmt: skip
    add(admin, s, kind="map", text_fr="Où planter ?", map_kind="point")
    add(admin, s, kind="map", text_fr="Quel quartier ?", map_kind="area")
    return s


def q(survey: Survey, n: int) -> Question:
    """Return the n-th question (1-based) of the survey."""
    return list(survey.questions.order_by("position"))[n - 1]


def full_answer(survey: Survey) -> dict[str, Any]:
    """A valid answer to every question (raw values as the page sends them)."""
    return {
        q(survey, 1).field: "0",
        q(survey, 2).field: ["0", "2"],
        q(survey, 3).field: "Plus rapide",
        q(survey, 4).field: "7",
        q(survey, 5).field: ["2", "1", "3"],
        q(survey, 6).field: "12,5",
        q(survey, 7).field: "112.25, 30.35",
        q(survey, 8).field: (
            '{"type": "Polygon", "coordinates": [[[112.21, 30.31], [112.22, 30.31], '
            "[112.22, 30.32], [112.21, 30.31]]]}"
        ),
    }
