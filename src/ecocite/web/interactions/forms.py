"""Form pieces shared by the apps that take contributions: the honeypot and the report form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ecocite.web.interactions.models import ReportReason

HONEYPOT = "website"


class HoneypotInput(forms.TextInput):
    """A text input people never see nor reach by the keyboard; robots fill it in."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        """Render the field off-screen, hidden from assistive technology, out of the tab order."""
        field_id = (attrs or {}).get("id", f"id_{name}")
        return format_html(
            '<span class="hp" aria-hidden="true"><label for="{}">{}</label>'
            '<input type="text" name="{}" id="{}" value="" tabindex="-1" autocomplete="off">'
            "</span>",
            field_id,
            _("Leave this field empty"),
            name,
            field_id,
        )


def add_honeypot(form: forms.Form) -> forms.Form:
    """Add the honeypot field to a form shown to people without an account."""
    form.fields[HONEYPOT] = forms.CharField(
        label="", required=False, widget=HoneypotInput(), max_length=200
    )
    return form


def honeypot_filled(form: forms.Form) -> bool:
    """Tell whether the honeypot came back filled in (a robot: refuse, save nothing)."""
    return HONEYPOT in form.fields and bool(str(form.data.get(HONEYPOT, "")).strip())


class ReportForm(forms.Form):
    """Report a proposal or a comment to the moderators, with a reason."""

    reason = forms.ChoiceField(label=_("Reason"), choices=ReportReason.choices)
    explanation = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    """The reason of a moderation act (shown to the public when content is hidden)."""

    reason = forms.CharField(
        label=_("Public reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
