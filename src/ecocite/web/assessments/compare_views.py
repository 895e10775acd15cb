"""The comparison page: cities and years side by side, their trends, where they differ most.

Everything shown is read from frozen assessments through ``comparison.py`` (the same service as
the API and the downloads). The page body is cached per process under the data fingerprint, the
language and the selection, so a repeated comparison costs one fingerprint query.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from csp.decorators import csp_update
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ecocite.reports import svg
from ecocite.reports.messages import format_number
from ecocite.web.assessments import comparison as service
from ecocite.web.assessments.forms import CompareForm
from ecocite.web.core.freshness import data_version, fragments
from ecocite.web.core.languages import engine_lang, pick
from ecocite.web.core.templatetags.ecocite import country_name
from ecocite.web.frameworks.registry import default_framework_key

PARAMS = ("framework", "stage", "set", "cities", "years")


def _params(query: QueryDict) -> QueryDict:
    """Return the comparison's own parameters; with none, every city and year of the default."""
    mine = QueryDict(mutable=True)
    for name in PARAMS:
        values = [v for v in query.getlist(name) if v is not None]
        if values:
            mine.setlist(name, values)
    if not mine:
        mine["set"] = service.ALL
    mine.setdefault("framework", default_framework_key())
    mine.setdefault("stage", "planning_design")
    return mine


def _country_set_label(code: str) -> str:
    return _("Cities of %(country)s") % {"country": country_name(code)}


def _form(params: QueryDict, choices: list[service.CityChoice]) -> CompareForm:
    sets = service.city_sets(choices, country_label=_country_set_label)
    years = service.years_assessed(
        params.get("framework") or default_framework_key(), params.get("stage") or ""
    )
    return CompareForm(
        params,
        sets=[(s.key, str(s.label)) for s in sets],
        cities=[(c.slug, pick(c.names)) for c in choices],
        years=years,
    )


def selection_from(
    query: QueryDict,
) -> tuple[CompareForm, service.Selection | None, list[service.CityChoice]]:
    """Read a selection from an address's parameters; None when the form has errors."""
    params = _params(query)
    choices = service.city_choices()
    form = _form(params, choices)
    if not form.is_valid():
        return form, None, choices
    data = form.cleaned_data
    try:
        selection = service.resolve(
            framework_key=data["framework"],
            stage=data["stage"],
            cities=data["cities"],
            years=data["years"],
            city_set=data["set"],
            choices=choices,
            country_label=_country_set_label,
        )
    except service.SelectionError as exc:
        form.add_error(None, str(exc))
        return form, None, choices
    return form, selection, choices


def compare(request: HttpRequest) -> HttpResponse:
    """Show the comparison asked for in the address (every city and year by default)."""
    params = _params(request.GET)
    digest = hashlib.sha1(params.urlencode().encode(), usedforsecurity=False).hexdigest()[:20]
    key = f"compare:{get_language()}:{data_version()}:{digest}"
    body = fragments().get(key)
    if body is None:
        form, selection, choices = selection_from(request.GET)
        context: dict[str, Any] = {"form": form, "query": params.urlencode()}
        if selection is not None:
            context.update(_page_context(service.build(selection, choices=choices)))
        body = render_to_string("assessments/_compare_body.html", context, request=request)
        fragments().set(key, body, timeout=3600)
    return render(request, "assessments/compare.html", {"body": body})


def _names(comparison: service.Comparison) -> dict[str, str]:
    return {slug: pick(c.names) or slug for slug, c in comparison.cities.items()}


