"""Forms of the workshop pages; times are typed in the workshop's own time zone."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecocite.web.consultations.models import College, Proposal
from ecocite.web.workshops.models import Registration, Workshop

LOCAL = "%Y-%m-%dT%H:%M"


class WorkshopForm(forms.ModelForm):
    """Plan or change a workshop."""

    starts_at = forms.DateTimeField(
        label=_("starts at (local time)"),
        input_formats=[LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL),
    )
    ends_at = forms.DateTimeField(
        label=_("ends at (local time)"),
        input_formats=[LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL),
    )
    agenda_text = forms.CharField(
        label=_("agenda (one item per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    lon = forms.FloatField(label=_("longitude of the place"), required=False)
    lat = forms.FloatField(label=_("latitude of the place"), required=False)

    class Meta:
        model = Workshop
        fields = [
            "kind", "title_fr", "title_zh", "title_en", "description_fr", "description_zh",
            "description_en", "starts_at", "ends_at", "time_zone", "address", "video_url",
            "video_for_registered_only", "capacity", "registration_open",
        ]  # fmt: skip
        widgets = {
            "description_fr": forms.Textarea(attrs={"rows": 3}),
            "description_zh": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].help_text = _("A name such as Asia/Shanghai or Atlantic/Canary.")
        instance = self.instance
        if instance.pk:
            zone = _zone_or_none(instance.time_zone)
            if zone is not None:
                self.initial["starts_at"] = instance.starts_at.astimezone(zone).strftime(LOCAL)
                self.initial["ends_at"] = instance.ends_at.astimezone(zone).strftime(LOCAL)
            self.initial["agenda_text"] = "\n".join(instance.agenda)
            if instance.place:
                self.initial["lon"], self.initial["lat"] = instance.place["coordinates"]

    def clean(self) -> dict[str, Any]:
        """Read the times in the workshop's time zone; build the agenda and the place."""
        data = super().clean()
        zone = _zone_or_none(data.get("time_zone", ""))
        if zone is None and data.get("time_zone"):
            self.add_error("time_zone", _("Unknown time zone: use a name such as Asia/Shanghai."))
        for name in ("starts_at", "ends_at"):
            value = data.get(name)
            if isinstance(value, datetime) and zone is not None:
                naive = timezone.make_naive(value) if timezone.is_aware(value) else value
                data[name] = naive.replace(tzinfo=zone)
        data["agenda"] = [
            line.strip() for line in data.pop("agenda_text", "").splitlines() if line.strip()
        ]
        lon, lat = data.pop("lon", None), data.pop("lat", None)
        if (lon is None) != (lat is None):
            self.add_error("lat", _("Give both the longitude and the latitude, or neither."))
        data["place"] = (
            {"type": "Point", "coordinates": [lon, lat]}
            if lon is not None and lat is not None
            else None
        )
        return data


def _zone_or_none(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class RegisterForm(forms.Form):
    """Register, saying which college one belongs to (for the attendance by college)."""

    college = forms.ChoiceField(
        label=_("I come as"), choices=[("", "—"), *College.choices], required=False
    )


class CheckInForm(forms.Form):
    """The code a person shows at the door."""

    code = forms.CharField(label=_("Registration code"), max_length=20)


def _attendees(workshop: Workshop) -> Any:
    return Registration.objects.filter(workshop=workshop, status="registered").select_related(
        "user"
    )


class RoomForm(forms.Form):
    """One contribution typed in the room: a proposal, a comment or a support."""

    what = forms.ChoiceField(
        label=_("Contribution"),
        choices=[
            ("proposal", _("a proposal")),
            ("comment", _("a comment")),
            ("support", _("a support")),
        ],
    )
    attendee = forms.ModelChoiceField(
        label=_("made by (registered person, optional)"),
        queryset=Registration.objects.none(),
        required=False,
    )
    college = forms.ChoiceField(
        label=_("college of the person"), choices=[("", "—"), *College.choices], required=False
    )
    proposal = forms.ModelChoiceField(
        label=_("on the proposal (comment, support)"),
        queryset=Proposal.objects.none(),
        required=False,
    )
    title = forms.CharField(label=_("title (proposal)"), max_length=200, required=False)
    text = forms.CharField(
        label=_("text"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, workshop: Workshop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attendee = self.fields["attendee"]
        proposal = self.fields["proposal"]
        assert isinstance(attendee, forms.ModelChoiceField)
        assert isinstance(proposal, forms.ModelChoiceField)
        attendee.queryset = _attendees(workshop)
        attendee.label_from_instance = lambda r: (
            f"{r.user.get_full_name() or r.user.get_username()} ({r.code})"
        )
        proposal.queryset = Proposal.objects.filter(
            process=workshop.process, hidden_at=None
        ).order_by("-pk")

    def clean(self) -> dict[str, Any]:
        """Ask for what each kind of contribution needs."""
        data = super().clean()
        what = data.get("what")
        if what == "proposal" and not data.get("title"):
            self.add_error("title", _("A proposal needs a title."))
        if what in ("proposal", "comment") and not data.get("text"):
            self.add_error("text", _("Write what was said."))
        if what in ("comment", "support") and not data.get("proposal"):
            self.add_error("proposal", _("Choose the proposal."))
        if what == "support" and not data.get("attendee"):
            self.add_error("attendee", _("A support is one person's: choose who gives it."))
        return data


class CloseForm(forms.Form):
    """Minutes, attendance by college and the proposals that came out of the workshop."""

    minutes_fr = forms.CharField(
        label=_("minutes (French)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    minutes_zh = forms.CharField(
        label=_("minutes (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    minutes_en = forms.CharField(
        label=_("minutes (English)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    outcomes = forms.ModelMultipleChoiceField(
        label=_("proposals that came out of it"),
        queryset=Proposal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, workshop: Workshop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in College.choices:
            self.fields[f"attendance_{value}"] = forms.IntegerField(
                label=_("attendees: %(college)s") % {"college": label}, min_value=0, required=False
            )
        outcomes = self.fields["outcomes"]
        assert isinstance(outcomes, forms.ModelMultipleChoiceField)
        outcomes.queryset = Proposal.objects.filter(
            process=workshop.process, hidden_at=None
        ).order_by("-pk")

    def attendance(self) -> dict[str, int]:
        """Give the attendance typed for each college."""
        return {
            value: self.cleaned_data.get(f"attendance_{value}") or 0
            for value, _label in College.choices
        }
