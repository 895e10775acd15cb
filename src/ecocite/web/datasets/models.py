"""Accepted uploads and the indicator values they brought, with who uploaded them and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _upload_path(instance: Dataset, filename: str) -> str:
    return f"datasets/{instance.city.slug}/{instance.sha256[:16]}-{filename}"


class Dataset(models.Model):
    """One accepted file. Rejected files leave no trace in the database."""

    city = models.ForeignKey("cities.City", on_delete=models.PROTECT, related_name="datasets")
    framework_key = models.CharField(_("framework"), max_length=100)
    file = models.FileField(upload_to=_upload_path, max_length=300)
    original_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    data_hash = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    years = models.CharField(_("years"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("dataset")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.city.slug})"


class IndicatorValue(models.Model):
    """A tidy row as the engine validated it (value in the framework indicator's unit)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="values")
    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="values")
    year = models.IntegerField()
    indicator = models.CharField(max_length=100)
    value = models.FloatField()
    unit = models.CharField(max_length=60)
    original_value = models.FloatField()
    original_unit = models.CharField(max_length=60)
    source = models.TextField()
    quality = models.CharField(max_length=10)
    verified = models.BooleanField()
    provenance = models.TextField(blank=True)
    row = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["city", "year", "indicator"])]
