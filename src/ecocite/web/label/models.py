"""Label programmes, calls, applications and everything the stage machine reads.

The stage an application is in, and which step may follow, is the engine's declared table
(:mod:`ecocite.label.stages`); :mod:`ecocite.web.label.services` builds the engine's state from
these rows. Every decision is also appended to :class:`LogRow`, the platform's decision log,
chained by SHA-256 exactly as :mod:`ecocite.label.log` writes and verifies it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecocite.label.stages import LabelStage
from ecocite.web.consultations.models import in_language


class Stage(models.TextChoices):
    """The stages of an application (the engine's :class:`~ecocite.label.stages.LabelStage`)."""

    COMMITMENT = LabelStage.COMMITMENT.value, _("commitment")
    DIAGNOSTIC = LabelStage.DIAGNOSTIC.value, _("diagnostic")
    CO_CONSTRUCTION = LabelStage.CO_CONSTRUCTION.value, _("co-construction")
    EXPERT_REVIEW = LabelStage.EXPERT_REVIEW.value, _("expert review")
    JURY = LabelStage.JURY.value, _("jury")
    LABELLED = LabelStage.LABELLED.value, _("labelled")
    REFUSED = LabelStage.REFUSED.value, _("refused")
    MONITORING = LabelStage.MONITORING.value, _("monitoring")
    CONFIRMED = LabelStage.CONFIRMED.value, _("confirmed")
    RAISED = LabelStage.RAISED.value, _("raised")
    LOWERED = LabelStage.LOWERED.value, _("lowered")
    WITHDRAWN = LabelStage.WITHDRAWN.value, _("withdrawn")


# Stages in which the city holds a label (the registry lists them).
HOLDS_LABEL = frozenset({"labelled", "monitoring", "confirmed", "raised", "lowered"})


class Side(models.TextChoices):
    """The two sides of the Sino-French programme (engine spelling ``fr`` / ``cn``)."""

    FRENCH = "fr", _("French side")
    CHINESE = "cn", _("Chinese side")


class Programme(models.Model):
    """A label programme: its framework, calendar, secretariat (roles), jury and assessors."""

    slug = models.SlugField(_("identifier"), max_length=64, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    framework_key = models.CharField(_("reference framework"), max_length=100)
    assessment_stage = models.CharField(_("stage of assessment"), max_length=40)
    quorum = models.PositiveSmallIntegerField(_("jury quorum"), default=3)
    validity_years = models.PositiveSmallIntegerField(_("validity of the label (years)"), default=3)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("label programme")
        verbose_name_plural = _("label programmes")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Give the name in the active language, falling back to French."""
        return in_language(self, "name")

    @property
    def framework_version(self) -> str:
        """Return the framework's version (the part of its key after ``@``)."""
        return self.framework_key.partition("@")[2]


class Deadline(models.Model):
    """The date by which applications of a programme should leave a stage."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="deadlines")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["programme", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "stage"], name="label_deadline_stage")
        ]


class Member(models.Model):
    """A person in a programme's jury or assessor pool (the secretariat holds roles)."""

    class Kind(models.TextChoices):
        ASSESSOR = "assessor", _("assessor")
        JUROR = "juror", _("jury member")
        CHAIR = "chair", _("jury chair")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="label_memberships"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    side = models.CharField(_("side"), max_length=2, choices=Side.choices, blank=True)

    class Meta:
        ordering = ["programme", "kind", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "user", "kind"], name="label_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"

    @property
    def scope_parent(self) -> Programme:
        """Return the programme."""
        return self.programme


class Call(models.Model):
    """A call for applications of a programme, open between two dates."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="calls")
    slug = models.SlugField(_("identifier"), max_length=64, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        ordering = ["-opens_on", "slug"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """Give the title in the active language, falling back to French."""
        return in_language(self, "title")

    @property
    def scope_parent(self) -> Programme:
        """Return the programme."""
        return self.programme


class Application(models.Model):
    """A city's application to a call, and where it stands in the label process."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    city = models.ForeignKey("cities.City", on_delete=models.PROTECT, related_name="applications")
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.COMMITMENT
    )
    pilot_site_name = models.CharField(_("pilot site"), max_length=200, blank=True)
    pilot_site = models.JSONField(_("pilot site (GeoJSON polygon, WGS84)"), null=True, blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    charter = models.FileField(_("signed charter (PDF)"), upload_to="label/charters/", blank=True)
    charter_sha256 = models.CharField(max_length=64, blank=True)
    frozen_assessment = models.ForeignKey(
        "assessments.AssessmentRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    monitoring_assessment = models.ForeignKey(
        "assessments.AssessmentRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    round = models.PositiveSmallIntegerField(_("jury round"), default=1)
    awarded_level = models.CharField(_("awarded level"), max_length=40, blank=True)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    certificate_code = models.CharField(max_length=20, unique=True, null=True, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["call", "city__slug"]
        constraints = [
            models.UniqueConstraint(fields=["call", "city"], name="label_one_application_per_call")
        ]
        indexes = [models.Index(fields=["stage"], name="label_application_stage")]

    def __str__(self) -> str:
        return f"{self.city} · {self.call}"

    @property
    def programme(self) -> Programme:
        """Return the programme of the call."""
        return self.call.programme

    @property
    def scope_parent(self) -> Programme:
        """Return the programme: its secretariat's roles govern the application."""
        return self.call.programme


class LinkedProcess(models.Model):
    """A consultation process linked to an application, at city or pilot-site scale."""

    class Scale(models.TextChoices):
        CITY = "city", _("city")
        PILOT_SITE = "pilot_site", _("pilot site")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="processes")
    process = models.ForeignKey(
        "consultations.Process", on_delete=models.PROTECT, related_name="label_links"
    )
    scale = models.CharField(_("scale"), max_length=20, choices=Scale.choices)

    class Meta:
        ordering = ["application", "scale", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "process"], name="label_process_once")
        ]


class Action(models.Model):
    """An action of the application's plan; its city plan action carries linked proposals."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        UNDER_WAY = "under_way", _("under way")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="actions")
    plan_action = models.OneToOneField(
        "consultations.PlanAction", on_delete=models.PROTECT, related_name="label_action"
    )
    indicator = models.CharField(_("indicator targeted"), max_length=100)
    target_value = models.FloatField(_("target value"))
    target_year = models.PositiveSmallIntegerField(_("target year"))
    owner = models.CharField(_("owner"), max_length=200)
    budget = models.DecimalField(
        _("budget (CNY)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        ordering = ["application", "id"]

    @property
    def title(self) -> str:
        """Give the title of the plan action in the active language."""
        return self.plan_action.title


class Review(models.Model):
    """An assessor's review of an application, for one side; private until both are in."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="label_reviews"
    )
    side = models.CharField(_("side"), max_length=2, choices=Side.choices)
    findings = models.JSONField(_("findings per category"), default=dict, blank=True)
    site_visit = models.TextField(_("site-visit report"), blank=True)
    recommended_level = models.CharField(_("recommended level"), max_length=40, blank=True)
    conflict_declared = models.BooleanField(_("conflict of interest declared"), default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "side"]
        constraints = [
            models.UniqueConstraint(fields=["application", "side"], name="label_review_per_side")
        ]

    @property
    def scope_parent(self) -> Application:
        """Return the application."""
        return self.application


