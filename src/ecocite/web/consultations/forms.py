"""Forms of the consultations pages; the services validate again (pages and API agree)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ecocite.web.consultations.models import Heritage, Stance, Status
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
