"""The notification settings form."""

from __future__ import annotations

from django import forms

from ecocite.web.notifications.models import Preferences


class PreferencesForm(forms.ModelForm):
    """How and about what a participant is told."""

    class Meta:
        model = Preferences
        fields = ["mail", "answers", "replies", "phases"]
        widgets = {"mail": forms.RadioSelect}
