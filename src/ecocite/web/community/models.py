"""Profiles, organisations, calls for contributors and their answers, published cases.

A profile says which of its fields are public (``public_fields``); everything that shows a
profile to someone else — pages, exports, the API, suggested matches — goes through
:func:`ecocite.web.community.services.public_profile`, so a private field never leaves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecocite.web.consultations.models import Scale, in_language


class Discipline(models.TextChoices):
    """Disciplines of professionals and university members."""

    URBAN_PLANNING = "urban_planning", _("urban planning")
    ARCHITECTURE = "architecture", _("architecture")
    ENGINEERING = "engineering", _("engineering")
    GEOGRAPHY = "geography", _("geography")
    SOCIOLOGY = "sociology", _("sociology")
    POLITICAL_SCIENCE = "political_science", _("political science")
    ENVIRONMENTAL_SCIENCE = "environmental_science", _("environmental science")
    LANDSCAPE = "landscape", _("landscape architecture")
    ECONOMICS = "economics", _("economics")
    DATA_SCIENCE = "data_science", _("data science and mapping")
    HERITAGE = "heritage", _("heritage conservation")
    OTHER = "other", _("other discipline")


class CareerStage(models.TextChoices):
    """Where a person stands in their career (young professionals are asked for by name)."""

    STUDENT = "student", _("student")
    YOUNG_PROFESSIONAL = "young_professional", _("young professional")
    PROFESSIONAL = "professional", _("experienced professional")
    ACADEMIC = "academic", _("researcher or teacher")


class Availability(models.TextChoices):
    """Whether a person can take on a call now."""

    AVAILABLE = "available", _("available")
    LIMITED = "limited", _("limited availability")
    UNAVAILABLE = "unavailable", _("not available")


class Language(models.TextChoices):
    """Languages a person speaks (the platform's three and others often met)."""

    FR = "fr", _("French")
    ZH = "zh", _("Chinese")
    EN = "en", _("English")
    ES = "es", _("Spanish")
    DE = "de", _("German")
    AR = "ar", _("Arabic")


class OrganisationKind(models.TextChoices):
    """Kinds of organisation that take part."""

    UNIVERSITY = "university", _("university or school")
    ASSOCIATION = "association", _("association")
    PRACTICE = "practice", _("firm or practice")
    PUBLIC_BODY = "public_body", _("public body")


class HelpKind(models.TextChoices):
    """What a call for contributors asks for."""

    FACILITATION = "facilitation", _("facilitating workshops")
    MAPPING = "mapping", _("mapping")
    SURVEY_DESIGN = "survey_design", _("designing a survey")
    STUDIO = "studio", _("a student studio")
    TRANSLATION = "translation", _("translation between French and Chinese")
    ANALYSIS = "analysis", _("data analysis")
    OTHER = "other", _("other help")


class Method(models.TextChoices):
    """Participation methods a case may have used."""

    PROPOSALS = "proposals", _("proposals on a map")
    COMMENTS = "comments", _("comments and supports")
    WORKSHOP_IN_PERSON = "workshop_in_person", _("workshops in person")
    WORKSHOP_ONLINE = "workshop_online", _("workshops online")
    SURVEY = "survey", _("surveys")
    OPINION_MAPPING = "opinion_mapping", _("opinion mapping")
    SCENARIO_SLIDERS = "scenario_sliders", _("scenario sliders")


class Theme(models.TextChoices):
    """Themes that cases and calls are filed under, and that members follow."""

    MOBILITY = "mobility", _("mobility")
    GREEN_SPACE = "green_space", _("green and open space")
    HOUSING = "housing", _("housing and density")
    HERITAGE = "heritage", _("heritage")
    ENERGY = "energy", _("energy and carbon")
    WATER = "water", _("water")
    SERVICES = "services", _("daily services")
    PUBLIC_SPACE = "public_space", _("public space")


# Fields a person may publish or keep private; the display name is always shown.
PROFILE_FIELDS = (
    "discipline",
    "career_stage",
    "skills",
    "languages",
    "institution",
    "city",
    "location",
    "availability",
    "bio",
)
DEFAULT_PUBLIC = ["discipline", "career_stage", "languages", "institution"]


def _default_public() -> list[str]:
    return list(DEFAULT_PUBLIC)


class Organisation(models.Model):
    """A university, association, practice or public body with members."""

    slug = models.SlugField(_("identifier"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    city = models.ForeignKey(
        "cities.City", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    website = models.URLField(_("website"), blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Give the name in the active language, falling back to French."""
        return in_language(self, "name")

    @property
    def description(self) -> str:
        """Give the description in the active language, falling back to French."""
        return in_language(self, "description")


class Profile(models.Model):
    """How a professional or university member describes themselves, and what is public."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_profile"
    )
    display_name = models.CharField(_("name shown"), max_length=120)
    discipline = models.CharField(
        _("discipline"), max_length=30, choices=Discipline.choices, blank=True
    )
    career_stage = models.CharField(
        _("career stage"), max_length=30, choices=CareerStage.choices, blank=True
    )
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    institution = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("institution"),
    )
    city = models.ForeignKey(
        "cities.City",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("city"),
    )
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    availability = models.CharField(
        _("availability"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    bio = models.TextField(_("about me"), max_length=2000, blank=True)
    public_fields = models.JSONField(_("public fields"), default=_default_public, blank=True)
    verified_at = models.DateTimeField(_("institution verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    illustrative = models.BooleanField(_("illustrative"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_name", "pk"]
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.display_name


class Call(models.Model):
    """A call for contributors published by the organiser of a process."""

    process = models.ForeignKey(
        "consultations.Process", on_delete=models.CASCADE, related_name="calls"
    )
    help_kind = models.CharField(_("help needed"), max_length=20, choices=HelpKind.choices)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    disciplines = models.JSONField(_("disciplines wanted"), default=list, blank=True)
    languages = models.JSONField(_("languages wanted"), default=list, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    online = models.BooleanField(_("can be done online"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    grants_facilitator = models.BooleanField(
        _("accepted people facilitate the process's workshops"), default=False
    )
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    open_thread = True  # anyone signed in discusses a call (interactions rules)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("call for contributors")
        verbose_name_plural = _("calls for contributors")

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
    def city(self) -> object:
        """Give the city of the call's process (rules about cities ask it)."""
        return self.process.city

    @property
    def scope_parent(self) -> object:
        """Give the process (scoped roles of the process apply to its calls)."""
        return self.process


class AnswerStatus(models.TextChoices):
    """Where an answer to a call stands."""

    PENDING = "pending", _("waiting for the organiser")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class CallAnswer(models.Model):
    """A person (alone or for their university group) offering to help with a call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_answers"
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="call_answers",
        verbose_name=_("on behalf of"),
    )
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=20, choices=AnswerStatus.choices, default=AnswerStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "person"], name="one_answer_per_person")
        ]
        verbose_name = _("answer to a call")
        verbose_name_plural = _("answers to calls")

    def __str__(self) -> str:
        return f"{self.person} → {self.call}"

    @property
    def scope_parent(self) -> Call:
        """Give the call (its process's roles apply)."""
        return self.call


class Case(models.Model):
    """A closed process published for others to learn from; its figures come from the process."""

    slug = models.SlugField(_("identifier"), max_length=64, unique=True)
    process = models.OneToOneField(
        "consultations.Process",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case",
    )
    city = models.ForeignKey("cities.City", on_delete=models.PROTECT, related_name="+")
    scale = models.CharField(_("scale of decision"), max_length=20, choices=Scale.choices)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    question_fr = models.TextField(_("question asked (French)"), blank=True)
    question_zh = models.TextField(_("question asked (Chinese)"), blank=True)
    question_en = models.TextField(_("question asked (English)"), blank=True)
    lessons_fr = models.TextField(_("lessons learned (French)"), blank=True)
    lessons_zh = models.TextField(_("lessons learned (Chinese)"), blank=True)
    lessons_en = models.TextField(_("lessons learned (English)"), blank=True)
    methods = models.JSONField(_("methods used"), default=list, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    heritage = models.BooleanField(_("concerns local heritage"), default=False)
    population = models.PositiveIntegerField(_("city population"), null=True, blank=True)
    population_source = models.CharField(_("source of the population"), max_length=300, blank=True)
    # Counts and indicators computed from the process when the case was published.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    # What was decided: (proposal title, status) pairs from the accountability page.
    decided = models.JSONField(_("what was decided"), default=list, blank=True)
    # " method:… theme:… lang:… ": filterable with one LIKE on SQLite and PostgreSQL alike.
    facets = models.CharField(max_length=600, blank=True, editable=False)
    licence = models.CharField(_("licence"), max_length=40, default="CC-BY-4.0")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published on"))
    updated_at = models.DateTimeField(auto_now=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    open_thread = True  # anyone signed in discusses a case (interactions rules)

    class Meta:
        ordering = ["-published_at", "slug"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["scale", "published_at"], name="case_scale")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """Give the title in the active language, falling back to French."""
        return in_language(self, "title")

    @property
    def question(self) -> str:
        """Give the question in the active language, falling back to French."""
        return in_language(self, "question")

    @property
    def lessons(self) -> str:
        """Give the lessons in the active language, falling back to French."""
        return in_language(self, "lessons")

    @property
    def languages(self) -> list[str]:
        """Give the languages the case is written in."""
        return [lang for lang in ("fr", "zh", "en") if getattr(self, f"title_{lang}")]


class ThemeFollow(models.Model):
    """A member following a theme, told of new cases and calls filed under it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="theme_follows"
    )
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "theme"], name="one_follow_per_theme")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.theme}"
