from django.utils.translation import gettext_lazy as _

from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.core.capabilities import Capability

CAPABILITY = Capability(
    key="assessments",
    name=_("Assessments"),
    permissions=["run_assessment", "sit_on_jury"],
    statistics={
        _("finished assessments"): AssessmentRun.objects.filter(status=Status.FINISHED).count
    },
)
