"""Manifest of the surveys app: surveys of processes, questions, answers, results."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import ApiRoute, Capability, MenuEntry, Watch
from ecocite.web.surveys.api import QuestionViewSet, ResponseViewSet, SurveyViewSet
from ecocite.web.surveys.models import Response, Survey
from ecocite.web.surveys.rules import RULES

CAPABILITY = Capability(
    key="surveys",
    name=_("Surveys"),
    url_prefix="surveys/",
    urlconf="ecocite.web.surveys.urls",
    api=(
        ApiRoute("surveys", SurveyViewSet, "survey"),
        ApiRoute("survey-questions", QuestionViewSet, "survey-question"),
        ApiRoute("survey-responses", ResponseViewSet, "survey-response"),
    ),
    rules=RULES,
    watches=(
        Watch(Survey, latest=("id",), count=True),
        Watch(Response, latest=("updated_at", "id"), count=True),
    ),
    menu=[MenuEntry("surveys:index", _("Surveys"))],
    statistics={_("survey responses"): Response.objects.count},
)
