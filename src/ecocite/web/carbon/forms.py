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


def driver_fields() -> dict[str, forms.FloatField]:
    """Return the drivers a planner may fix on a scenario (empty: drawn in its illustrative range)."""
    return {
        "driver_population_growth": forms.FloatField(
            label=_("Population growth per year (share, e.g. 0.002), optional"),
            min_value=-0.05,
            max_value=0.05,
            required=False,
        ),
        "driver_rebalancing_inflow": forms.FloatField(
            label=_("Extra residents per year from rebalancing (share of the base population)"),
            help_text=_("optional; 0 when empty"),
            min_value=0,
            max_value=0.05,
            required=False,
        ),
        "driver_rebalancing_years": forms.FloatField(
            label=_("Years of the rebalancing inflow, optional"),
            min_value=0,
            max_value=40,
            required=False,
        ),
    }


class ScenarioForm(PathwayForm):
    """Save a pathway as a named scenario: name, description, draws, seed, drivers, then levers."""

    def __init__(self, *args: Any, city: Any = None, **kwargs: Any):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.city = city
        head: dict[str, forms.Field] = {
            "name": forms.CharField(label=_("Scenario name"), max_length=120),
            "description": forms.CharField(
                label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
            ),
            "draws": forms.IntegerField(
                label=_("Monte Carlo draws"),
                min_value=100,
                max_value=settings.CARBON_SCENARIO_MAX_DRAWS,
                initial=2000,
                help_text=_("More than %(n)s draws are computed in the background.")
                % {"n": format_number(settings.CARBON_SCENARIO_INLINE_DRAWS, engine_lang())},
            ),
            "seed": forms.IntegerField(
                label=_("Random seed"), min_value=0, max_value=2**32 - 1, initial=1
            ),
        }
        rest: dict[str, forms.Field] = dict(self.fields)  # type: ignore[has-type]
        self.fields = {**head, **driver_fields(), **rest}

    def clean_name(self) -> str:
        """Refuse a name another scenario of the city already has."""
        name = str(self.cleaned_data["name"]).strip()
        if not name:
            raise forms.ValidationError(_("Give the scenario a name."))
        if self.city is not None and self.city.carbon_scenarios.filter(name=name).exists():
            raise forms.ValidationError(_("This city already has a scenario of this name."))
        return name

    def drivers(self) -> dict[str, float]:
        """Return the drivers fixed on the form, by driver name."""
        return {
            key.removeprefix("driver_"): float(value)
            for key, value in self.cleaned_data.items()
            if key.startswith("driver_") and value is not None
        }

    def context(self) -> dict[str, float | None]:
        """Return the city context of the form."""
        names = ("population", "gdp_wan_cny", "co2_2005_t", "gdp_2005_wan_cny")
        return {
            name: None if self.cleaned_data.get(name) is None else float(self.cleaned_data[name])
            for name in names
        }


class ScenarioEditForm(forms.Form):
    """Change a scenario's name and description (its parameters make another scenario)."""

    name = forms.CharField(label=_("Scenario name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, scenario: Any, **kwargs: Any):
        kwargs.setdefault("initial", {"name": scenario.name, "description": scenario.description})
        super().__init__(*args, **kwargs)
        self.scenario = scenario

    def clean_name(self) -> str:
        """Refuse a name another scenario of the city already has."""
        name = str(self.cleaned_data["name"]).strip()
        if not name:
            raise forms.ValidationError(_("Give the scenario a name."))
        others = self.scenario.city.carbon_scenarios.exclude(pk=self.scenario.pk)
        if others.filter(name=name).exists():
            raise forms.ValidationError(_("This city already has a scenario of this name."))
        return name
