"""Forms of the conversation pages (server-rendered; the pages work without JavaScript)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ecocite.web.conversations.models import Conversation, Moderation, Statement


class StatementForm(forms.Form):
    """Write a short statement."""

    text = forms.CharField(
        label=_("Your statement"),
        max_length=Statement.MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": Statement.MAX_CHARS}),
        help_text=_("One idea, in at most 280 characters; others will vote on it."),
    )


class ConversationForm(forms.ModelForm):
    """Start a conversation in a process."""

    class Meta:
        model = Conversation
        fields = [
            "topic_fr", "topic_zh", "topic_en", "description_fr", "description_zh",
            "description_en", "moderation",
        ]  # fmt: skip
        widgets = {"moderation": forms.RadioSelect(choices=Moderation.choices)}
