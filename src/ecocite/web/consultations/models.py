"""Standing bodies, processes, proposals and the city's plan actions they lead to.

A *body* (a standing participatory "instance", like Decidim's assemblies) gathers members in
colleges and runs *processes*; a process feeds one decision at one scale, carries its phases in
the kernel (:mod:`ecocite.web.core.phases`) and receives *proposals*. Comments and supports on
proposals live in :mod:`ecocite.web.interactions`; the official answer and status live here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ecocite.web.core.languages import engine_lang

LANGS = ("fr", "zh", "en")


def in_language(obj: Any, field: str) -> str:
    """``obj.<field>_<lang>`` in the active language, else the default (French), else any."""
    active = engine_lang(translation.get_language())
    default = engine_lang(settings.LANGUAGE_CODE)
    for lang in (active, default, *LANGS):
        value = getattr(obj, f"{field}_{lang}", "")
        if value:
            return str(value)
    return ""


class College(models.TextChoices):
    """Member colleges of a standing body."""

    RESIDENTS = "residents", _("residents")
    ASSOCIATIONS = "associations", _("associations")
    PROFESSIONALS = "professionals", _("professionals")
    UNIVERSITIES = "universities", _("universities")
    DECISION_MAKERS = "decision_makers", _("elected officials and decision makers")


class Scale(models.TextChoices):
    """Scales of decision a process feeds."""

    TERRITORY = "territory", _("territory")
    PROGRAMME = "programme", _("programme")
    OPERATION = "operation", _("development operation")
    OPERATOR = "operator", _("operator")


class Heritage(models.TextChoices):
    """Kinds of local cultural heritage a proposal may concern."""

    MONUMENT = "monument", _("monument")
    HISTORIC_DISTRICT = "historic_district", _("historic district")
    LANDSCAPE = "landscape", _("landscape")
    INTANGIBLE = "intangible", _("intangible practice")


class Status(models.TextChoices):
    """Where a proposal stands; the support threshold moves ``received`` to ``under_study``."""

    RECEIVED = "received", _("received")
    UNDER_STUDY = "under_study", _("under study")
    ACCEPTED = "accepted", _("accepted")
    ACCEPTED_WITH_CHANGES = "accepted_with_changes", _("accepted with changes")
    REJECTED = "rejected", _("rejected")
    IMPLEMENTED = "implemented", _("implemented")


# Which status may follow which (values of :class:`Status`); a decision may be corrected.
NEXT_STATUSES: dict[str, frozenset[str]] = {
    "received": frozenset({"under_study", "accepted", "accepted_with_changes", "rejected"}),
    "under_study": frozenset({"accepted", "accepted_with_changes", "rejected"}),
    "accepted": frozenset({"accepted_with_changes", "rejected", "implemented"}),
    "accepted_with_changes": frozenset({"accepted", "rejected", "implemented"}),
    "rejected": frozenset({"under_study", "accepted", "accepted_with_changes"}),
    "implemented": frozenset(),
}
ACCEPTED_STATUSES = frozenset({"accepted", "accepted_with_changes", "implemented"})


class Stance(models.TextChoices):
    """The stance of a comment on a proposal."""

    PRO = "pro", _("for")
    CONTRA = "contra", _("against")


class Body(models.Model):
    """A standing participatory body of a territory, with a charter and member colleges."""

    slug = models.SlugField(_("identifier"), max_length=64, unique=True)
    city = models.ForeignKey(
        "cities.City", null=True, blank=True, on_delete=models.PROTECT, related_name="bodies"
    )
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    charter_fr = models.TextField(_("charter (French)"), blank=True)
    charter_zh = models.TextField(_("charter (Chinese)"), blank=True)
    charter_en = models.TextField(_("charter (English)"), blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("participatory body")
        verbose_name_plural = _("participatory bodies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Give the name in the active language, falling back to French."""
        return in_language(self, "name")

    @property
    def charter(self) -> str:
        """Give the charter in the active language, falling back to French."""
        return in_language(self, "charter")


