"""The API's own documents: its root page and its OpenAPI schema, readable in a browser."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.utils.text import slugify
from django.utils.translation import gettext as _
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import APIRootView

VIEWABLE_YAML = "text/plain; charset=utf-8"


class EcoCiteAPIRoot(APIRootView):
    """The list of the API's collections, described in the reader's language."""

    def get_view_name(self) -> str:
        """Name the API in the reader's language."""
        return _("EcoCité API")

    def get_view_description(self, html: bool = False) -> str:
        """Describe the API in the reader's language."""
        return _(
            "Cities, datasets, assessments and reference frameworks of the EcoCité platform. "
            "Reading is open; writing needs a token (POST /api/v1/token/) or a signed-in session. "
            "The OpenAPI schema is at /api/v1/schema/ (YAML, or ?format=json) and the interactive "
            "documentation at /api/v1/docs/."
        )


def content_disposition(name: str) -> str:
    """Return ``inline`` with an ASCII-safe ``filename`` and the exact name as ``filename*``.

    The exact name goes in RFC 5987 form: a raw non-ASCII header is refused or garbled by some
    clients.
    """
    stem, _dot, suffix = name.rpartition(".")
    ascii_name = f"{slugify(stem) or 'schema'}.{suffix}"
    return f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema shown in the browser rather than downloaded.

    YAML as plain text by default, JSON with ``?format=json``.
    """

    @extend_schema(**SCHEMA_KWARGS)  # as the parent's: the schema endpoint keeps its own entry
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Answer the schema inline, with an ASCII-safe file name."""
        response: Response = super().get(request, *args, **kwargs)
        renderer = self.perform_content_negotiation(request, force=True)[0]
        name = f"{spectacular_settings.TITLE or 'schema'}.{renderer.format}"
        response["Content-Disposition"] = content_disposition(name)
        if renderer.format == "yaml":
            response.content_type = VIEWABLE_YAML
        return response
