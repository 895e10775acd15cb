"""Find the city a page is about, for views of other apps and their permission checks."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from ecocite.web.cities.models import City


def city_from_slug(request: HttpRequest, slug: str, **kwargs: Any) -> City:
    """Return the city named by the URL's ``slug`` (without its heavy geometry), or a 404.

    Kept on the request, so the permission check and the view read the city once.
    """
    found: dict[str, City] = request.__dict__.setdefault("_ecocite_cities", {})
    if slug not in found:
        found[slug] = get_object_or_404(City.objects.defer("boundary", "map_outline"), slug=slug)
    return found[slug]
