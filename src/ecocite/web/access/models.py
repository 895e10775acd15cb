"""Access runs: an extract attached to a city, analysed once in the background, then kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where an access run stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class AccessRun(models.Model):
    """One walking-access analysis of a city: its inputs, its progress and its results.

    The inputs are an uploaded PBF (``pbf``) or an extract configured on the server
    (``server_extract``), and optionally a GTFS feed. Results are the engine's tidy summary,
    coverage table and report, and a compact map layer.
    """

    city = models.ForeignKey("cities.City", on_delete=models.PROTECT, related_name="access_runs")
    source = models.CharField(_("OSM extract"), max_length=300)
    pbf = models.FileField(upload_to="access/pbf/", blank=True)
    server_extract = models.CharField(max_length=64, blank=True)
    gtfs = models.FileField(upload_to="access/gtfs/", blank=True)
    gtfs_name = models.CharField(_("GTFS feed"), max_length=300, blank=True)
    population = models.FloatField(_("population"), null=True, blank=True)
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
    summary = models.JSONField(null=True, blank=True)
    coverage = models.JSONField(null=True, blank=True)
    report = models.JSONField(null=True, blank=True)
    map_layer = models.JSONField(null=True, blank=True)
    dataset = models.ForeignKey(
        "datasets.Dataset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("walking-access run")

    def __str__(self) -> str:
        return f"{self.city.slug} access {self.pk} ({self.status})"
