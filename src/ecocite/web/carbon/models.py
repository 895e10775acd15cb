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
