"""The form that requests an assessment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ecocite.data.tidy import MAX_YEAR, MIN_YEAR
from ecocite.frameworks import Stage
from ecocite.web.datasets.forms import framework_choices
from ecocite.web.frameworks.registry import default_framework_key

STAGE_LABELS = {
    Stage.PLANNING_DESIGN: _("Planning and design"),
    Stage.IMPLEMENTATION_OPERATION: _("Implementation and operation"),
}


class AssessmentForm(forms.Form):
    """Choose the framework, stage and data year of an assessment."""

    framework = forms.ChoiceField(label=_("Reference framework"))
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[(s.value, label) for s, label in STAGE_LABELS.items()]
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    # Set by the "run anyway" button after the warning about a year with few values.
    confirm_partial = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        framework = self.fields["framework"]
        assert isinstance(framework, forms.ChoiceField)
        framework.choices = framework_choices()
        framework.initial = default_framework_key()
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        # Only years the city has data for, inside the platform's range (``ecocite.data.tidy``).
        year.choices = [
            (y, str(y)) for y in sorted(years, reverse=True) if MIN_YEAR <= y <= MAX_YEAR
        ]


class CompareForm(forms.Form):
    """Choose what to compare: framework, stage, a set of cities or cities one by one, years.

    Read from the address (a GET form), so a comparison can be bookmarked and shared.
    """

    framework = forms.ChoiceField(label=_("Reference framework"))
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[(s.value, label) for s, label in STAGE_LABELS.items()]
    )
    set = forms.ChoiceField(label=_("Cities to compare"), required=False)
    cities = forms.MultipleChoiceField(
        label=_("Cities picked one by one"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    years = forms.TypedMultipleChoiceField(
        label=_("Years (none ticked: every year)"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        sets: list[tuple[str, str]],
        cities: list[tuple[str, str]],
        years: list[int],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        for name, choices in (
            ("framework", framework_choices()),
            ("set", [("", _("the cities picked below")), *sets]),
            ("cities", cities),
            ("years", [(y, str(y)) for y in years]),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
        self.fields["framework"].initial = default_framework_key()
        self.fields["stage"].initial = next(iter(STAGE_LABELS)).value

    def clean(self) -> dict[str, Any]:
        """Ask for a set or at least one city."""
        data = super().clean()
        if not data.get("set") and not data.get("cities"):
            self.add_error("cities", _("Pick at least one city, or a set of cities."))
        return data
