"""Forms of the survey builder; the services check again (pages and API agree)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ecocite.web.core.models import Phase
from ecocite.web.surveys.models import Kind, MapKind, Question, Survey


class SurveyForm(forms.ModelForm):
    """Create a survey of a process."""

    class Meta:
        model = Survey
        fields = [
            "title_fr", "title_zh", "title_en", "description_fr", "description_zh",
            "description_en", "phase", "results_public",
        ]  # fmt: skip
        widgets = {
            "description_fr": forms.Textarea(attrs={"rows": 3}),
            "description_zh": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, phases: list[Phase] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["phase"]
        field.queryset = Phase.objects.filter(pk__in=[p.pk for p in phases or []])


class QuestionForm(forms.Form):
    """Add a question: its type, text, options and condition."""

    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    text_fr = forms.CharField(label=_("Question (French)"), max_length=500)
    text_zh = forms.CharField(label=_("Question (Chinese)"), max_length=500, required=False)
    text_en = forms.CharField(label=_("Question (English)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    options = forms.CharField(
        label=_("Options, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For single choice, multiple choice and ranking."),
    )
    max_choices = forms.IntegerField(
        label=_("At most this many choices"), required=False, min_value=1,
        help_text=_("Multiple choice only; empty for no limit."),
    )  # fmt: skip
    scale_max = forms.TypedChoiceField(
        label=_("Scale"),
        choices=[(5, _("from 1 to 5")), (10, _("from 0 to 10"))],
        coerce=int,
        initial=5,
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=40, required=False,
        help_text=_("Number only, e.g. km, m**2, min."),
    )  # fmt: skip
    min_value = forms.FloatField(label=_("Smallest number"), required=False)
    max_value = forms.FloatField(label=_("Largest number"), required=False)
    map_kind = forms.ChoiceField(label=_("Place asked for"), choices=MapKind.choices)
    condition_question = forms.ModelChoiceField(
        label=_("Show only if the answer to"),
        queryset=Question.objects.none(),
        required=False,
        empty_label=_("(always shown)"),
    )
    condition_value = forms.CharField(
        label=_("is"), max_length=200, required=False,
        help_text=_("An option's text, or a number for a scale or number question."),
    )  # fmt: skip

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["condition_question"]
        field.queryset = survey.questions.order_by("position", "id")

    def question_fields(self) -> dict[str, Any]:
        """Return the cleaned data as the service's keyword arguments."""
        data = dict(self.cleaned_data)
        data["options"] = [o for o in data["options"].splitlines() if o.strip()]
        return data
