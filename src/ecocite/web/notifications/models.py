"""Follows, notifications and each participant's notification settings.

A participant *follows* a process or a proposal (a generic relation, so later apps — workshops,
label rounds — can be followed too). Each event worth telling becomes one
:class:`Notification` per recipient, shown in the site and mailed at once or in the daily
digest, as the recipient's :class:`Preferences` say. A notification stores the *facts* (kind,
object, status, names); its sentence is written when it is shown or mailed, in the reader's
language.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    """One person follows one object (a process or a proposal)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"], name="one_follow_per_person"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="follow_target")]


class Kind(models.TextChoices):
    """What a notification tells."""

    ANSWER = "answer", _("official answer")
    STATUS = "status", _("status change")
    REPLY = "reply", _("reply to your comment")
    PHASE = "phase", _("phase opening")
    REMINDER = "reminder", _("workshop reminder")


class Notification(models.Model):
    """One thing to tell one person; ``key`` makes repeated announcements one row."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    data = models.JSONField(default=dict, blank=True)
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_key")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["mailed_at", "created_at"], name="notification_unmailed"),
        ]


class Mail(models.TextChoices):
    """How a participant receives notifications by e-mail."""

    IMMEDIATE = "immediate", _("one e-mail per notification")
    DAILY = "daily", _("one daily digest")
    NONE = "none", _("no e-mail (notifications in the site only)")


class Preferences(models.Model):
    """A participant's notification settings (a row is created on first change)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    mail = models.CharField(
        _("e-mails"), max_length=20, choices=Mail.choices, default=Mail.IMMEDIATE
    )
    answers = models.BooleanField(_("official answers and status changes"), default=True)
    replies = models.BooleanField(_("replies to my comments"), default=True)
    phases = models.BooleanField(_("phase openings and workshop reminders"), default=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)