def _page_context(comparison: service.Comparison) -> dict[str, Any]:
    framework = comparison.framework
    lang = engine_lang()
    names = _names(comparison)
    categories = [(c.id, pick(c.name)) for c in framework.categories]
    rows = [
        {
            "slug": p.city,
            "name": names[p.city],
            "country": comparison.cities[p.city].country,
            "illustrative": p.illustrative,
            "year": p.year,
            "score": p.score if comparison.by_points else p.completeness,
            "level": pick(p.level_name) if p.level_name else "",
            "cells": [p.categories.get(cid) for cid, _name in categories],
        }
        for p in sorted(comparison.latest, key=lambda p: names[p.city].casefold())
    ]
    summary = (_("median of the cities"), _("lowest city"), _("highest city"))
    charts = []

    def measure(p: service.Point) -> float | None:
        if comparison.by_points:
            return p.score
        return None if p.completeness is None else p.completeness * 100

    def category_points(cid: str) -> Callable[[service.Point], float | None]:
        return lambda p: p.categories.get(cid)

    top = framework.grading.scale if comparison.by_points else 100.0
    plotted: list[tuple[str, Callable[[service.Point], float | None], float]] = [
        (_("Score") if comparison.by_points else _("Completeness (%)"), measure, top)
    ]
    plotted += [
        (name, category_points(cid), comparison.category_max.get(cid, 0.0))
        for cid, name in categories
    ]
    if len(comparison.years) >= 1:
        for title, value_of, chart_top in plotted:
            series = service.trend_series(
                comparison, value_of, names=lambda s: names[s], summary_names=summary
            )
            charts.append(_chart(comparison, str(title), series, chart_top, lang))
    indicator_names = {ind.id: pick(ind.name) for _cat, ind in framework.indicators()}
    category_names = dict(categories)
    records = [{str(k): v for k, v in r.items()} for r in comparison.spread.to_dict("records")]
    differ = [
        {
            "indicator": indicator_names.get(r["indicator"], r["indicator"]),
            "category": category_names.get(r["category"], r["category"]),
            "unit": r["unit"],
            "cities": int(r["cities"]),
            "spread": float(r["spread"]),
            "lowest": names.get(r["lowest_city"], r["lowest_city"]),
            "lowest_value": float(r["lowest_value"]),
            "lowest_share": float(r["lowest_share"]),
            "highest": names.get(r["highest_city"], r["highest_city"]),
            "highest_value": float(r["highest_value"]),
            "highest_share": float(r["highest_share"]),
        }
        for r in records
    ]
    return {
        "comparison": comparison,
        "framework_name": pick(framework.name),
        "categories": categories,
        "rows": rows,
        "charts": charts,
        "many": len(comparison.latest) > service.MAX_LINES,
        "max_lines": service.MAX_LINES,
        "differ": differ,
        "missing": [names.get(s, s) for s in comparison.missing],
        "illustrative": any(p.illustrative for p in comparison.points),
        "years": comparison.years,
    }


def _chart(
    comparison: service.Comparison,
    title: str,
    series: list[service.Series],
    top: float,
    lang: str,
) -> dict[str, Any]:
    years = comparison.years
    description = _(
        "%(title)s from %(first)s to %(last)s, one line per series; the table below gives "
        "the values."
    ) % {"title": title, "first": years[0], "last": years[-1]}
    chart = svg.line_chart(
        years,
        [(s.name, s.values) for s in series],
        title=title,
        description=description,
        top=top if top > 0 else 1.0,
        tick_format=lambda v: format_number(v, lang, decimals=0),
    )
    return {
        "title": title,
        "svg": mark_safe(chart),  # built by ecocite.reports.svg, which escapes every text
        "series": series,
        "rows": [(y, [s.values[i] for s in series]) for i, y in enumerate(years)],
    }


DOWNLOADS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


# The HTML report is one self-contained document with its own <style> (no script).
@csp_update({"style-src": ["'unsafe-inline'"]})  # type: ignore[arg-type]  # typed for 1-arg views
def compare_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """Download the comparison asked for: CSV, XLSX, or the portfolio report (HTML or PDF)."""
    if fmt not in DOWNLOADS:
        raise Http404(fmt)
    form, selection, choices = selection_from(request.GET)
    if selection is None:
        return HttpResponse(
            "; ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    comparison = service.build(selection, choices=choices)
    if not comparison.points:
        return HttpResponse(
            _("No finished assessment matches this comparison."),
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    lang = engine_lang()
    if fmt == "csv":
        content = service.csv_bytes(comparison, lang=lang)
    elif fmt == "xlsx":
        content = service.xlsx_bytes(
            comparison, lang=lang, sheet_names=(_("Comparison"), _("Differ most"))
        )
    else:
        try:
            content = service.comparison_report(comparison, lang=lang, pdf=fmt == "pdf")
        except service.PdfUnavailableError:
            raise Http404("PDF rendering needs the 'pdf' extra (WeasyPrint)") from None
    response = HttpResponse(content, content_type=DOWNLOADS[fmt])
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="ecocite-comparison-{lang}.{fmt}"'
    return response
