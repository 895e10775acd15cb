"""Pages of saved carbon scenarios: save, list, open, rename, recompute, delete, compare, export.

Reading is public, as the pathway page is; writing follows the carbon rules
(``carbon.add_scenario``, ``carbon.change_scenario``, ``carbon.delete_scenario``). The figures
come from the stored result (``scenarios``); the views bind forms and pick the template.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ecocite.carbon.names import lever_name
from ecocite.web.carbon.forms import ContextForm, ScenarioEditForm, ScenarioForm, driver_fields
from ecocite.web.carbon.models import CarbonInventory, CarbonScenario
from ecocite.web.carbon.pathways import CONTEXT_FIELDS
from ecocite.web.carbon.scenarios import (
    comparison_chart,
    export_csv,
    export_xlsx,
    key_figures,
    save_scenario,
    start,
    state_of,
)
from ecocite.web.carbon.services import demo_context
from ecocite.web.cities.lookups import city_from_slug
from ecocite.web.core.languages import engine_lang
from ecocite.web.core.permissions import permission_required

MAX_COMPARED = 8
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _inventory(request: HttpRequest, pk: int) -> CarbonInventory:
    found: dict[int, CarbonInventory] = request.__dict__.setdefault("_ecocite_inventories", {})
    if pk not in found:
        found[pk] = get_object_or_404(CarbonInventory.objects.select_related("city"), pk=pk)
    return found[pk]


def _scenario(request: HttpRequest, pk: int) -> CarbonScenario:
    found: dict[int, CarbonScenario] = request.__dict__.setdefault("_ecocite_scenarios", {})
    if pk not in found:
        found[pk] = get_object_or_404(
            CarbonScenario.objects.select_related("city", "inventory", "created_by", "updated_by"),
            pk=pk,
        )
    return found[pk]


def _scenario_form(request: HttpRequest, record: CarbonInventory) -> ScenarioForm:
    demo = demo_context(record)
    if request.method == "POST":
        return ScenarioForm(request.POST, demo=demo, city=record.city)
    # The pathway page's parameters (its query) fill the form; the plan values otherwise.
    unbound = ScenarioForm(demo=demo, city=record.city)
    initial = {name: unbound.get_initial_for_field(f, name) for name, f in unbound.fields.items()}
    for name in unbound.fields:
        if name in request.GET:
            initial[name] = request.GET[name]
    return ScenarioForm(initial=initial, demo=demo, city=record.city)


@permission_required("carbon.add_scenario", fn=_inventory)
def scenario_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Save a pathway of an inventory as a named scenario of its city."""
    record = _inventory(request, pk)
    form = _scenario_form(request, record)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scenario = save_scenario(
            record,
            name=data["name"],
            description=data["description"],
            context=form.context(),
            levers=form.levers(),
            drivers=form.drivers(),
            draws=data["draws"],
            seed=data["seed"],
            user=request.user,
        )
        messages.success(request, _("Scenario %(name)s saved.") % {"name": scenario.name})
        return redirect("carbon:scenario", pk=scenario.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "carbon/scenario_form.html",
        {"record": record, "city": record.city, "form": form, "demo": demo_context(record)},
        status=status,
    )


def scenario_list(request: HttpRequest, slug: str) -> HttpResponse:
    """List a city's scenarios, with the choice of those to compare."""
    city = city_from_slug(request, slug)
    scenarios = CarbonScenario.objects.filter(city=city).select_related("inventory", "created_by")
    return render(
        request,
        "carbon/scenarios.html",
        {
            "city": city,
            "scenarios": [(s, key_figures(s)) for s in scenarios],
            "max_compared": MAX_COMPARED,
        },
    )


def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a scenario: its parameters, progress or stored figures, and its chart."""
    scenario = _scenario(request, pk)
    chart = mark_safe(comparison_chart([scenario])) if scenario.result else None
    lang = engine_lang()
    context_form = ContextForm()
    drivers = driver_fields()
    return render(
        request,
        "carbon/scenario.html",
        {
            "scenario": scenario,
            "city": scenario.city,
            "one_row": [(scenario, key_figures(scenario))],
            "context_rows": [
                (context_form.fields[k].label, scenario.context.get(k)) for k in CONTEXT_FIELDS
            ],
            "lever_rows": [
                (lever_name(k, lang, default=k), v) for k, v in sorted(scenario.levers.items())
            ],
            "driver_rows": [
                (drivers[f"driver_{k}"].label if f"driver_{k}" in drivers else k, v)
                for k, v in sorted(scenario.drivers.items())
            ],
            "chart": chart,
            "job": state_of(scenario),
            "status_url": reverse("carbon:scenario_status", args=[scenario.pk]),
            "can_change": request.user.has_perm("carbon.change_scenario", scenario),
            "can_delete": request.user.has_perm("carbon.delete_scenario", scenario),
        },
    )


@require_GET
def scenario_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Progress of a scenario's computation (polled by site.js)."""
    return JsonResponse(state_of(_scenario(request, pk)))


