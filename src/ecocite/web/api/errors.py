"""Errors under ``/api/`` answer in JSON, as the schema says, even when no API view ran.

Django answers a request that matches no route (a city identifier with a character a slug cannot
hold), a refused body or a crash with its own HTML page. An API client reads JSON; these handlers
give it ``{"detail": …}`` for paths under ``/api/`` and leave every other page to Django's views.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception: Any) -> HttpResponse:
    """Answer a bad request under /api/ in JSON, elsewhere with the site page."""
    if _is_api(request):
        return JsonResponse({"detail": "bad request"}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Any) -> HttpResponse:
    """Answer a refusal under /api/ in JSON, elsewhere with the site page."""
    if _is_api(request):
        return JsonResponse({"detail": "you may not do this here"}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Any) -> HttpResponse:
    """Answer a missing page under /api/ in JSON, elsewhere with the site page."""
    if _is_api(request):
        return JsonResponse({"detail": "not found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer a server error under /api/ in JSON, elsewhere with the site page."""
    if _is_api(request):
        return JsonResponse({"detail": "server error"}, status=500)
    return defaults.server_error(request)
