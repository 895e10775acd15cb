"""Walking-access pages: attach an extract to a city, follow the job, read and import results.

Every figure comes from ``ecocite.access`` through ``services``; the views only check who may
write, bind forms and pick the template.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecocite.access.categories import life_circle_levels, load_categories
from ecocite.web.access.config import DEMO_KEY, demo_folder, pbf_max_bytes, server_extracts
from ecocite.web.access.forms import ImportForm, RunForm
from ecocite.web.access.models import AccessRun, Status
from ecocite.web.access.services import AccessRejected, Upload, import_values, request_run
from ecocite.web.cities.lookups import city_from_slug
from ecocite.web.core.languages import engine_lang, pick
from ecocite.web.core.permissions import deny, permission_required

# Urban-form and city-wide values shown apart from the life-circle coverage.
URBAN_FORM = (
    "intersection_density",
    "land_use_mix",
    "building_coverage_ratio",
    "floor_area_ratio",
    "public_green_space_per_capita",
)


def index(request: HttpRequest) -> HttpResponse:
    """List the recent walking-access runs of every city."""
    runs = AccessRun.objects.select_related("city").defer(
        "summary", "coverage", "report", "map_layer"
    )[:100]
    return render(
        request, "access/index.html", {"runs": runs, "demo_present": demo_folder() is not None}
    )


def _upload(field: Any) -> Upload | None:
    if not field:
        return None
    return Upload(field.name, bytes(field.read(pbf_max_bytes() + 1)))


def city_access(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a city's access runs and the form that starts one."""
    city = city_from_slug(request, slug)
    can_run = request.user.has_perm("access.add_run", city)
    form = RunForm(request.POST or None, request.FILES or None)
    problems = None
    status = 200
    if request.method == "POST":
        if not can_run:
            return deny(request)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                run = request_run(
                    city,
                    pbf=_upload(data["pbf"]),
                    server_key=data["server_extract"] or "",
                    gtfs=_upload(data["gtfs"]),
                    population=data["population"],
                    user=request.user,
                )
            except AccessRejected as exc:
                problems = exc.problems
            else:
                messages.success(request, _("The analysis is queued."))
                return redirect("access:run", pk=run.pk)
    runs = AccessRun.objects.filter(city=city).defer("summary", "coverage", "report", "map_layer")
    return render(
        request,
        "access/city.html",
        {
            "city": city,
            "runs": runs,
            "form": form,
            "can_run": can_run,
            "problems": problems,
            "limit_mb": pbf_max_bytes() // (1024 * 1024),
            "demo_present": DEMO_KEY in server_extracts(),
        },
        status=status,
    )


def _coverage_tables(run: AccessRun) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows per category (share within 300/500/1000 m, its life-circle level) and per level."""
    lang = engine_lang()
    table = load_categories()
    levels = life_circle_levels()
    by_cat: dict[str, dict[float, float]] = {}
    for row in run.coverage or []:
        by_cat.setdefault(str(row["category"]), {})[float(row["distance_m"])] = row["share_pct"]
    categories = []
    for cat in table.categories:
        shares = by_cat.get(cat.name, {})
        level = levels.get(cat.level)
        categories.append(
            {
                "name": cat.label(lang),
                "level": cat.level if level else "—",
                "s300": shares.get(300.0),
                "s500": shares.get(500.0),
                "s1000": shares.get(1000.0),
                "at_level": shares.get(level.distance_m) if level else None,
            }
        )
    circles = [
        {
            "level": lv.name,
            "label": pick(lv.label),
            "distance_m": lv.distance_m,
            "share": by_cat.get(f"life_circle_{lv.name}", {}).get(float(lv.distance_m)),
        }
        for lv in levels.values()
    ]
    return categories, circles


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a run: progress, or coverage, deserts map and urban form."""
    run = get_object_or_404(AccessRun.objects.select_related("city").defer("map_layer"), pk=pk)
    context: dict[str, Any] = {
        "run": run,
        "can_import": request.user.has_perm("access.import_values", run.city),
    }
    if run.status == Status.FINISHED:
        categories, circles = _coverage_tables(run)
        summary = {r["indicator"]: r for r in run.summary or []}
        context.update(
            categories=categories,
            circles=circles,
            access_rows=[r for k, r in summary.items() if k not in URBAN_FORM],
            form_rows=[summary[k] for k in URBAN_FORM if k in summary],
            import_form=ImportForm(),
            report=run.report or {},
        )
    return render(request, "access/run.html", context)


def run_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Return a run's status and progress as JSON (polled by the run page)."""
    run = get_object_or_404(AccessRun.objects.only("status", "progress", "step"), pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "label": str(run.get_status_display()),
            "progress": run.progress,
            "step": run.step,
        }
    )


def run_map(request: HttpRequest, pk: int) -> JsonResponse:
    """Return a run's map layer (origins and facilities) as JSON."""
    run = get_object_or_404(AccessRun.objects.only("map_layer", "status"), pk=pk)
    return JsonResponse(run.map_layer or {"origins": [], "facilities": []})


def _run_of_request(request: HttpRequest, pk: int, **kwargs: Any) -> Any:
    run = get_object_or_404(AccessRun.objects.select_related("city"), pk=pk)
    request.__dict__["_access_run"] = run
    return run.city


@require_POST
@permission_required("access.import_values", fn=_run_of_request)
def run_dataset(request: HttpRequest, pk: int) -> HttpResponse:
    """Import the run's summary values as a dataset of its city, with their provenance."""
    run: AccessRun = request.__dict__["_access_run"]
    form = ImportForm(request.POST)
    if form.is_valid():
        try:
            dataset = import_values(
                run, framework_key=form.cleaned_data["framework"], user=request.user
            )
        except AccessRejected as exc:
            for problem in exc.problems:
                messages.error(request, problem)
        else:
            messages.success(
                request,
                _("%(name)s accepted: %(rows)d values imported.")
                % {"name": dataset.original_name, "rows": dataset.rows},
            )
            return redirect("datasets:detail", pk=dataset.pk)
    return redirect("access:run", pk=run.pk)
