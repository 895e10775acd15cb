"""Forms of the carbon app: activity upload, city context, dataset and pathway levers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ecocite.carbon import CityContext
from ecocite.carbon.names import lever_help, lever_name
from ecocite.carbon.pathways import lever_table
from ecocite.reports.messages import format_number
from ecocite.web.core.languages import engine_lang
from ecocite.web.datasets.forms import framework_choices
from ecocite.web.frameworks.registry import default_framework_key


class ActivityUploadForm(forms.Form):
    """Upload a city's activity data with the GWP set to use."""

    gwp_set = forms.ChoiceField(
        label=_("Global warming potentials"),
        choices=[("ar5", "IPCC AR5 GWP100"), ("ar6", "IPCC AR6 GWP100")],
        initial="ar5",
    )
    file = forms.FileField(
        label=_("Activity data (CSV or XLSX, GPC activity format)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class ReplaceForm(forms.Form):
    """Replacing an inventory by the same file: only the GWP set chosen for the new upload."""

    gwp_set = forms.ChoiceField(choices=[("ar5", "ar5"), ("ar6", "ar6")])


class ContextForm(forms.Form):
    """Residents, GDP and the optional 2005 baseline the carbon figures are divided by."""

    population = forms.FloatField(label=_("Population (residents)"), min_value=1)
    gdp_wan_cny = forms.FloatField(label=_("GDP (10⁴ CNY)"), min_value=1)
    co2_2005_t = forms.FloatField(
        label=_("Energy CO2 in 2005 (t), optional"), min_value=0, required=False
    )
    gdp_2005_wan_cny = forms.FloatField(
        label=_("GDP in 2005 (10⁴ CNY, same prices), optional"), min_value=1, required=False
    )

    def __init__(self, *args: Any, demo: CityContext | None = None, **kwargs: Any):
        if demo is not None:
            kwargs.setdefault(
                "initial",
                {
                    "population": demo.population,
                    "gdp_wan_cny": demo.gdp_wan_cny,
                    "co2_2005_t": demo.co2_2005_t,
                    "gdp_2005_wan_cny": demo.gdp_2005_wan_cny,
                },
            )
        super().__init__(*args, **kwargs)


class DatasetForm(ContextForm):
    """Turn an inventory into indicator values for a framework."""

    framework = forms.ChoiceField(label=_("Reference framework"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["framework"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = framework_choices()
        field.initial = default_framework_key()


class PathwayForm(ContextForm):
    """The context plus one field per lever of the engine's ``levers.csv`` (plan value first)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        lang = engine_lang()
        for name, lever in lever_table().iterrows():
            year = int(lever["ramp_end"]) if lever["ramp_end"] == lever["ramp_end"] else ""
            meaning = lever_help(str(name), lang, year=year, default=str(lever["unit"]))
            self.fields[f"lever_{name}"] = forms.FloatField(
                label=lever_name(str(name), lang, default=str(lever["description"])),
                help_text=f"{meaning} [{format_number(lever['min'], lang)} – "
                f"{format_number(lever['max'], lang)}]",
                min_value=float(lever["min"]),
                max_value=float(lever["max"]),
                initial=float(lever["plan"]),
            )

    def levers(self) -> dict[str, float]:
        """Return the lever settings by lever name."""
        return {
            key.removeprefix("lever_"): float(value)
            for key, value in self.cleaned_data.items()
            if key.startswith("lever_")
        }
