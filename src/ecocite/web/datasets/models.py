"""Accepted uploads and the indicator values they brought, with who uploaded them and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _upload_path(instance: Dataset, filename: str) -> str:
    return f"datasets/{instance.city.slug}/{instance.sha256[:16]}-{filename}"


class DatasetQuerySet(models.QuerySet):
    """Datasets, with the ones still in force (neither withdrawn nor replaced) at hand."""

    def in_force(self) -> DatasetQuerySet:
        """Return the datasets whose values count (not withdrawn, not replaced)."""
        return self.filter(withdrawn_at__isnull=True, replaced_by__isnull=True)


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
    # Never deleted: a wrong dataset is withdrawn (with a reason) or replaced by a corrected one;
    # its values then no longer count, and frozen assessments keep the snapshot they used.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DatasetQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("dataset")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.city.slug})"

    @property
    def in_force(self) -> bool:
        """Tell whether the dataset's values count (neither withdrawn nor replaced)."""
        return self.withdrawn_at is None and self.replaced_by_id is None


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


class UploadStatus(models.TextChoices):
    """Where a stored upload stands: checked in the worker, then imported on confirmation."""

    QUEUED = "queued", _("waiting to be checked")
    CHECKING = "checking", _("being checked")
    READY = "ready", _("checked, waiting for confirmation")
    REJECTED = "rejected", _("rejected by the check")
    IMPORTING = "importing", _("being imported")
    IMPORTED = "imported", _("imported")


def _pending_path(instance: PendingUpload, filename: str) -> str:
    return f"uploads/{instance.city.slug}/{instance.sha256[:16]}-{filename}"


class PendingUpload(models.Model):
    """A file sent for import: stored until it is imported or discarded, checked by the worker.

    The file is parsed only in the background job, in a child process held to time and memory
    limits; its row errors or its preview are kept here. Once imported (or rejected) the file is
    deleted; the record says who sent what and how it ended.
    """

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="+")
    framework_key = models.CharField(_("framework"), max_length=100)
    file = models.FileField(upload_to=_pending_path, max_length=300, blank=True)
    original_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=UploadStatus.choices, default="queued")
    progress = models.PositiveSmallIntegerField(default=0)
    # Row errors as RowError.as_dict() without the English message (at most the page's limit).
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=dict, blank=True)
    illustrative = models.BooleanField(default=False)
    replaces = models.ForeignKey(
        "Dataset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dataset = models.ForeignKey(
        "Dataset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("upload")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.city.slug}, {self.status})"


class DatasetEvent(models.Model):
    """One line of a dataset's history: who did what, when, and why."""

    class Action(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        ENTERED = "entered", _("entered by hand")
        REPLACED = "replaced", _("replaced by a corrected file")
        WITHDRAWN = "withdrawn", _("withdrawn")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    other = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
