"""Rules of the surveys app: who builds a survey, who answers it, who reads its results.

Organisers are the process's organisers (the same predicates as ``consultations.change_process``:
administrators, the city's officials, moderators of the process). Answering follows the phase
governing the process (``may_take_part("answer_survey")``) and, when the survey names a phase,
that phase must be the one running.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from ecocite.web.accounts.predicates import is_administrator, is_city_official, is_moderator
from ecocite.web.core.phases import may_take_part

is_organiser = is_administrator | is_city_official | is_moderator


@rules.predicate
def in_survey_phase(user: Any, survey: Any) -> bool:
    """Tell whether the survey's own phase (if it names one) is running now."""
    phase = getattr(survey, "phase", None)
    if phase is None:
        return True
    now = timezone.now()
    return bool(phase.starts_at <= now < phase.ends_at)


@rules.predicate
def results_are_public(user: Any, survey: Any) -> bool:
    """Tell whether the survey's organisers made its results public."""
    return bool(getattr(survey, "results_public", False))


RULES = {
    # asked about the process
    "surveys.add_survey": is_organiser,
    # asked about the survey
    "surveys.change_survey": is_organiser,
    "surveys.answer_survey": may_take_part("answer_survey") & in_survey_phase,
    "surveys.view_results": results_are_public | is_organiser,
}
