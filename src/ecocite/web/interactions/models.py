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
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding (public)"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="comment_target")]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.target_type_id}:{self.target_id}"

    @property
    def is_deleted(self) -> bool:
        """Tell whether the comment was deleted."""
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        """Tell whether the moderators hid the comment."""
        return self.hidden_at is not None


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


class ModerationAction(models.TextChoices):
    """What a moderator did."""

    HIDE = "hide", _("hidden")
    RESTORE = "restore", _("restored")
    DISMISS = "dismiss", _("reports dismissed")
    BLOCK = "block", _("participant blocked")
    UNBLOCK = "unblock", _("participant unblocked")


class ModerationAct(models.Model):
    """One act of moderation: who did what to which object or person, when, and why.

    ``scope`` is where the act counts (a consultation process; none for the whole platform):
    its moderators read the log there.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=10, choices=ModerationAction.choices)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The participant concerned (the author, or the person blocked)."),
    )
    scope_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scope_id = models.PositiveBigIntegerField(null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    reason = models.TextField(_("reason"))
    affected = models.PositiveIntegerField(_("items affected"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["scope_type", "scope_id"], name="moderation_act_scope")]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} at {self.created_at}"


class Block(models.Model):
    """A participant blocked from writing, in one scope (a process) or everywhere (no scope)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    scope_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scope_id = models.PositiveBigIntegerField(null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    reason = models.TextField(_("reason"))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope_type", "scope_id"], name="one_block_per_scope"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(scope_id__isnull=True), name="one_global_block"
            ),
        ]

    def __str__(self) -> str:
        return f"block of {self.user_id} in {self.scope_type_id}:{self.scope_id}"
