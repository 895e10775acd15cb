"""Conversations of a consultation process: statements, participants, votes, the opinion map.

A *conversation* belongs to a process (its phases decide who votes when: a phase opening
``vote_statements``); participants vote agree / disagree / pass on short *statements*, one
vote per participant and statement (the latest wins, a database constraint). A *participant*
is a person with an account or, where the phase allows, a browser session. The opinion map is
computed from the votes in a background job and stored in :class:`OpinionMap`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecocite.web.consultations.models import Process, Proposal, in_language


class Moderation(models.TextChoices):
    """When statements are moderated: before they are shown, or after."""

    BEFORE = "before", _("before publication")
    AFTER = "after", _("after publication")


class VoteValue(models.IntegerChoices):
    """A vote, coded as in Polis's exports."""

    AGREE = 1, _("agree")
    DISAGREE = -1, _("disagree")
    PASS = 0, _("pass / unsure")


class Conversation(models.Model):
    """A question put to a process's participants as short statements to vote on."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="conversations")
    topic_fr = models.CharField(_("topic (French)"), max_length=200)
    topic_zh = models.CharField(_("topic (Chinese)"), max_length=200, blank=True)
    topic_en = models.CharField(_("topic (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    moderation = models.CharField(
        _("statements are moderated"),
        max_length=10,
        choices=Moderation.choices,
        default=Moderation.BEFORE,
    )
    # votes since the stored map was computed, and whether a recomputation is queued
    new_votes = models.PositiveIntegerField(default=0)
    map_queued = models.BooleanField(default=False)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["process", "id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.topic

    @property
    def topic(self) -> str:
        """Give the topic in the active language, falling back to French."""
        return in_language(self, "topic")

    @property
    def description(self) -> str:
        """Give the description in the active language, falling back to French."""
        return in_language(self, "description")

    @property
    def scope_parent(self) -> Process:
        """Return the process: its phases and roles govern the conversation."""
        return self.process

    @property
    def city(self) -> Any:
        """Return the city of the conversation's process."""
        return self.process.city


class Participant(models.Model):
    """Who votes in a conversation: a person with an account, or a browser session."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    session_token = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conversation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=models.Q(user__isnull=False),
                name="one_participant_per_user",
            ),
            models.UniqueConstraint(
                fields=["conversation", "session_token"],
                condition=models.Q(user__isnull=True),
                name="one_participant_per_session",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(session_token=""),
                name="participant_has_identity",
            ),
        ]

    def __str__(self) -> str:
        return f"participant {self.pk}"


class Statement(models.Model):
    """A short statement to vote on; ``moderated`` as in Polis (−1 out, 0 not yet, 1 accepted)."""

    MAX_CHARS = 280

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    author = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    text = models.CharField(_("statement"), max_length=MAX_CHARS)
    moderated = models.SmallIntegerField(default=0)
    is_meta = models.BooleanField(_("about the conversation itself"), default=False)
    moderated_at = models.DateTimeField(null=True, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["conversation", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(moderated__in=(-1, 0, 1)), name="statement_moderated_code"
            )
        ]
        indexes = [models.Index(fields=["conversation", "moderated"], name="statement_moderated")]

    def __str__(self) -> str:
        return self.text

    @property
    def scope_parent(self) -> Conversation:
        """Return the conversation (and through it the process)."""
        return self.conversation

    def is_visible(self) -> bool:
        """Tell whether participants see the statement (accepted, or awaiting after-moderation)."""
        if self.moderated == 1:
            return True
        return self.moderated == 0 and self.conversation.moderation == Moderation.AFTER


class Vote(models.Model):
    """One participant's vote on one statement; a new vote replaces the previous one."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    voted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "statement"], name="one_vote_per_participant_statement"
            ),
            models.CheckConstraint(condition=models.Q(value__in=(-1, 0, 1)), name="vote_code"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.statement_id}: {self.value}"


class VoteEvent(models.Model):
    """Every vote as cast, in order: Polis's ``votes.csv``, and what a map update adds."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="vote_log"
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    voted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["conversation", "id"], name="vote_event_order")]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.statement_id}: {self.value} at {self.voted_at}"


class OpinionMap(models.Model):
    """The latest opinion map of a conversation, as the engine computed it (JSON).

    ``last_event`` is the last :class:`VoteEvent` the engine's saved state has seen (0: the
    next update starts from the final votes, one-shot).
    """

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="opinion_map"
    )
    computed_at = models.DateTimeField()
    votes = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict)
    last_event = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"map of conversation {self.conversation_id}"


class StatementProposal(models.Model):
    """A proposal of the process made from a (consensus) statement: the link is kept."""

    statement = models.OneToOneField(
        Statement, on_delete=models.CASCADE, related_name="proposal_link"
    )
    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="statement_link"
    )
    created_at = models.DateTimeField(auto_now_add=True)
