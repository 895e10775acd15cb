"""Forms of the consultations pages; the services validate again (pages and API agree)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ecocite.web.consultations.models import Body, College, Heritage, Process, Stance, Status
from ecocite.web.core.models import Action
from ecocite.web.maps.forms import PlaceField


class MultipleFileInput(forms.ClearableFileInput):
    """Accept several files in one input (the proposal's images)."""

    allow_multiple_selected = True


class ProposalForm(forms.Form):
    """Write a proposal: text, category, heritage, place, images."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Your proposal"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    heritage = forms.ChoiceField(
        label=_("Heritage"), required=False, choices=[("", _("none")), *list(Heritage.choices)]
    )
    geometry = PlaceField(
        label=_("Place"),
        help_text=_(
            "Optional. A point, line or polygon in longitude, latitude, e.g. "
            '{"type": "Point", "coordinates": [112.24, 30.33]}.'
        ),
    )
    images = forms.FileField(
        label=_("Images (up to 5; JPEG, PNG or WebP)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(
        self,
        *args: Any,
        categories: list[str] | None = None,
        process: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("none"))] + [(c, c) for c in categories or []]
        if process is not None:  # the process's city map and site serve the place widget
            place = self.fields["geometry"]
            self.fields["geometry"] = PlaceField(
                city=process.city, site=process.site, label=place.label, help_text=place.help_text
            )


class CommentForm(forms.Form):
    """Comment on a proposal, with a stance where the process asks for one."""

    text = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    stance = forms.ChoiceField(
        label=_("Stance"), required=False, choices=[("", _("none")), *list(Stance.choices)]
    )


class AnswerForm(forms.Form):
    """Answer a proposal officially and set its status."""

    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    answer = forms.CharField(
        label=_("Official answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )


class FilterForm(forms.Form):
    """Filter the proposals of a process (the list and the map markers)."""

    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    heritage = forms.ChoiceField(
        label=_("Heritage"), required=False, choices=[("", _("all")), *list(Heritage.choices)]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *list(Status.choices)]
    )

    def __init__(self, *args: Any, categories: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("all"))] + [(c, c) for c in categories or []]


class CommentEditForm(forms.Form):
    """Change the text of one's comment (within the edit window)."""

    text = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class BlockForm(forms.Form):
    """Block a participant in the process (or on the whole platform), with the reason."""

    user = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Public reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    everywhere = forms.BooleanField(label=_("Block on the whole platform"), required=False)


# --- management: bodies, processes, phases ---------------------------------------------------


class BodyForm(forms.ModelForm):
    """Create or edit a standing body: names and charter in French, Chinese, English."""

    class Meta:
        model = Body
        fields = [
            "slug", "city", "name_fr", "name_zh", "name_en", "territory",
            "charter_fr", "charter_zh", "charter_en", "illustrative",
        ]  # fmt: skip
        widgets = {
            f"charter_{lang}": forms.Textarea(attrs={"rows": 5}) for lang in ("fr", "zh", "en")
        }
        help_texts = {"name_fr": _("Only the French texts are required; the others fall back.")}


class MemberForm(forms.Form):
    """One member of a body and their college."""

    name = forms.CharField(label=_("Member"), max_length=200)
    college = forms.ChoiceField(label=_("College"), choices=College.choices)


MemberFormSet = forms.formset_factory(MemberForm, extra=2, can_delete=True)


class GeoJSONField(forms.CharField):
    """A GeoJSON geometry typed as text (checked by the service); empty is none."""

    def to_python(self, value: Any) -> Any:
        """Parse the text as JSON, naming the problem when it is not."""
        import json

        text = super().to_python(value)
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError as err:
            raise forms.ValidationError(_("This is not valid GeoJSON (JSON) text.")) from err

    def prepare_value(self, value: Any) -> Any:
        """Show a stored geometry as JSON text."""
        import json

        if isinstance(value, dict):
            return json.dumps(value)
        return value


class ProcessForm(forms.ModelForm):
    """Create or edit a process: scale, site, texts in three languages, decision and its date."""

    site = GeoJSONField(
        label=_("Site (GeoJSON polygon, WGS84)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            'Optional. A polygon in longitude, latitude, e.g. {"type": "Polygon", '
            '"coordinates": [[[112.2, 30.3], [112.3, 30.3], [112.3, 30.4], [112.2, 30.3]]]}.'
        ),
    )
    categories_text = forms.CharField(
        label=_("Proposal categories"),
        required=False,
        help_text=_("Separated by commas."),
        max_length=2000,
    )

    class Meta:
        model = Process
        fields = [
            "slug", "body", "scale", "site", "title_fr", "title_zh", "title_en",
            "description_fr", "description_zh", "description_en", "decision_fr", "decision_zh",
            "decision_en", "decision_planned_on", "stance_enabled", "support_limit",
            "support_threshold", "illustrative",
        ]  # fmt: skip
        widgets = {
            "decision_planned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                f"description_{lang}": forms.Textarea(attrs={"rows": 4})
                for lang in ("fr", "zh", "en")
            },
        }
        help_texts = {"title_fr": _("Only the French texts are required; the others fall back.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["categories_text"].initial = ", ".join(self.instance.categories or [])

    def clean_categories_text(self) -> list[str]:
        """Split the categories on commas, dropping empty ones and repeats."""
        parts = [p.strip() for p in self.cleaned_data.get("categories_text", "").split(",")]
        return list(dict.fromkeys(p for p in parts if p))


DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PhaseForm(forms.Form):
    """One phase: name, dates, the actions it opens, open to people without an account or not."""

    name = forms.CharField(label=_("Name"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME_WIDGET)
    actions = forms.MultipleChoiceField(
        label=_("Actions open"),
        choices=Action.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    anonymous_allowed = forms.BooleanField(
        label=_("Open to people without an account"), required=False
    )


PhaseFormSet = forms.formset_factory(PhaseForm, extra=1, can_order=True, can_delete=True)