@permission_required("carbon.change_scenario", fn=_scenario)
def scenario_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a scenario's name and description."""
    scenario = _scenario(request, pk)
    form = ScenarioEditForm(request.POST or None, scenario=scenario)
    if request.method == "POST" and form.is_valid():
        scenario.name = form.cleaned_data["name"]
        scenario.description = form.cleaned_data["description"]
        scenario.updated_by = request.user
        scenario.save(update_fields=["name", "description", "updated_by", "updated_at"])
        messages.success(request, _("Scenario %(name)s changed.") % {"name": scenario.name})
        return redirect("carbon:scenario", pk=scenario.pk)
    status = 422 if form.is_bound else 200
    return render(
        request,
        "carbon/scenario_edit.html",
        {"scenario": scenario, "city": scenario.city, "form": form},
        status=status,
    )


@require_POST
@permission_required("carbon.change_scenario", fn=_scenario)
def scenario_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    """Compute a scenario again (after a failure, or on its replaced inventory)."""
    scenario = start(_scenario(request, pk))
    messages.success(
        request, _("Scenario %(name)s is being computed again.") % {"name": scenario.name}
    )
    return redirect("carbon:scenario", pk=scenario.pk)


@permission_required("carbon.delete_scenario", fn=_scenario)
def scenario_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for confirmation, then delete a scenario (its stored result with it)."""
    scenario = _scenario(request, pk)
    if request.method == "POST":
        city, name = scenario.city, scenario.name
        scenario.delete()
        messages.success(request, _("Scenario %(name)s deleted.") % {"name": name})
        return redirect("carbon:scenarios", slug=city.slug)
    return render(
        request, "carbon/scenario_delete.html", {"scenario": scenario, "city": scenario.city}
    )


def _compared(request: HttpRequest, slug: str) -> tuple[Any, list[CarbonScenario]]:
    city = city_from_slug(request, slug)
    ids = []
    for value in request.GET.getlist("s"):
        if value.isdigit() and int(value) not in ids:
            ids.append(int(value))
    found = {
        s.pk: s
        for s in CarbonScenario.objects.filter(city=city, pk__in=ids[:MAX_COMPARED]).select_related(
            "city", "inventory", "created_by"
        )
    }
    chosen = [found[i] for i in ids if i in found]
    if not ids:  # no choice: the city's newest scenarios
        chosen = list(
            CarbonScenario.objects.filter(city=city).select_related(
                "city", "inventory", "created_by"
            )[:MAX_COMPARED]
        )
    return city, chosen


def scenario_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Compare scenarios of a city on one chart, with a table of their key figures."""
    city, chosen = _compared(request, slug)
    finished = [s for s in chosen if s.result]
    query = "&".join(f"s={s.pk}" for s in chosen)
    return render(
        request,
        "carbon/compare_scenarios.html",
        {
            "city": city,
            "rows": [(s, key_figures(s)) for s in chosen],
            "chart": mark_safe(comparison_chart(finished)) if finished else None,
            "years": _yearly_table(finished),
            "query": query,
            "all_scenarios": CarbonScenario.objects.filter(city=city).only("pk", "name"),
            "chosen_ids": {s.pk for s in chosen},
        },
    )


def _yearly_table(scenarios: list[CarbonScenario]) -> list[dict[str, Any]]:
    """One row per year, one cell per scenario: median-line CO2e with its 5–95 % band."""
    rows: dict[int, dict[str, Any]] = {}
    for k, scenario in enumerate(scenarios):
        result = scenario.result or {}
        fan = {int(r["year"]): r for r in result.get("fan") or []}
        for row in result.get("yearly") or []:
            year = int(row["year"])
            if year % 5:
                continue
            line = rows.setdefault(year, {"year": year, "cells": [None] * len(scenarios)})
            band = fan.get(year, {})
            line["cells"][k] = {
                "value": row.get("scenario_co2e_t"),
                "low": band.get("p5"),
                "high": band.get("p95"),
            }
    return [rows[y] for y in sorted(rows)]


def scenario_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Download the compared scenarios and their yearly results (XLSX, or one CSV table)."""
    if fmt not in ("xlsx", "csv"):
        raise Http404(fmt)
    city, chosen = _compared(request, slug)
    if fmt == "xlsx":
        response = HttpResponse(export_xlsx(chosen), content_type=XLSX)
        name = f"{city.slug}_scenarios_illustrative.xlsx"
    else:
        table = "yearly" if request.GET.get("table") == "yearly" else "scenarios"
        response = HttpResponse(export_csv(chosen, table), content_type="text/csv; charset=utf-8")
        name = f"{city.slug}_scenarios_{table}_illustrative.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
