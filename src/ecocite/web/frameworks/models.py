"""Frameworks uploaded through the platform (bundled ones come from the engine package)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UploadedFramework(models.Model):
    """A framework uploaded through the platform, kept as its YAML text."""

    framework_id = models.CharField(max_length=100)
    version = models.CharField(max_length=20)
    yaml_text = models.TextField()
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["framework_id", "version"], name="unique_framework_version"
            )
        ]
        verbose_name = _("uploaded framework")

    @property
    def key(self) -> str:
        """Return the framework's key ``id@version``."""
        return f"{self.framework_id}@{self.version}"
