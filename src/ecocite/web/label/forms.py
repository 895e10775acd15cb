"""Forms of the label pages (the services check the substance; forms check the shape)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ecocite.web.label.models import Action, Ballot, LinkedProcess, Side


def _geojson(text: str) -> Any:
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except ValueError:
        raise ValidationError(_("This is not GeoJSON.")) from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        data = features[0].get("geometry") if features else None
    return data


class ApplyForm(forms.Form):
    """Apply to a call: city, pilot site, contacts, motivation, signed charter."""

    city = forms.ModelChoiceField(queryset=None, label=_("City"))
    pilot_site_name = forms.CharField(label=_("Pilot site"), max_length=200, required=False)
    pilot_site = forms.CharField(
        label=_("Pilot site (GeoJSON polygon)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Draw it on the map or paste a GeoJSON polygon (longitude, latitude)."),
    )
    pilot_site_file = forms.FileField(label=_("or upload a GeoJSON file"), required=False)
    contacts = forms.CharField(label=_("Contacts"), widget=forms.Textarea(attrs={"rows": 3}))
    motivation = forms.CharField(label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 5}))
    charter = forms.FileField(label=_("Signed charter (PDF)"), required=False)

    def __init__(self, *args: Any, cities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities

    def clean_pilot_site(self) -> Any:
        """Read the pasted GeoJSON (the service checks it is a polygon)."""
        return _geojson(self.cleaned_data["pilot_site"])

    def clean(self) -> dict[str, Any]:
        """Take the uploaded GeoJSON when nothing was pasted."""
        data = super().clean() or {}
        upload = data.get("pilot_site_file")
        if upload is not None and data.get("pilot_site") is None:
            try:
                data["pilot_site"] = _geojson(upload.read(2_000_001).decode("utf-8"))
            except (UnicodeDecodeError, ValidationError):
                self.add_error("pilot_site_file", _("This is not GeoJSON."))
        return data


class FileForm(ApplyForm):
    """Change the commitment file (no city: it is the application's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["city"]
        self.fields["contacts"].required = False
        self.fields["motivation"].required = False


class LinkForm(forms.Form):
    """Link a consultation process of the city at one scale."""

    process = forms.ModelChoiceField(queryset=None, label=_("Consultation process"))
    scale = forms.ChoiceField(choices=LinkedProcess.Scale.choices, label=_("Scale"))

    def __init__(self, *args: Any, processes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = processes


class ActionForm(forms.Form):
    """One action of the plan."""

    title = forms.CharField(label=_("Action"), max_length=300)
    indicator = forms.ChoiceField(label=_("Indicator targeted"))
    target_value = forms.FloatField(label=_("Target value"))
    target_year = forms.IntegerField(label=_("Target year"), min_value=2000, max_value=2100)
    owner = forms.CharField(label=_("Owner"), max_length=200)
    budget = forms.DecimalField(
        label=_("Budget (CNY)"), max_digits=14, decimal_places=0, required=False, min_value=0
    )
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)

    def __init__(self, *args: Any, indicators: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = list(indicators)


class AssessmentForm(forms.Form):
    """Attach a frozen assessment of the city."""

    assessment = forms.ModelChoiceField(queryset=None, label=_("Frozen assessment"))

    def __init__(self, *args: Any, runs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = runs


class AssignForm(forms.Form):
    """Assign an assessor of the pool to one side."""

    side = forms.ChoiceField(choices=Side.choices, label=_("Side"))
    assessor = forms.ModelChoiceField(queryset=None, label=_("Assessor"))

    def __init__(self, *args: Any, assessors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = assessors


class ReviewForm(forms.Form):
    """An assessor's review: findings per category, site visit, level, evidence files."""

    site_visit = forms.CharField(
        label=_("Site-visit report"), widget=forms.Textarea(attrs={"rows": 5})
    )
    recommended_level = forms.ChoiceField(label=_("Recommended level"), required=False)
    evidence = forms.FileField(label=_("Evidence file"), required=False)

    def __init__(self, *args: Any, categories: Any = (), levels: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recommended_level"].choices = [("", "—"), *levels]
        self.categories = []
        for cid, name in categories:
            self.fields[f"finding_{cid}"] = forms.CharField(
                label=name, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.categories.append(cid)


class DeclareForm(forms.Form):
    """A jury member's conflict-of-interest declaration."""

    no_conflict = forms.TypedChoiceField(
        label=_("Conflict of interest"),
        choices=[("1", _("I have no conflict of interest with this city")), ("0", _("I have one"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


class VoteForm(forms.Form):
    """A jury member's vote and comment."""

    vote = forms.ChoiceField(choices=Ballot.Vote.choices, label=_("Vote"), widget=forms.RadioSelect)
    level = forms.ChoiceField(label=_("Level"), required=False)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, levels: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "—"), *levels]


class MoveForm(forms.Form):
    """Take a step of the stage table; jury outcomes need reasons (and a level)."""

    target = forms.CharField(widget=forms.HiddenInput)
    reasons = forms.CharField(
        label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    level = forms.ChoiceField(label=_("Level"), required=False)

    def __init__(self, *args: Any, levels: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "—"), *levels]


class CheckForm(forms.Form):
    """Check a certificate by its code."""

    code = forms.CharField(label=_("Verification code"), max_length=20)
