"""The participation indicators page of a city: preview the values, import them (officials)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecocite.web.cities.models import City
from ecocite.web.consultations import indicators
from ecocite.web.core.permissions import deny
from ecocite.web.frameworks.registry import default_framework_key, framework_by_key


class IndicatorForm(forms.Form):
    """The year and the population the indicators are computed for."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    population = forms.FloatField(label=_("Population (residents)"), min_value=1)
    population_source = forms.CharField(label=_("Source of the population figure"), max_length=300)


def participation(request: HttpRequest, city: str) -> HttpResponse:
    """Show the city's participation indicators for a year; officials import them as data."""
    place = get_object_or_404(City, slug=city)
    can_import = request.user.has_perm("consultations.import_indicators", place)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = IndicatorForm(data, initial={"year": timezone.now().year})
    framework = framework_by_key(default_framework_key())
    rows = []
    computed = None
    status = 200
    if form.is_bound and form.is_valid():
        year, population = form.cleaned_data["year"], form.cleaned_data["population"]
        source = form.cleaned_data["population_source"]
        if request.method == "POST":
            if not can_import:
                return deny(request)
            try:
                dataset = indicators.import_participation(
                    request.user,
                    place,
                    year,
                    population=population,
                    population_source=source,
                    framework_key=default_framework_key(),
                )
            except PermissionDenied:
                return deny(request)
            except ValidationError as err:
                for problem in err.messages:
                    form.add_error(None, problem)
                status = 422
            else:
                messages.success(request, _("The participation indicators are imported."))
                return redirect("datasets:detail", pk=dataset.pk)
        computed = indicators.compute_values(place, year, population, source)
        known = set(framework.indicator_ids())
        for row in computed.values.itertuples():
            if row.indicator in known:
                rows.append((framework.indicator(str(row.indicator)), row.value, row.unit))
    elif form.is_bound:
        status = 422
    return render(
        request,
        "consultations/indicators.html",
        {
            "city": place,
            "form": form,
            "rows": rows,
            "computed": computed,
            "can_import": can_import,
        },
        status=status,
    )
