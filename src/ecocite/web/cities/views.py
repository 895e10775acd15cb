"""The portfolio: map and list of cities, and each city's page."""

from __future__ import annotations

import gzip
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition

from ecocite.web.assessments.charts import score_trend
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.cities.forms import CityForm
from ecocite.web.cities.lookups import city_from_slug
from ecocite.web.cities.models import City
from ecocite.web.cities.services import BoundaryRejected, save_city
from ecocite.web.core.freshness import data_version, fragments
from ecocite.web.core.languages import engine_lang, pick
from ecocite.web.core.permissions import permission_required


def city_list(request: HttpRequest) -> HttpResponse:
    """List the cities, filtered by a search text, country and level."""
    q = request.GET.get("q", "").strip()
    country = request.GET.get("country", "").strip().upper()
    level = request.GET.get("level", "")
    page_number = request.GET.get("page", "1")
    key = f"list:{get_language()}:{data_version()}:{q}:{country}:{level}:{page_number}"
    body = fragments().get(key)
    if body is None:
        body = render_to_string(
            "cities/_list_body.html",
            _list_context(q=q, country=country, level=level, page_number=page_number),
            request=request,
        )
        fragments().set(key, body, timeout=3600)
    can_add = request.user.has_perm("cities.add_city")
    return render(request, "cities/list.html", {"body": body, "can_add": can_add})


def _list_context(*, q: str, country: str, level: str, page_number: str) -> dict[str, object]:
    cities = City.objects.only(
        "slug", "name_fr", "name_zh", "name_en", "country", "province_fr", "province_zh",
        "province_en", "latest_level", "latest_level_name", "latest_score", "latest_year",
        "illustrative",
    )  # fmt: skip
    if q:
        cities = cities.filter(
            Q(name_fr__icontains=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q)
            | Q(slug__icontains=q)
        )  # fmt: skip
    if country:
        cities = cities.filter(country=country)
    if level == "none":
        cities = cities.filter(latest_level="")
    elif level:
        cities = cities.filter(latest_level=level)
    page = Paginator(cities, 50).get_page(page_number)
    countries = City.objects.order_by("country").values_list("country", flat=True).distinct()
    # Level ids with their names in the active language, lowest level first.
    named = City.objects.exclude(latest_level="").values_list(
        "latest_level", "latest_level_name", "latest_level_rank"
    )
    levels = sorted({(rank, lid, pick(name) or lid) for lid, name, rank in named})
    return {
        "page": page,
        "q": q,
        "country": country,
        "level": level,
        "countries": list(countries),
        "levels": [(lid, name) for _, lid, name in levels],
    }


def _map_etag(request: HttpRequest) -> str:
    return f"{engine_lang()}-{data_version()}"


@cache_control(max_age=60)
@condition(etag_func=_map_etag)
def city_map_data(request: HttpRequest) -> HttpResponse:
    """Simplified boundaries of every city, with the label level, for the portfolio map.

    The body is cached under its ETag (language, cities, finished assessments), so it is built
    once per change rather than once per visit.
    """
    key = f"map:{_map_etag(request)}"
    bodies = fragments().get(key)
    if bodies is None:
        plain = json.dumps(_map_features(), ensure_ascii=False, separators=(",", ":")).encode()
        bodies = (plain, gzip.compress(plain, compresslevel=6, mtime=0))
        fragments().set(key, bodies, timeout=3600)
    # Browsers accept gzip: send the body compressed once rather than ~1 MB of JSON each time.
    wants_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = HttpResponse(bodies[1] if wants_gzip else bodies[0], content_type="application/json")
    if wants_gzip:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _map_geometry(outline: dict[str, Any]) -> Any:
    """Return the outline thinned for a country-scale map (0.01° ≈ 1 km), coordinates rounded."""
    from shapely.geometry import mapping, shape

    return _rounded(mapping(shape(outline).simplify(0.01, preserve_topology=True)))


def _rounded(geometry: Any, digits: int = 3) -> Any:
    """Coordinates rounded to ``digits`` decimals of a degree (3 ≈ 100 m): a lighter map."""
    if isinstance(geometry, dict):
        return {k: _rounded(v, digits) for k, v in geometry.items()}
    if isinstance(geometry, list | tuple):
        return [_rounded(v, digits) for v in geometry]
    if isinstance(geometry, float):
        return round(geometry, digits)
    return geometry


