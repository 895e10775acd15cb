"""Carbon pages: upload an activity file, read its GPC inventory, explore pathways to 2060.

Every figure comes from ``ecocite.carbon`` through ``services``; the views only check who may
write, bind forms and pick the template.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ecocite.carbon import summary_matrix
from ecocite.carbon.names import gpc_name
from ecocite.web.carbon.charts import inventory_charts
from ecocite.web.carbon.forms import ActivityUploadForm, DatasetForm, PathwayForm, ReplaceForm
from ecocite.web.carbon.models import CarbonInventory
from ecocite.web.carbon.pathways import (
    PathwayBusy,
    PathwayRequest,
    cached_result,
    request_pathway,
    state,
)
from ecocite.web.carbon.services import (
    ActivityRejected,
    DuplicateActivity,
    context_from_form,
    demo_context,
    import_activity,
    inventory_to_dataset,
    inventory_xlsx,
    load_inventory,
    replace_inventory,
)
from ecocite.web.cities.lookups import city_from_slug
from ecocite.web.core.languages import engine_lang
from ecocite.web.core.permissions import deny, permission_required
from ecocite.web.datasets.services import read_capped


def index(request: HttpRequest) -> HttpResponse:
    """List the inventories of every city."""
    inventories = CarbonInventory.objects.select_related("city")[:200]
    return render(request, "carbon/index.html", {"inventories": inventories})


def city_carbon(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a city's inventories and the activity upload form."""
    city = city_from_slug(request, slug)
    can_upload = request.user.has_perm("carbon.add_inventory", city)
    form = ActivityUploadForm(request.POST or None, request.FILES or None)
    problems = None
    problem_count = 0
    duplicate = None
    status = 200
    if request.method == "POST":
        if not can_upload:
            return deny(request)
        status = 422
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                record = import_activity(
                    uploaded.name,
                    read_capped(uploaded),
                    city=city,
                    gwp_set=form.cleaned_data["gwp_set"],
                    user=request.user,
                )
            except ActivityRejected as exc:
                problems, problem_count = exc.problems, len(exc.errors)
            except DuplicateActivity as exc:
                duplicate = exc.existing
                status = 409
            else:
                messages.success(request, _("%(name)s accepted.") % {"name": record.original_name})
                return redirect("carbon:inventory", pk=record.pk)
    inventories = CarbonInventory.objects.filter(city=city).select_related("uploaded_by")
    return render(
        request,
        "carbon/city.html",
        {
            "city": city,
            "form": form,
            "can_upload": can_upload,
            "problems": problems,
            "problem_count": problem_count,
            "duplicate": duplicate,
            "gwp_set": form.cleaned_data.get("gwp_set") if duplicate else None,
            "inventories": inventories,
        },
        status=status,
    )


def _summary_lines(record: CarbonInventory) -> tuple[Any, list[dict[str, Any]]]:
    inventory = load_inventory(record)
    matrix = summary_matrix(inventory, record.city.slug, record.year)
    lines = []
    lang = engine_lang()
    for line in matrix.to_dict("records"):
        # GPC names in the reader's language, looked up by code (the engine keeps the English).
        code = str(line["subsector"])
        line["sector"] = gpc_name(code.split(".")[0], lang, default=str(line["sector"]))
        line["subsector_name"] = gpc_name(code, lang, default=str(line["subsector_name"]))
        cells = []
        for scope in (1, 2, 3):
            value = line[f"scope{scope}_tco2e"]
            cells.append(
                {
                    "value": None if value is None or value != value else value,
                    "key": line[f"scope{scope}_key"] or "",
                    "applies": not (value is None and not line[f"scope{scope}_key"]),
                }
            )
        lines.append({**{str(k): v for k, v in line.items()}, "cells": cells})
    return inventory, lines


def inventory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an inventory: sector × scope table and BASIC/BASIC+ totals."""
    record = get_object_or_404(CarbonInventory.objects.select_related("city", "uploaded_by"), pk=pk)
    inventory, lines = _summary_lines(record)
    can_upload = request.user.has_perm("datasets.add_dataset", record)
    demo = demo_context(record)
    return render(
        request,
        "carbon/inventory.html",
        {
            "record": record,
            "city": record.city,
            "lines": lines,
            "charts": inventory_charts(inventory),
            "provenance": inventory.provenance,
            "factor_library_version": inventory.factor_library_version,
            "can_upload": can_upload,
            "dataset_form": DatasetForm(demo=demo) if can_upload else None,
            "demo": demo,
        },
    )


@require_POST
@permission_required(
    "carbon.add_inventory", fn=lambda request, pk: _inventory_of_request(request, pk)
)
def inventory_replace(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace an inventory by the same file uploaded again: recomputed in place, not doubled."""
    record = _inventory_of_request(request, pk)
    form = ReplaceForm(request.POST)
    if not form.is_valid():
        return redirect("carbon:city", slug=record.city.slug)
    replace_inventory(record, gwp_set=form.cleaned_data["gwp_set"], user=request.user)
    messages.success(request, _("%(name)s replaced.") % {"name": record.original_name})
    return redirect("carbon:inventory", pk=record.pk)


