"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from ecocite.web.core.capabilities import capabilities


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Return the menu built from the manifests and the site title."""
    menu = [entry for cap in capabilities() for entry in cap.menu]
    return {
        "menu": menu,
        "site_title": settings.SITE_TITLE,
        # Untranslated on purpose: each option of the switcher is written in its own language.
        "language_choices": [(code, str(name)) for code, name in settings.LANGUAGES],
    }
