"""Manifest of the community app: profiles, organisations, calls for contributors, cases."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.community.api import (
    AnswerViewSet,
    CallViewSet,
    CaseViewSet,
    OrganisationViewSet,
    ProfileViewSet,
)
from ecocite.web.community.models import Call, Case, Profile
from ecocite.web.community.rules import RULES
from ecocite.web.core.capabilities import ApiRoute, Capability, MenuEntry, Watch

CAPABILITY = Capability(
    key="community",
    name=_("Communities of practice"),
    url_prefix="community/",
    urlconf="ecocite.web.community.urls",
    api=(
        ApiRoute("profiles", ProfileViewSet, "community-profile"),
        ApiRoute("organisations", OrganisationViewSet, "community-organisation"),
        ApiRoute("calls", CallViewSet, "community-call"),
        ApiRoute("call-answers", AnswerViewSet, "community-call-answer"),
        ApiRoute("cases", CaseViewSet, "community-case"),
    ),
    rules=RULES,
    watches=(
        Watch(Case, latest=("published_at", "id"), count=True),
        Watch(Call, latest=("created_at", "id"), count=True),
        Watch(Profile, latest=("updated_at", "id"), count=True),
    ),
    menu=[MenuEntry("community:index", _("Community"))],
    exports=[MenuEntry("community:cases_csv", _("Library of cases (CSV)"))],
    statistics={_("published cases"): Case.objects.count},
)
