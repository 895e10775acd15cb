"""Pages of the maps app: a city's map files and its place search (public, read-only).

Layers and cells are the files of the city's built map, sent gzip-compressed when the browser
accepts it; the place search answers JSON for the place widget's list box.
"""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers

from ecocite.maps.osm import LAYERS, TILED
from ecocite.web.cities.models import City
from ecocite.web.maps import services

WHOLE = frozenset(set(LAYERS) - set(TILED))


def _file(request: HttpRequest, path: Path) -> HttpResponse:
    if not path.is_file():
        raise Http404
    zipped = path.with_name(path.name + ".gz")
    if zipped.is_file() and "gzip" in request.headers.get("Accept-Encoding", ""):
        response = FileResponse(zipped.open("rb"), content_type="application/geo+json")
        response["Content-Encoding"] = "gzip"
    else:
        response = FileResponse(path.open("rb"), content_type="application/geo+json")
    patch_vary_headers(response, ["Accept-Encoding"])
    patch_cache_control(response, public=True, max_age=3600)
    return response


def layer(request: HttpRequest, slug: str, layer: str) -> HttpResponse:
    """Serve one whole layer of a city's map (streets, water, parks, heritage)."""
    city = get_object_or_404(City, slug=slug)
    if layer not in WHOLE:
        raise Http404
    return _file(request, services.map_folder(city) / f"{layer}.geojson")


def tile(request: HttpRequest, slug: str, layer: str, cell: str) -> HttpResponse:
    """Serve one cell of a street-level layer (buildings, lanes)."""
    city = get_object_or_404(City, slug=slug)
    if layer not in TILED:
        raise Http404
    return _file(request, services.map_folder(city) / "tiles" / layer / f"{cell}.geojson")


def manifest(request: HttpRequest, slug: str) -> JsonResponse:
    """Describe a city's map: layers, cells, bounds, credit line, where files are."""
    city = get_object_or_404(City, slug=slug)
    built = services.manifest(city)
    if built is None:
        raise Http404
    base = reverse("maps:manifest", args=[slug]).rsplit("/", 1)[0] + "/"
    response = JsonResponse(
        {
            "base": base,
            "bounds": built["bounds"],
            "attribution": built["attribution"],
            "licence": built["licence"],
            "counts": built["counts"],
            "cell_deg": built["cell_deg"],
            "tiles": built["tiles"],
            "source": {"file": built["source"]["file"], "date": built["source"]["date"]},
        }
    )
    patch_cache_control(response, public=True, max_age=600)
    return response


def places(request: HttpRequest, slug: str) -> JsonResponse:
    """Search a city's places: ``?q=words`` (every word starts a word of the place).

    ``bbox=west,south,east,north`` keeps only the places inside it.
    """
    city = get_object_or_404(City, slug=slug)
    query = request.GET.get("q", "")[:200]
    within = None
    if request.GET.get("bbox"):
        try:
            w, s, e, n = (float(v) for v in request.GET["bbox"].split(","))
        except ValueError:
            return JsonResponse({"error": "bbox: four numbers west,south,east,north"}, status=400)
        within = {
            "type": "Polygon",
            "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
        }
    found = services.search_places(city, query, within=within)
    return JsonResponse(
        {
            "query": query,
            "results": [
                {
                    "id": i,
                    "label": p.label,
                    "kind": p.kind,
                    "kind_label": services.kind_label(p.kind),
                    "geometry": p.geometry(),
                }
                for i, p in found
            ],
        }
    )