def inventory_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Download an inventory as an XLSX workbook."""
    record = get_object_or_404(CarbonInventory.objects.select_related("city"), pk=pk)
    content = inventory_xlsx(record, demo_context(record))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stem = record.original_name.rsplit(".", 1)[0]
    response["Content-Disposition"] = f'attachment; filename="{stem}_{record.gwp_set}_eCRF.xlsx"'
    return response


def _inventory_of_request(request: HttpRequest, pk: int) -> CarbonInventory:
    """Return the inventory named by the URL, kept on the request for the check and the view."""
    found: dict[int, CarbonInventory] = request.__dict__.setdefault("_ecocite_inventories", {})
    if pk not in found:
        found[pk] = get_object_or_404(CarbonInventory.objects.select_related("city"), pk=pk)
    return found[pk]


@require_POST
@permission_required("datasets.add_dataset", fn=_inventory_of_request)
def inventory_dataset(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn an inventory into indicator values of its city (an upload of data)."""
    record = _inventory_of_request(request, pk)
    form = DatasetForm(request.POST, demo=demo_context(record))
    problems = None
    problem_count = 0
    if form.is_valid():
        context = context_from_form(record, form.cleaned_data)
        try:
            dataset = inventory_to_dataset(
                record, context, framework_key=form.cleaned_data["framework"], user=request.user
            )
        except ActivityRejected as exc:
            problems, problem_count = exc.problems, len(exc.errors)
        else:
            messages.success(
                request,
                _("%(name)s accepted: %(rows)d values imported.")
                % {"name": dataset.original_name, "rows": dataset.rows},
            )
            return redirect("datasets:detail", pk=dataset.pk)
    inventory, lines = _summary_lines(record)
    return render(
        request,
        "carbon/inventory.html",
        {
            "record": record,
            "city": record.city,
            "lines": lines,
            "charts": inventory_charts(inventory),
            "can_upload": True,
            "dataset_form": form,
            "problems": problems,
            "problem_count": problem_count,
            "demo": demo_context(record),
        },
        status=422,
    )


def _pathway_form(request: HttpRequest, demo: Any) -> PathwayForm:
    if "population" in request.GET or demo is None:
        return PathwayForm(request.GET or None, demo=demo)
    # First visit of a demo city: the plan values on its (illustrative) context.
    unbound = PathwayForm(demo=demo)
    initial = {name: unbound.get_initial_for_field(f, name) for name, f in unbound.fields.items()}
    return PathwayForm({k: "" if v is None else v for k, v in initial.items()}, demo=demo)


def pathway(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the pathway of the asked parameters: from the cache, or computed by the worker meanwhile."""
    record = get_object_or_404(CarbonInventory.objects.select_related("city"), pk=pk)
    demo = demo_context(record)
    form = _pathway_form(request, demo)
    result = job = None
    status = 200
    if form.is_bound and form.is_valid():
        asked = PathwayRequest.of(record, form.cleaned_data, form.levers())
        try:
            job = request_pathway(asked)
        except PathwayBusy:
            job, status = {"status": "busy"}, 503
        found = cached_result(asked) if job["status"] == "finished" else None
        if found is not None:
            result = {
                **found,
                "wedge_svg": mark_safe(found["wedge_svg"]),  # escaped by the engine
                "fan_svg": mark_safe(found["fan_svg"]),
            }
    elif form.is_bound:
        status = 422
    query = request.GET.urlencode()
    status_url = reverse("carbon:pathway_status", args=[record.pk]) + (f"?{query}" if query else "")
    return render(
        request,
        "carbon/pathway.html",
        {
            "record": record,
            "city": record.city,
            "form": form,
            "result": result,
            "job": job,
            "status_url": status_url,
            "demo": demo,
            # The parameters shown, handed to the "save as a scenario" form.
            "query": urlencode(dict(form.data.items())) if form.is_bound else "",
            "can_save": request.user.has_perm("carbon.add_scenario", record),
        },
        status=status,
    )


@require_GET
def pathway_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Progress of the pathway of the same parameters as the page (polled by site.js)."""
    record = get_object_or_404(CarbonInventory.objects.select_related("city"), pk=pk)
    form = _pathway_form(request, demo_context(record))
    if not (form.is_bound and form.is_valid()):
        return JsonResponse({"status": "invalid", "errors": form.errors}, status=422)
    return JsonResponse(state(PathwayRequest.of(record, form.cleaned_data, form.levers())))