def _label_point(outline: dict[str, Any]) -> list[float]:
    """[lat, lon] of a point inside the outline (Leaflet's order), for the city's dot and label."""
    from shapely.geometry import shape

    point = shape(outline).representative_point()
    return [round(point.y, 3), round(point.x, 3)]


def _map_features() -> dict[str, object]:
    features = [
        {
            "type": "Feature",
            "geometry": _map_geometry(city.map_outline),
            "properties": {
                "slug": city.slug,
                "name": city.name,
                # Where the city's dot and name go: a point inside its outline.
                "label": _label_point(city.map_outline),
                "level": city.latest_level,
                "rank": city.latest_level_rank,
                "level_name": city.level_name,
                "year": city.latest_year,
                "illustrative": city.illustrative,
            },
        }
        for city in City.objects.exclude(map_outline=None).only(
            "slug",
            "name_fr",
            "name_zh",
            "name_en",
            "map_outline",
            "latest_level",
            "latest_level_name",
            "latest_year",
            "illustrative",
        )
    ]
    return {"type": "FeatureCollection", "features": features}


def city_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show a city: profile, map, label history, assessments and datasets."""
    key = f"city:{slug}:{get_language()}:{data_version()}"
    cached = fragments().get(key)
    if cached is None:
        try:
            context = _detail_context(slug)
        except City.DoesNotExist:
            raise Http404(slug) from None
        city = context["city"]
        assert isinstance(city, City)
        cached = {
            "pk": city.pk,
            "name": city.name,
            "illustrative": city.illustrative,
            "body": render_to_string("cities/_detail_body.html", context, request=request),
        }
        fragments().set(key, cached, timeout=3600)
    # Permission rules need only the city's identity.
    city = City(pk=cached["pk"], slug=slug)
    user = request.user
    return render(
        request,
        "cities/detail.html",
        {
            "slug": slug,
            **cached,
            "can_upload": user.has_perm("datasets.add_dataset", city),
            "can_assess": user.has_perm("assessments.add_assessment", city),
            "can_edit": user.has_perm("cities.change_city", city),
        },
    )


def _detail_context(slug: str) -> dict[str, object]:
    city = City.objects.defer("boundary").get(slug=slug)
    assessments = list(
        city.assessments.only(
            "id", "city_id", "year", "stage", "framework_key", "status", "level", "level_name",
            "score", "finished_at", "created_at", "illustrative", "progress",
        ).order_by("-year", "-created_at")
    )  # fmt: skip
    finished = sorted(
        (a for a in assessments if a.status == Status.FINISHED), key=lambda a: (a.year, a.pk)
    )
    # Label history: the level of the latest finished assessment of each year.
    history: dict[int, AssessmentRun] = {a.year: a for a in finished}
    return {
        "city": city,
        "assessments": assessments[:100],
        "history": [history[y] for y in sorted(history, reverse=True)],
        "trend": score_trend([(y, history[y].score or 0.0) for y in sorted(history)]),
        "outline": city.map_outline,
        "datasets": list(city.datasets.select_related("uploaded_by").defer("file")[:50]),
    }


def _city_form_page(request: HttpRequest, city: City | None) -> HttpResponse:
    form = CityForm(request.POST or None, request.FILES or None, instance=city)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            uploaded = form.cleaned_data.get("boundary_file")
            boundary = None
            if uploaded:
                # At most one byte past the limit: an oversized file is never read whole.
                boundary = (uploaded.name, bytes(uploaded.read(settings.UPLOAD_MAX_BYTES + 1)))
            try:
                if boundary and len(boundary[1]) > settings.UPLOAD_MAX_BYTES:
                    raise BoundaryRejected("boundary_file", _("The file is too large."))
                saved = save_city(
                    form.instance, boundary=boundary, code_changed="admin_code" in form.changed_data
                )
            except BoundaryRejected as exc:
                form.add_error(exc.field, str(exc))
            else:
                messages.success(request, _("%(name)s saved.") % {"name": saved.name})
                return redirect("cities:detail", slug=saved.slug)
    return render(request, "cities/form.html", {"form": form, "city": city}, status=status)


@permission_required("cities.add_city")
def city_add(request: HttpRequest) -> HttpResponse:
    """Administrators add a city (the same as ``ecocite city add`` or ``POST /api/v1/cities/``)."""
    return _city_form_page(request, None)


@permission_required("cities.change_city", fn=city_from_slug)
def city_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Administrators and the city's officials correct its names, codes and boundary."""
    return _city_form_page(request, get_object_or_404(City, slug=slug))
