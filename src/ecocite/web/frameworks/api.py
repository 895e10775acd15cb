"""The frameworks API: bundled and uploaded reference frameworks, in full."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from ecocite.frameworks import UnknownFrameworkError
from ecocite.web.frameworks.registry import available_frameworks, framework_by_key


class FrameworkSummarySerializer(serializers.Serializer):
    """A framework in the API list: key, id, version and names."""

    key = serializers.CharField()
    id = serializers.CharField()
    version = serializers.CharField()
    name = serializers.DictField(child=serializers.CharField())
    indicators = serializers.IntegerField()

    @staticmethod
    def of(framework: Any) -> dict[str, Any]:
        """Return the summary of a framework."""
        return {
            "key": framework.key,
            "id": framework.id,
            "version": framework.version,
            "name": framework.name.model_dump(),
            "indicators": len(framework.indicator_ids()),
        }


class FrameworkViewSet(viewsets.GenericViewSet):
    """Bundled and uploaded reference frameworks (full content as in the YAML)."""

    lookup_value_regex = r"[^/]+"
    serializer_class = FrameworkSummarySerializer

    def get_queryset(self) -> Any:
        """Return every framework the platform knows, bundled and uploaded."""
        return list(available_frameworks().values())

    @extend_schema(responses=FrameworkSummarySerializer(many=True))
    def list(self, request: Request) -> Response:
        """Paginated like every list of the API (``count``, ``next``, ``previous``)."""
        rows = [FrameworkSummarySerializer.of(fw) for fw in self.get_queryset()]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(page if page is not None else rows)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        """Return a framework's full content, as in its YAML file."""
        try:
            framework = framework_by_key(pk or "")
        except UnknownFrameworkError:
            raise Http404 from None
        return Response(framework.model_dump(mode="json"))
