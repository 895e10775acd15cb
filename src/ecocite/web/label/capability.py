"""Manifest of the label app: programmes, applications, reviews, jury, registry, decision log."""

from django.utils.translation import gettext_lazy as _

from ecocite.web.core.capabilities import ApiRoute, Capability, MenuEntry, Watch
from ecocite.web.label.api import (
    ApplicationViewSet,
    CertificateViewSet,
    ProgrammeViewSet,
    ReviewViewSet,
)
from ecocite.web.label.models import (
    HOLDS_LABEL,
    Action,
    Application,
    Ballot,
    Deadline,
    LinkedProcess,
    LogRow,
    Member,
    Review,
)
from ecocite.web.label.rules import RULES

CAPABILITY = Capability(
    key="label",
    name=_("Eco-city label"),
    url_prefix="label/",
    urlconf="ecocite.web.label.urls",
    api=(
        ApiRoute("label-programmes", ProgrammeViewSet, "label-programme"),
        ApiRoute("label-applications", ApplicationViewSet, "label-application"),
        ApiRoute("label-reviews", ReviewViewSet, "label-review"),
        ApiRoute("label-registry", CertificateViewSet, "label-registry"),
    ),
    rules=RULES,
    # what the cached dashboard shows: applications, their log (steps, reviews, votes,
    # decisions), assignments, declarations, linked consultations, actions, people, calendar
    watches=(
        Watch(Application, latest=("updated_at", "id"), count=True),
        Watch(LogRow, latest=("id",)),
        Watch(Review, latest=("id",), count=True),
        Watch(Ballot, latest=("id",), count=True),
        Watch(LinkedProcess, latest=("id",), count=True),
        Watch(Action, latest=("id",), count=True),
        Watch(Member, latest=("id",), count=True),
        Watch(Deadline, latest=("due_on", "id"), count=True),
    ),
    menu=[MenuEntry("label:index", _("Label"))],
    exports=[MenuEntry("label:registry", _("Registry of labelled eco-cities"))],
    statistics={
        _("labelled eco-cities"): lambda: Application.objects.filter(stage__in=HOLDS_LABEL).count()
    },
)
