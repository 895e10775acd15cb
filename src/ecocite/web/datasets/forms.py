"""The dataset forms: upload a file, choose a template."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecocite.data.contract import YEAR_MAX, YEAR_MIN
from ecocite.web.frameworks.registry import available_frameworks, default_framework_key


def framework_choices() -> list[tuple[str, str]]:
    """Return the frameworks to choose from, by key, with their names in the active language."""
    from ecocite.web.core.languages import pick

    return [(key, f"{pick(fw.name)} {fw.version}") for key, fw in available_frameworks().items()]


class UploadForm(forms.Form):
    """Upload a file of indicator values against a framework."""

    framework = forms.ChoiceField(label=_("Reference framework"))
    file = forms.FileField(
        label=_("Data file (CSV, XLSX or JSON, tidy format)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.json"}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["framework"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = framework_choices()
        field.initial = default_framework_key()


class TemplateForm(forms.Form):
    """Choose the framework, year and file type of a template to fill in."""

    framework = forms.ChoiceField(label=_("Reference framework"))
    year = forms.IntegerField(label=_("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    format = forms.ChoiceField(
        label=_("File type"), choices=[("xlsx", "XLSX"), ("csv", "CSV")], initial="xlsx"
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["framework"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = framework_choices()
        field.initial = default_framework_key()
        self.fields["year"].initial = timezone.now().year - 1


#: Lines of the manual entry form (a few values; a file is for more).
ENTRY_ROWS = 8


class EntryRowForm(forms.Form):
    """One value typed by hand: checked by the importer's own validation, not here."""

    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    year = forms.CharField(
        label=_("Year"), required=False, max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
    )  # fmt: skip
    value = forms.CharField(
        label=_("Value"), required=False, max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
    )  # fmt: skip
    unit = forms.CharField(
        label=_("Unit (empty: the indicator's)"), required=False, max_length=60,
        widget=forms.TextInput(attrs={"size": 8}),
    )  # fmt: skip
    source = forms.CharField(label=_("Source"), required=False, max_length=500)
    quality = forms.ChoiceField(
        label=_("Quality"),
        required=False,
        choices=[("", "—"), ("high", _("high")), ("medium", _("medium")), ("low", _("low"))],
    )
    verified = forms.ChoiceField(
        label=_("Verified"), required=False, choices=[("no", _("no")), ("yes", _("yes"))]
    )

    def __init__(self, *args: Any, indicators: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["indicator"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *indicators]

    def is_blank(self) -> bool:
        """Tell whether the line was left empty (no indicator and no value)."""
        data = self.cleaned_data
        return not data.get("indicator") and not data.get("value")


EntryFormSet = forms.formset_factory(EntryRowForm, extra=ENTRY_ROWS, max_num=ENTRY_ROWS,
                                     absolute_max=ENTRY_ROWS)  # fmt: skip


class ReplaceForm(forms.Form):
    """A corrected file for a dataset (same city, same framework)."""

    file = forms.FileField(
        label=_("Corrected file (CSV, XLSX or JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.json"}),
    )


class WithdrawForm(forms.Form):
    """Why a dataset is withdrawn (shown in its history)."""

    reason = forms.CharField(
        label=_("Reason for withdrawing"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
