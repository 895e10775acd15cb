"""Slider pages: explore a vision for a site, submit it; organisers offer sites and read visions.

The page works without JavaScript (the form's "See the effect" button reloads with the
positions in the address); ``static/ecocite/sliders.js`` updates the results as a slider moves,
from ``evaluate.json``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecocite.reports.messages import format_quantity
from ecocite.scenario import ScenarioResult
from ecocite.scenario.site import LEVELS
from ecocite.web.consultations.models import College, Process
from ecocite.web.core.languages import engine_lang, pick
from ecocite.web.core.permissions import deny, permission_required
from ecocite.web.sliders import services
from ecocite.web.sliders.forms import SiteForm, VisionForm
from ecocite.web.sliders.models import SliderSite

INDICATOR_NAMES = {
    "population": gettext_lazy("Residents"),
    "density": gettext_lazy("Residential density"),
    "floor_area_ratio": gettext_lazy("Floor-area ratio"),
    "green_space_per_capita": gettext_lazy("Green and open space per resident"),
    "co2_buildings_per_capita": gettext_lazy("CO₂ from buildings per resident"),
    "co2_transport_per_capita": gettext_lazy("CO₂ from daily travel per resident"),
    "co2_per_capita": gettext_lazy("CO₂ per resident (buildings and travel)"),
    "heritage_floor_kept": gettext_lazy("Existing floor area kept"),
}


def _site(pk: int) -> SliderSite:
    return get_object_or_404(SliderSite.objects.select_related("process__city"), pk=pk)


def _positions(request: HttpRequest, site: SliderSite) -> tuple[dict[str, float], list[str]]:
    settings = {}
    for key in site.sliders:
        raw = request.GET.get(key, "")
        try:
            if raw != "":
                settings[key] = float(raw)
        except ValueError:
            continue
    return settings, [f for f in request.GET.getlist("facility") if f in site.facilities]


def _sliders(site: SliderSite, result: ScenarioResult) -> list[dict[str, Any]]:
    lang = engine_lang()
    rows = []
    for key in site.sliders:
        slider = site.site.slider(key)
        rows.append({
            "id": key, "name": pick(dict(slider.name)), "help": pick(dict(slider.help)),
            "min": slider.min, "max": slider.max, "step": slider.step,
            "value": result.settings[key], "today": site.site.defaults()[key],
            "shown": format_quantity(result.settings[key], slider.unit, lang),
        })  # fmt: skip
    return rows


def results_payload(site: SliderSite, result: ScenarioResult) -> dict[str, Any]:
    """Give the results as the page and the JSON endpoint show them (texts in the active language)."""
    lang = engine_lang()
    indicators = [
        {
            "id": o.indicator, "name": str(INDICATOR_NAMES[o.indicator]),
            "today": format_quantity(o.today, o.unit, lang),
            "value": format_quantity(o.value, o.unit, lang),
            "points": None if o.points is None else f"{o.points:g} / {o.max_points:g}",
            "today_points": None if o.today_points is None else f"{o.today_points:g} / {o.max_points:g}",
            "worse": o.worse, "illustrative": o.illustrative,
        }
        for o in result.outcomes
    ]  # fmt: skip
    names = {f.id: pick(dict(f.name)) for f in site.site.facilities}
    circles = [
        {
            "id": fid, "name": names.get(fid, fid), "added": dict(shares) != dict(result.life_circles_today[fid]),
            "levels": [
                {"minutes": m, "today": format_quantity(100 * result.life_circles_today[fid][m], "%", lang),
                 "value": format_quantity(100 * shares[m], "%", lang)}
                for m in LEVELS
            ],
        }
        for fid, shares in result.life_circles.items()
        if fid in site.facilities
    ]  # fmt: skip
    trade_offs = [str(INDICATOR_NAMES[t]) for t in result.trade_offs]
    return {
        "indicators": indicators,
        "life_circles": circles,
        "trade_offs": trade_offs,
        "trade_offs_text": (
            _("Trade-offs: worse than today — %(names)s") % {"names": ", ".join(trade_offs)}
            if trade_offs
            else _("No indicator is worse than today.")
        ),
        "sliders": {
            key: format_quantity(result.settings[key], site.site.slider(key).unit, lang)
            for key in site.sliders
        },
        "labels": {"worse": _("worse"), "added": _("added"), "today": _("today")},
        "illustrative": result.illustrative,
    }


def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Explore a vision: sliders, their effect at once, and the form to submit it."""
    site = _site(pk)
    settings, added = _positions(request, site)
    try:
        result = services.evaluate_vision(site, settings, added)
        problem = ""
    except ValidationError as err:
        result = services.evaluate_vision(site, {}, added)
        problem = " ".join(err.messages)
    form = VisionForm(initial={"settings": "", "facilities": added})
    return render(
        request,
        "sliders/site.html",
        {
            "slider_site": site, "process": site.process, "sliders": _sliders(site, result),
            "results": results_payload(site, result), "problem": problem, "form": form,
            "facilities": [(f.id, pick(dict(f.name)), f.id in added) for f in site.site.facilities
                           if f.id in site.facilities],
            "can_submit": request.user.has_perm("sliders.add_vision", site),
            "can_view": request.user.has_perm("sliders.view_visions", site),
            "query": request.GET.urlencode(),
        },
    )  # fmt: skip


