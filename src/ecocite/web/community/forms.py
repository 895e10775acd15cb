"""Forms of the community pages (the services validate again; forms give field errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ecocite.web.community.models import (
    PROFILE_FIELDS,
    Call,
    Case,
    Discipline,
    Language,
    Method,
    Organisation,
    Profile,
    Theme,
)
from ecocite.web.consultations.models import Scale

FIELD_LABELS = {
    "discipline": _("discipline"),
    "career_stage": _("career stage"),
    "skills": _("skills"),
    "languages": _("languages spoken"),
    "institution": _("institution"),
    "city": _("city"),
    "location": _("place on the map"),
    "availability": _("availability"),
    "bio": _("about me"),
}


class ProfileForm(forms.ModelForm):
    """A person's own profile, with a choice of what is public."""

    languages = forms.MultipleChoiceField(
        label=_("languages spoken"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    public_fields = forms.MultipleChoiceField(
        label=_("what others may see (your name is always shown)"),
        choices=[(f, FIELD_LABELS[f]) for f in PROFILE_FIELDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Profile
        fields = [
            "display_name", "discipline", "career_stage", "skills", "languages", "institution",
            "city", "lon", "lat", "availability", "bio", "public_fields",
        ]  # fmt: skip
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def clean(self) -> dict[str, Any]:
        """Ask for both coordinates or neither, within WGS84 ranges."""
        data = super().clean()
        lon, lat = data.get("lon"), data.get("lat")
        if (lon is None) != (lat is None):
            self.add_error("lat", _("Give both the longitude and the latitude, or neither."))
        if lon is not None and not -180 <= lon <= 180:
            self.add_error("lon", _("A longitude lies between -180 and 180 degrees."))
        if lat is not None and not -90 <= lat <= 90:
            self.add_error("lat", _("A latitude lies between -90 and 90 degrees."))
        return data


class CallForm(forms.ModelForm):
    """A call for contributors on a process."""

    disciplines = forms.MultipleChoiceField(
        label=_("disciplines wanted"),
        choices=Discipline.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("languages wanted"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.MultipleChoiceField(
        label=_("themes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Call
        fields = [
            "help_kind", "title_fr", "title_zh", "title_en", "description_fr", "description_zh",
            "description_en", "disciplines", "languages", "themes", "starts_on", "ends_on",
            "online", "place", "grants_facilitator",
        ]  # fmt: skip
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "description_fr": forms.Textarea(attrs={"rows": 3}),
            "description_zh": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }


class AnswerForm(forms.Form):
    """Offer to help with a call."""

    message = forms.CharField(
        label=_("How you can help"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    organisation = forms.ModelChoiceField(
        label=_("on behalf of (optional)"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        if user is not None and user.is_authenticated:
            field.queryset = Organisation.objects.filter(members__user=user)
        if not field.queryset.exists():  # nobody to answer for: no empty choice to puzzle over
            del self.fields["organisation"]


class CaseForm(forms.ModelForm):
    """What the organiser adds when publishing a process as a case (figures are computed)."""

    themes = forms.MultipleChoiceField(
        label=_("themes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    extra_methods = forms.MultipleChoiceField(
        label=_("methods used outside the platform"),
        choices=Method.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Case
        fields = [
            "title_fr", "title_zh", "title_en", "question_fr", "question_zh", "question_en",
            "lessons_fr", "lessons_zh", "lessons_en", "themes", "heritage", "population",
            "population_source",
        ]  # fmt: skip
        widgets = {
            f"{field}_{lang}": forms.Textarea(attrs={"rows": 3})
            for field in ("question", "lessons")
            for lang in ("fr", "zh", "en")
        }

    def clean(self) -> dict[str, Any]:
        """Ask for the question and the lessons in at least one language, and a population source."""
        data = super().clean()
        for field in ("question", "lessons"):
            if not any(data.get(f"{field}_{lang}") for lang in ("fr", "zh", "en")):
                self.add_error(f"{field}_fr", _("Write this in at least one language."))
        if data.get("population") and not data.get("population_source"):
            self.add_error("population_source", _("Say where the population figure comes from."))
        return data


class CaseTextForm(forms.ModelForm):
    """The texts and themes of a published case, as its publisher may correct them."""

    themes = forms.MultipleChoiceField(
        label=_("themes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Case
        fields = [
            "title_fr", "title_zh", "title_en", "question_fr", "question_zh", "question_en",
            "lessons_fr", "lessons_zh", "lessons_en", "themes",
        ]  # fmt: skip
        widgets = CaseForm.Meta.widgets


class CaseFilterForm(forms.Form):
    """Filters of the library of cases."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    scale = forms.ChoiceField(
        label=_("Scale of decision"), choices=[("", _("any")), *Scale.choices], required=False
    )
    method = forms.ChoiceField(
        label=_("Method"), choices=[("", _("any")), *Method.choices], required=False
    )
    theme = forms.ChoiceField(
        label=_("Theme"), choices=[("", _("any")), *Theme.choices], required=False
    )
    heritage = forms.ChoiceField(
        label=_("Heritage"),
        choices=[("", _("any")), ("yes", _("concerns heritage")), ("no", _("no heritage"))],
        required=False,
    )
    city_size = forms.ChoiceField(
        label=_("City size"),
        choices=[
            ("", _("any")),
            ("small", _("under 100,000 residents")),
            ("medium", _("100,000 to 1 million")),
            ("large", _("1 to 5 million")),
            ("very_large", _("over 5 million")),
        ],
        required=False,
    )
    country = forms.CharField(label=_("Country (ISO code)"), required=False, max_length=2)
    language = forms.ChoiceField(
        label=_("Written in"),
        choices=[("", _("any")), ("fr", _("French")), ("zh", _("Chinese")), ("en", _("English"))],
        required=False,
    )

    def filters(self) -> dict[str, Any]:
        """Give the cleaned filters as keyword arguments of ``services.search_cases``."""
        data = self.cleaned_data if self.is_valid() else {}
        heritage = {"yes": True, "no": False}.get(data.get("heritage", ""))
        return {
            "text": data.get("q", ""),
            "scale": data.get("scale", ""),
            "method": data.get("method", ""),
            "theme": data.get("theme", ""),
            "heritage": heritage,
            "city_size": data.get("city_size", ""),
            "country": data.get("country", ""),
            "language": data.get("language", ""),
        }
