"""Apply a signed-in person's preferred language unless they chose another in this session."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from ecocite.web.core.languages import LANGUAGE_SESSION_KEY


class PreferredLanguageMiddleware:
    """Activate a signed-in person's preferred language unless they chose another one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Activate the language for this request, then answer it."""
        user = getattr(request, "user", None)
        chosen = request.session.get(LANGUAGE_SESSION_KEY) if hasattr(request, "session") else None
        lang = chosen or (
            user.preferred_language if user is not None and user.is_authenticated else None
        )
        if lang:
            translation.activate(lang)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