def evaluate_json(request: HttpRequest, pk: int) -> JsonResponse:
    """Evaluate the positions in the address and answer with the results (for the page's script)."""
    site = _site(pk)
    settings, added = _positions(request, site)
    try:
        result = services.evaluate_vision(site, settings, added)
    except ValidationError as err:
        return JsonResponse({"errors": err.messages}, status=400)
    return JsonResponse(results_payload(site, result))


def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the vision shown (POST) as a contribution."""
    site = _site(pk)
    if request.method != "POST":
        return redirect("sliders:site", pk)
    if not request.user.has_perm("sliders.add_vision", site):
        return deny(request)
    form = VisionForm(request.POST, request.FILES)
    settings = {k: request.POST.get(k) for k in site.sliders}
    if form.is_valid():
        if not request.session.session_key:
            request.session.save()
        upload = form.cleaned_data.get("image")
        try:
            services.submit_vision(
                request.user, site,
                settings={k: float(v) for k, v in settings.items() if v not in (None, "")},
                facilities=request.POST.getlist("facility"), title=form.cleaned_data["title"],
                text=form.cleaned_data["text"], college=form.cleaned_data["college"],
                image=(upload.name, upload.read()) if upload else None,
                session_key=request.session.session_key or "",
            )  # fmt: skip
        except (ValidationError, ValueError) as err:
            messages.error(request, " ".join(getattr(err, "messages", [str(err)])))
        except PermissionDenied:
            return deny(request)
        else:
            messages.success(request, _("Thank you: your vision is submitted."))
    else:
        for problems in form.errors.values():
            messages.error(request, " ".join(problems))
    query = "&".join(f"{k}={v}" for k, v in settings.items() if v not in (None, ""))
    return redirect(f"{request.path.rsplit('/submit/', 1)[0]}/?{query}")


@permission_required("sliders.view_visions", lambda request, pk: _site(pk))
def visions(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the organisers the median and spread of each slider, by college, and the median vision."""
    site = _site(pk)
    summary, closest = services.distribution(site)
    lang = engine_lang()
    colleges = dict(College.choices)
    rows = []
    for rec in summary.to_dict("records"):
        slider = site.site.slider(rec["slider"])
        unit = slider.unit
        rows.append({
            "group": colleges.get(rec["group"], _("everyone")) if rec["group"] else _("everyone"),
            "slider": pick(dict(slider.name)), "count": rec["count"],
            "median": "—" if rec["count"] == 0 else format_quantity(rec["median"], unit, lang),
            "spread": "—" if rec["count"] == 0 else
            f"{format_quantity(rec['q1'], unit, lang)} – {format_quantity(rec['q3'], unit, lang)}",
        })  # fmt: skip
    return render(
        request,
        "sliders/visions.html",
        {"slider_site": site, "rows": rows, "closest": closest, "count": site.visions.count(),
         "latest": site.visions.all()[:50]},
    )  # fmt: skip


@permission_required(
    "sliders.add_site", lambda request, slug: get_object_or_404(Process, slug=slug)
)
def site_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Offer a site of the process to the sliders (organisers)."""
    process = get_object_or_404(Process.objects.select_related("city"), slug=slug)
    form = SiteForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            site = services.create_site(
                request.user, process, definition=data["definition_text"],
                sliders=data["sliders"], facilities=data["facilities_list"],
                title_fr=data["title_fr"], title_zh=data["title_zh"], title_en=data["title_en"],
            )  # fmt: skip
        except ValidationError as err:
            for field, problems in err.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("The site is offered to the sliders."))
            return redirect("sliders:site", site.pk)
    return render(request, "sliders/site_form.html", {"form": form, "process": process})


def process_sites(request: HttpRequest, slug: str) -> HttpResponse:
    """List the scenario sites of a process."""
    process = get_object_or_404(Process, slug=slug)
    return render(
        request,
        "sliders/list.html",
        {"process": process, "sites": SliderSite.objects.filter(process=process),
         "can_add": request.user.has_perm("sliders.add_site", process)},
    )  # fmt: skip
