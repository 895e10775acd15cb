"""Assessment runs: queued, running, then frozen with their result, report and data snapshot."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecocite.web.core.languages import pick


class FrozenAssessmentError(RuntimeError):
    """A finished assessment is never altered: new data makes a new assessment."""


class Status(models.TextChoices):
    """Where an assessment run stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class AssessmentRun(models.Model):
    """One assessment of a city-year: queued, running, then frozen with its result and data."""

    city = models.ForeignKey("cities.City", on_delete=models.PROTECT, related_name="assessments")
    framework_key = models.CharField(_("framework"), max_length=100)
    stage = models.CharField(_("stage"), max_length=40)
    year = models.IntegerField(_("year"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    # The frozen result: the engine's Assessment as JSON, and the exact values it used.
    result = models.JSONField(null=True, blank=True)
    snapshot = models.JSONField(null=True, blank=True)
    data_hash = models.CharField(max_length=64, blank=True)
    level = models.CharField(_("label level"), max_length=40, blank=True)
    level_name = models.JSONField(null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["city", "status", "year"]),
            # Keeps the portfolio's data fingerprint (core/freshness.py) an index-only lookup.
            models.Index(fields=["status", "finished_at"]),
        ]
        verbose_name = _("assessment")

    def __str__(self) -> str:
        return f"{self.city.slug} {self.year} {self.framework_key} ({self.status})"

    @property
    def level_label(self) -> str:
        """Return the level's name in the active language."""
        return pick(self.level_name) if self.level_name else ""

    @property
    def is_frozen(self) -> bool:
        """Tell whether the run is finished, hence frozen."""
        return self.status == Status.FINISHED

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save the run; FrozenAssessmentError if it is already finished."""
        if self.pk is not None:
            stored = (
                AssessmentRun.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            )
            if stored == Status.FINISHED:
                raise FrozenAssessmentError(
                    f"assessment {self.pk} is finished and frozen; run a new assessment instead"
                )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        """Delete a run that is not finished; FrozenAssessmentError otherwise."""
        if self.is_frozen:
            raise FrozenAssessmentError(f"assessment {self.pk} is finished and frozen")
        return super().delete(*args, **kwargs)
