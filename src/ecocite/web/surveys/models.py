"""Surveys of a consultation process, their questions and the answers people give.

A survey hangs on a :class:`~ecocite.web.consultations.models.Process` (and optionally one of its
phases); its phases decide who may answer (``answer_survey``). An answer is one
:class:`Response` per person (or per browser session where the phase is open to people without
an account) and one :class:`Answer` row per value: a chosen option, a rank, a number, a text or a
place. Keeping values in typed columns lets the results be counted in SQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecocite.web.consultations.models import College, in_language


class Kind(models.TextChoices):
    """Question types."""

    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    SCALE = "scale", _("scale")
    TEXT = "text", _("free text")
    RANKING = "ranking", _("ranking")
    NUMBER = "number", _("number with unit")
    MAP = "map", _("place on the map")


class MapKind(models.TextChoices):
    """What a map question asks for."""

    POINT = "point", _("a point")
    AREA = "area", _("an area")


CHOICE_KINDS = frozenset({Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING})


class Survey(models.Model):
    """A questionnaire of a process; answered while the governing phase opens ``answer_survey``."""

    process = models.ForeignKey(
        "consultations.Process", on_delete=models.CASCADE, related_name="surveys"
    )
    phase = models.ForeignKey(
        "core.Phase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("phase"),
        help_text=_("If set, the survey can be answered only while this phase runs."),
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    results_public = models.BooleanField(
        _("results are public"),
        default=False,
        help_text=_("Otherwise only the organisers see the results."),
    )
    illustrative = models.BooleanField(_("illustrative"), default=False)
    # Raised with every change of its answers: the results are cached under it.
    answers_revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["process_id", "id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """Return the title in the active language (French by default)."""
        return in_language(self, "title")

    @property
    def description(self) -> str:
        """Return the description in the active language (French by default)."""
        return in_language(self, "description")

    @property
    def scope_parent(self) -> object:
        """Hang on the process: its phases, city and moderators govern the survey."""
        return self.process


class Question(models.Model):
    """One question of a survey; shown only if its condition (if any) holds."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    text_fr = models.CharField(_("question (French)"), max_length=500)
    text_zh = models.CharField(_("question (Chinese)"), max_length=500, blank=True)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    options = models.JSONField(_("options"), default=list, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("at most this many choices"), null=True)
    scale_min = models.SmallIntegerField(_("scale from"), default=1)
    scale_max = models.SmallIntegerField(_("scale to"), default=5)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    min_value = models.FloatField(_("smallest number"), null=True, blank=True)
    max_value = models.FloatField(_("largest number"), null=True, blank=True)
    map_kind = models.CharField(
        _("place asked for"), max_length=5, choices=MapKind.choices, default=MapKind.POINT
    )
    condition_question = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependents",
        verbose_name=_("show only if the answer to"),
    )
    condition_value = models.CharField(_("is"), max_length=200, blank=True)

    class Meta:
        ordering = ["survey_id", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """Return the question in the active language (French by default)."""
        return in_language(self, "text")

    @property
    def field(self) -> str:
        """Name the form field (and error key) of this question."""
        return f"q{self.pk}"

    @property
    def scope_parent(self) -> object:
        """Hang on the survey."""
        return self.survey


class Response(models.Model):
    """One person's (or one anonymous session's) answers to a survey; editable while open."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session_key = models.CharField(max_length=64, blank=True)
    college = models.CharField(_("college"), max_length=20, choices=College.choices, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["survey_id", "id"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=models.Q(user__isnull=False),
                name="survey_one_response_per_person",
            ),
            models.UniqueConstraint(
                fields=["survey", "session_key"],
                condition=~models.Q(session_key=""),
                name="survey_one_response_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"

    @property
    def scope_parent(self) -> object:
        """Hang on the survey."""
        return self.survey


class Answer(models.Model):
    """One value of a response: an option (with its rank), a number, a text or a place."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.SmallIntegerField(null=True)
    rank = models.SmallIntegerField(null=True)
    number = models.FloatField(null=True)
    text = models.TextField(blank=True)
    geometry = models.JSONField(null=True)
    # Denormalised so results are one scan without joins: the response's college, and whether
    # this row is the first of its (response, question) — it counts the respondents who answered.
    college = models.CharField(max_length=20, blank=True)
    lead = models.BooleanField(default=True)

    class Meta:
        ordering = ["response_id", "question_id", "rank", "option"]
        indexes = [
            models.Index(fields=["question", "option"], name="survey_answer_option"),
            models.Index(fields=["question", "number"], name="survey_answer_number"),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"