class Membership(models.Model):
    """A member of a body, in one college (a person with an account, or a named organisation)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    college = models.CharField(_("college"), max_length=20, choices=College.choices)

    class Meta:
        ordering = ["body", "college", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.college})"


class Process(models.Model):
    """A consultation feeding one decision, at one scale, in one city, run by a body or the city.

    Its phases are kernel :class:`~ecocite.web.core.models.Phase` rows hung on it.
    """

    slug = models.SlugField(_("identifier"), max_length=64, unique=True)
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.SET_NULL, related_name="processes"
    )
    city = models.ForeignKey("cities.City", on_delete=models.PROTECT, related_name="processes")
    scale = models.CharField(_("scale of decision"), max_length=20, choices=Scale.choices)
    site = models.JSONField(_("site (GeoJSON polygon, WGS84)"), null=True, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    decision_fr = models.CharField(_("decision it feeds (French)"), max_length=300)
    decision_zh = models.CharField(_("decision it feeds (Chinese)"), max_length=300, blank=True)
    decision_en = models.CharField(_("decision it feeds (English)"), max_length=300, blank=True)
    decision_planned_on = models.DateField(_("decision planned on"), null=True, blank=True)
    categories = models.JSONField(_("proposal categories"), default=list, blank=True)
    stance_enabled = models.BooleanField(_("comments take a stance for or against"), default=False)
    support_limit = models.PositiveSmallIntegerField(
        _("supports per person per phase"), null=True, blank=True
    )
    support_threshold = models.PositiveIntegerField(
        _("supports moving a proposal to study"), null=True, blank=True
    )
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "slug"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """Give the title in the active language, falling back to French."""
        return in_language(self, "title")

    @property
    def description(self) -> str:
        """Give the description in the active language, falling back to French."""
        return in_language(self, "description")

    @property
    def decision(self) -> str:
        """Give the decision fed, in the active language, falling back to French."""
        return in_language(self, "decision")

    def clean(self) -> None:
        """Check the site is a valid GeoJSON polygon."""
        if self.site is not None:
            from ecocite.web.consultations.geometry import check_geometry

            check_geometry(self.site, field="site", kinds=("Polygon", "MultiPolygon"))


class PlanAction(models.Model):
    """An action of a city's plan, with its progress; accepted proposals link to it."""

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="plan_actions")
    code = models.CharField(_("code"), max_length=40, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["city", "code", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="plan_action_progress_percent"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """Give the title in the active language, falling back to French."""
        return in_language(self, "title")


class Proposal(models.Model):
    """A participant's proposal in a process, and the official answer to it."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="proposals")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal (Markdown)"), max_length=10000)
    category = models.CharField(_("category"), max_length=100, blank=True)
    heritage = models.CharField(_("heritage"), max_length=20, choices=Heritage.choices, blank=True)
    geometry = models.JSONField(_("place (GeoJSON, WGS84)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.RECEIVED
    )
    answer = models.TextField(_("official answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    plan_action = models.ForeignKey(
        PlanAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding (public)"), blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["process", "status"], name="proposal_process_status"),
            # the paged list's order, and the data fingerprint's MAX(updated_at)
            models.Index(fields=["process", "-created_at", "-id"], name="proposal_process_newest"),
            models.Index(fields=["updated_at"], name="proposal_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_parent(self) -> Process:
        """Return the process: roles and phases of the process govern its proposals."""
        return self.process

    @property
    def city(self) -> Any:
        """Return the city of the proposal's process."""
        return self.process.city


class ProposalImage(models.Model):
    """An image of a proposal, re-encoded without its metadata (EXIF, GPS) on upload."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to="proposals/%Y/%m/", max_length=300)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["proposal", "position", "id"]


class StatusChange(models.Model):
    """One change of a proposal's status: who, when, why (the accountability trail)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="history")
    old_status = models.CharField(max_length=30, choices=Status.choices)
    new_status = models.CharField(max_length=30, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "changed_at", "id"]


class CommentStance(models.Model):
    """The stance a comment takes on a proposal, where its process asks for one."""

    comment = models.OneToOneField(
        "interactions.Comment", on_delete=models.CASCADE, related_name="stance"
    )
    stance = models.CharField(max_length=10, choices=Stance.choices)


def upstream_days(process: Process, ideas_close: date | None) -> int | None:
    """Days between the close of ideas and the planned decision (negative: ideas came late)."""
    if ideas_close is None or process.decision_planned_on is None:
        return None
    return (process.decision_planned_on - ideas_close).days


def validate_status_move(old: str, new: str) -> None:
    """Raise ``ValidationError`` unless a proposal may go from ``old`` to ``new``."""
    if new == old:
        return
    if new not in NEXT_STATUSES.get(old, frozenset()):
        raise ValidationError(
            {
                "status": _("A proposal cannot go from %(old)s to %(new)s.")
                % {"old": old, "new": new}
            }
        )
