"""Accepted activity files: the GPC inventory is recomputed from the kept file by the engine."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _activity_path(instance: CarbonInventory, filename: str) -> str:
    return f"carbon/{instance.city.slug}/{instance.sha256[:16]}-{filename}"


class CarbonInventory(models.Model):
    """One accepted activity file of one city. Rejected files leave no trace."""

    city = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="carbon_inventories"
    )
    file = models.FileField(upload_to=_activity_path, max_length=300)
    original_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    gwp_set = models.CharField(_("GWP set"), max_length=10)
    year = models.IntegerField(_("year"))
    basic_co2e_t = models.FloatField(_("BASIC total (t CO2e)"))
    basic_plus_co2e_t = models.FloatField(_("BASIC+ total (t CO2e)"))
    illustrative = models.BooleanField(_("illustrative"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # The accepted dataset its indicator values went into, once someone asked for it.
    dataset = models.ForeignKey(
        "datasets.Dataset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("carbon inventory")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.city.slug} {self.year})"


class CarbonScenario(models.Model):
    """A pathway saved under a name: its levers, drivers, seed and draws, and its stored result.

    The result (yearly figures, targets, probabilities and the Monte Carlo percentiles) is kept on
    the row once computed, so reopening or comparing scenarios never runs the engine again. It was
    computed from the inventory's content ``inventory_sha256``; an inventory replaced since then
    (or recomputed with another GWP set) makes the result stale (shown, recomputed on request).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")

    city = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="carbon_scenarios"
    )
    inventory = models.ForeignKey(
        CarbonInventory, on_delete=models.PROTECT, related_name="scenarios"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    # Population, GDP and the optional 2005 baseline (CONTEXT_FIELDS of the pathway service).
    context = models.JSONField(default=dict)
    levers = models.JSONField(default=dict)
    # Drivers fixed by the planner; the others are drawn in their range.
    drivers = models.JSONField(default=dict, blank=True)
    draws = models.PositiveIntegerField(_("Monte Carlo draws"))
    seed = models.PositiveIntegerField(_("random seed"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=40, blank=True)
    error = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    inventory_sha256 = models.CharField(max_length=64)
    computed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    # Who last renamed or described it (empty until someone does).
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("carbon scenario")
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="carbon_scenario_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city.slug})"

    @property
    def stale(self) -> bool:
        """Tell whether the inventory was replaced since the result was computed.

        A replacement keeps the file (same content hash) but may change the GWP set; it always
        refreshes the inventory's date, so a result older than that date is stale too.
        """
        if self.inventory.sha256 != self.inventory_sha256:
            return True
        return self.computed_at is not None and self.computed_at < self.inventory.uploaded_at
