"""The form that attaches an OSM extract (and optionally GTFS) to a city."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ecocite.web.access.config import server_extracts
from ecocite.web.datasets.forms import framework_choices
from ecocite.web.frameworks.registry import default_framework_key


class RunForm(forms.Form):
    """Start a walking-access run: an OSM extract (uploaded or on the server) and optional GTFS."""

    pbf = forms.FileField(
        label=_("OpenStreetMap extract (.osm.pbf)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pbf"}),
    )
    server_extract = forms.ChoiceField(
        label=_("or an extract on the server"),
        required=False,
        # long extract names must not widen the page past a phone's screen
        widget=forms.Select(attrs={"style": "max-width: 100%"}),
    )
    gtfs = forms.FileField(
        label=_("GTFS feed (zip), optional"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".zip"}),
    )
    population = forms.FloatField(
        label=_("Residents (for green space per person), optional"), min_value=1, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(k, e.label) for k, e in server_extracts().items()]
        self.fields["server_extract"].choices = choices


class ImportForm(forms.Form):
    """Import a run's summary as indicator values of a framework."""

    framework = forms.ChoiceField(label=_("Framework"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = framework_choices()
        self.fields["framework"].initial = default_framework_key()