class EvidenceFile(models.Model):
    """A file of evidence (a review's, a site visit's), kept by its SHA-256 in the log."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(upload_to="label/evidence/", max_length=300)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "id"]


class Ballot(models.Model):
    """A jury member's conflict declaration, then vote and comment, in one round."""

    class Vote(models.TextChoices):
        AWARD = "award", _("award")
        REFUSE = "refuse", _("refuse")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="ballots")
    round = models.PositiveSmallIntegerField()
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="label_ballots"
    )
    no_conflict = models.BooleanField(_("I have no conflict of interest"))
    declared_at = models.DateTimeField(auto_now_add=True)
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices, blank=True)
    level = models.CharField(_("level"), max_length=40, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    voted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "round", "member"], name="label_ballot_once"
            )
        ]


class Decision(models.Model):
    """A jury decision (award, refuse, confirm, raise, lower, withdraw) on a frozen bundle."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    round = models.PositiveSmallIntegerField()
    outcome = models.CharField(_("outcome"), max_length=20, choices=Stage.choices)
    level = models.CharField(_("level"), max_length=40, blank=True)
    reasons = models.TextField(_("reasons"))
    bundle = models.JSONField()
    bundle_sha256 = models.CharField(max_length=64)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["application", "decided_at", "id"]


class LogHead(models.Model):
    """One row locked while appending, so two appends never chain onto the same head."""

    count = models.PositiveBigIntegerField(default=0)
    head = models.CharField(max_length=64)


class LogRow(models.Model):
    """One decision-log entry, field for field as :mod:`ecocite.label.log` hashes it.

    Rows are read in primary-key order; ``application`` is a convenience index, not hashed.
    """

    seq = models.PositiveBigIntegerField()
    time = models.CharField(max_length=32)
    kind = models.CharField(max_length=20)
    role = models.CharField(max_length=20)
    payload = models.JSONField()
    evidence = models.JSONField(default=list)
    private_digest = models.CharField(max_length=64, null=True)
    prev = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    private = models.JSONField(null=True)
    application = models.ForeignKey(
        Application, null=True, on_delete=models.SET_NULL, related_name="log"
    )

    class Meta:
        ordering = ["id"]

    def to_entry(self) -> dict[str, Any]:
        """Return the entry as the engine verifies it."""
        out: dict[str, Any] = {
            "seq": self.seq,
            "time": self.time,
            "kind": self.kind,
            "role": self.role,
            "payload": self.payload,
            "evidence": self.evidence,
            "private_digest": self.private_digest,
            "prev": self.prev,
            "hash": self.hash,
        }
        if self.private is not None:
            out["private"] = self.private
        return out


class Notice(models.Model):
    """A deadline notice to one person: due soon, or missed (sent once, in the site and by mail)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("deadline approaching")
        MISSED = "missed", _("deadline missed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="label_notices"
    )
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    stage = models.CharField(max_length=20, choices=Stage.choices)
    due_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "application", "kind", "stage", "due_on"], name="label_notice_once"
            )
        ]
