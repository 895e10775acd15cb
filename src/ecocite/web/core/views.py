"""Home page (the portfolio) and the language switcher."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from ecocite.web.core.capabilities import capabilities
from ecocite.web.core.freshness import data_version, fragments
from ecocite.web.core.languages import LANGUAGE_SESSION_KEY


def home(request: HttpRequest) -> HttpResponse:
    """Show the home page: portfolio map and statistics."""
    entries = [(label, count) for cap in capabilities() for label, count in cap.statistics.items()]
    key = f"stats:{data_version()}"
    counts = fragments().get(key)
    if counts is None:
        counts = [count() for _, count in entries]
        fragments().set(key, counts, timeout=3600)
    # Labels are translated per request; only the numbers are cached.
    stats = [(label, value) for (label, _), value in zip(entries, counts, strict=True)]
    return render(
        request,
        "core/home.html",
        {
            "stats": stats,
            "map_tiles": settings.MAP_TILE_URL,
            "map_tiles_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Remember the chosen language for this session (and in a cookie for anonymous visits)."""
    lang = request.POST.get("language", "")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if lang in dict(settings.LANGUAGES) and check_for_language(lang):
        request.session[LANGUAGE_SESSION_KEY] = lang
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, lang, samesite="Lax", httponly=True, max_age=365 * 86400
        )
    return response
