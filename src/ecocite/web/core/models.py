"""The phases kernel: an ordered list of dated phases on any process-like object.

A consultation process, a workshop or a label round hangs its phases here by a generic
relation. Each phase says which participation actions it opens and whether people without an
account may take part; :func:`ecocite.web.core.phases.active_phase` and the predicate
:func:`ecocite.web.core.phases.phase_allows` read them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What a phase can open to participants."""

    PROPOSE = "propose", _("propose")
    COMMENT = "comment", _("comment")
    SUPPORT = "support", _("support")
    ANSWER_SURVEY = "answer_survey", _("answer the survey")
    JOIN_WORKSHOP = "join_workshop", _("join the workshop")
    VOTE_STATEMENTS = "vote_statements", _("vote on statements")


class Phase(models.Model):
    """One dated phase of a process-like object; phases of one object never overlap."""

    process_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    process_id = models.PositiveBigIntegerField()
    process = GenericForeignKey("process_type", "process_id")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    actions = models.JSONField(_("actions opened"), default=list, blank=True)
    anonymous_allowed = models.BooleanField(_("open to people without an account"), default=False)

    class Meta:
        ordering = ["process_type", "process_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["process_type", "process_id", "position"], name="unique_phase_position"
            ),
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="phase_starts_first"
            ),
        ]
        indexes = [models.Index(fields=["process_type", "process_id"], name="phase_process")]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    def clean(self) -> None:
        """Refuse unknown actions, dates out of order and phases that overlap their siblings."""
        unknown = sorted(set(self.actions) - set(Action.values))
        if unknown:
            raise ValidationError(
                {"actions": _("Unknown actions: %(names)s.") % {"names": ", ".join(unknown)}}
            )
        if self.starts_at and self.ends_at and self.starts_at >= self.ends_at:
            raise ValidationError({"ends_at": _("A phase ends after it starts.")})
        siblings = Phase.objects.filter(
            process_type_id=self.process_type_id, process_id=self.process_id
        ).exclude(pk=self.pk)
        if siblings.filter(starts_at__lt=self.ends_at, ends_at__gt=self.starts_at).exists():
            raise ValidationError(_("Phases of one process do not overlap."))
        earlier = siblings.filter(position__lt=self.position, starts_at__gte=self.starts_at)
        later = siblings.filter(position__gt=self.position, starts_at__lte=self.starts_at)
        if earlier.exists() or later.exists():
            raise ValidationError({"position": _("Phases are numbered in date order.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Validate the phase, then save it."""
        self.full_clean()
        super().save(*args, **kwargs)

    def opens(self, action: str) -> bool:
        """Tell whether the phase opens ``action``."""
        return action in self.actions
