"""Manifest of the assessments app: run an assessment, follow it, read its frozen result."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.assessments.api import AssessmentViewSet, ComparisonView
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.assessments.rules import RULES
from ecocite.web.core.capabilities import ApiRoute, Capability, MenuEntry, Watch

CAPABILITY = Capability(
    key="assessments",
    name=_("Assessments"),
    # The "run an assessment" page lives under its city's address (/cities/<slug>/assess/).
    url_prefix="",
    urlconf="ecocite.web.assessments.urls",
    api=(
        ApiRoute("assessments", AssessmentViewSet, "assessment"),
        ApiRoute("comparison/", ComparisonView, "comparison"),
    ),
    rules=RULES,
    menu=[MenuEntry("assessments:compare", _("Compare"))],
    watches=(
        Watch(
            AssessmentRun, latest=("finished_at",), count=True, where={"status": Status.FINISHED}
        ),
    ),
    statistics={
        _("finished assessments"): AssessmentRun.objects.filter(status=Status.FINISHED).count
    },
)
