"""The datasets API: list accepted uploads, push a tidy table for a city (all or nothing)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecocite.data import DataImportError
from ecocite.frameworks import UnknownFrameworkError
from ecocite.web.cities.models import City
from ecocite.web.core.permissions import require
from ecocite.web.core.row_errors import api_error_body
from ecocite.web.datasets.models import Dataset
from ecocite.web.datasets.services import import_upload, read_capped
from ecocite.web.frameworks.registry import default_framework_key


class DatasetSerializer(serializers.ModelSerializer):
    """An accepted dataset in the API."""

    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    uploaded_by = serializers.CharField(
        source="uploaded_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Dataset
        fields = [
            "id", "city", "framework_key", "original_name", "sha256", "data_hash", "rows", "years",
            "uploaded_by", "uploaded_at", "illustrative",
        ]  # fmt: skip


class DatasetUploadSerializer(serializers.Serializer):
    """The fields of a dataset upload through the API."""

    file = serializers.FileField()
    framework = serializers.CharField(required=False, help_text="framework id@version")


class DatasetViewSet(viewsets.ReadOnlyModelViewSet):
    """Accepted uploads (``?city=<id>`` for one city), newest first."""

    queryset = Dataset.objects.select_related("city", "uploaded_by").order_by("-uploaded_at", "-id")
    serializer_class = DatasetSerializer

    def get_queryset(self) -> Any:
        """Return the datasets, of one city with ``?city=``."""
        qs = super().get_queryset()
        city = self.request.query_params.get("city")
        return qs.filter(city__slug=city) if city else qs


class CityDatasetUpload(APIView):
    """Push a tidy indicator table for a city."""

    # Also tells the schema the ``slug`` path parameter is the city's.
    queryset = City.objects.defer("boundary", "map_outline")
    parser_classes = [MultiPartParser, FormParser]
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = DatasetUploadSerializer

    @extend_schema(request=DatasetUploadSerializer, responses={201: DatasetSerializer})
    def post(self, request: Request, slug: str) -> Response:
        """Push a tidy indicator table for this city; all or nothing, 422 with row errors."""
        city = get_object_or_404(self.queryset, slug=slug)
        require(request, "datasets.add_dataset", city)
        form = DatasetUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        uploaded = form.validated_data["file"]
        try:
            dataset = import_upload(
                uploaded.name,
                read_capped(uploaded),
                city=city,
                framework_key=form.validated_data.get("framework") or default_framework_key(),
                user=request.user,
            )
        except UnknownFrameworkError as exc:
            raise ValidationError(
                {"framework": _("Unknown reference framework: %(key)s") % {"key": exc.key}}
            ) from None
        except DataImportError as exc:
            return Response(
                api_error_body(exc.errors, detail=_("Nothing was imported.")),
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return Response(DatasetSerializer(dataset).data, status=status.HTTP_201_CREATED)
