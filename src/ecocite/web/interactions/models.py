"""Comments, supports, reports and attachments, hung on any object by a generic relation.

Consultation proposals, workshop notes, label files or datasets all share these four; an app
makes its objects commentable simply by letting the rules allow it (phases, roles).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Target(models.Model):
    """The object an interaction is about (abstract: a generic foreign key and its index)."""

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Comment(Target):
    """A comment, or an answer to one; a deleted comment stays as a placeholder in its thread."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField(_("comment"), max_length=5000)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="comment_target")]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.target_type_id}:{self.target_id}"

    @property
    def is_deleted(self) -> bool:
        """Tell whether the comment was deleted."""
        return self.deleted_at is not None


class Support(Target):
    """One person supports one object, once; withdrawing deletes the row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"], name="one_support_per_person"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="support_target")]


class ReportReason(models.TextChoices):
    """Why a comment is reported to the moderators."""

    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive or hateful")
    PERSONAL_DATA = "personal_data", _("Personal data of someone")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Other")


class Report(Target):
    """Someone flags an object for the moderators, with a reason."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    explanation = models.TextField(_("explanation"), max_length=2000, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"], name="report_target")]


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.target_type_id}/{instance.target_id}/{filename}"


class Attachment(Target):
    """A file attached to an object (a plan, a photo, a minute of a workshop)."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to=_attachment_path, max_length=300)
    original_name = models.CharField(_("file"), max_length=255)
    size = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"], name="attachment_target")]
