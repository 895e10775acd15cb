"""The datasets API: list datasets; send a table for a city, poll its check, confirm or discard."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecocite.data import DataImportError
from ecocite.frameworks import UnknownFrameworkError
from ecocite.web.cities.models import City
from ecocite.web.core.permissions import require
from ecocite.web.core.row_errors import API_ERRORS_SHOWN, api_error_body, localised
from ecocite.web.datasets.models import Dataset, PendingUpload
from ecocite.web.datasets.services import read_capped
from ecocite.web.datasets.uploads import (
    UploadNotReady,
    confirm,
    discard,
    store_upload,
    stored_errors,
)
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
            "uploaded_by", "uploaded_at", "illustrative", "withdrawn_at", "withdrawn_reason",
            "replaced_by",
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


class UploadSerializer(serializers.ModelSerializer):
    """A stored upload: its check's status, then its preview or its row errors."""

    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    errors = serializers.SerializerMethodField()
    errors_truncated = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField()
    confirm_url = serializers.SerializerMethodField()
    replaces = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    dataset = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = PendingUpload
        fields = [
            "id", "city", "framework_key", "original_name", "sha256", "status", "progress",
            "created_at", "finished_at", "error_count", "errors_truncated", "errors", "preview",
            "replaces", "dataset", "status_url", "confirm_url",
        ]  # fmt: skip

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_errors(self, pending: PendingUpload) -> list[dict[str, Any]]:
        """Return the row errors (file, row, field, message_id, params, message in the reader's language)."""
        return [
            {**e.as_dict(), "message": localised(e)}
            for e in stored_errors(pending)[:API_ERRORS_SHOWN]
        ]

    def get_errors_truncated(self, pending: PendingUpload) -> bool:
        """Tell whether more errors were found than listed."""
        return pending.error_count > len(pending.errors[:API_ERRORS_SHOWN])

    def get_status_url(self, pending: PendingUpload) -> str:
        """Return the address to poll."""
        return self._url(f"/api/v1/uploads/{pending.pk}/")

    def get_confirm_url(self, pending: PendingUpload) -> str:
        """Return the address to POST to once the status is ``ready``."""
        return self._url(f"/api/v1/uploads/{pending.pk}/confirm/")

    def _url(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class CityDatasetUpload(APIView):
    """Send a tidy indicator table for a city: it is stored and checked in the background."""

    # Also tells the schema the ``slug`` path parameter is the city's.
    queryset = City.objects.defer("boundary", "map_outline")
    parser_classes = [MultiPartParser, FormParser]
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = DatasetUploadSerializer

    @extend_schema(request=DatasetUploadSerializer, responses={202: UploadSerializer})
    def post(self, request: Request, slug: str) -> Response:
        """Store a tidy table for this city and queue its check (202).

        Poll ``status_url`` until ``status`` is ``ready`` (then read ``preview`` and POST to
        ``confirm_url`` to import it, all or nothing) or ``rejected`` (``errors`` lists file, row
        and field; nothing was imported). A file refused on its bytes alone (type, size, NUL
        bytes, encoding) is answered 422 at once.
        """
        city = get_object_or_404(self.queryset, slug=slug)
        require(request, "datasets.add_dataset", city)
        form = DatasetUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        uploaded = form.validated_data["file"]
        try:
            pending = store_upload(
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
        body = UploadSerializer(pending, context={"request": request}).data
        return Response(
            body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["status_url"]}
        )


CONFLICT = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="The upload is not in a state that allows this (being checked or imported).",
)


class UploadViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Stored uploads: poll a check, confirm the import, or discard (same rules as the pages)."""

    queryset = PendingUpload.objects.select_related("city", "dataset", "replaces")
    serializer_class = UploadSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self) -> PendingUpload:
        """Return the upload if the person may upload for its city (403 otherwise)."""
        pending: PendingUpload = super().get_object()
        require(self.request, "datasets.add_dataset", pending.city)
        return pending

    @extend_schema(request=None, responses={202: UploadSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """Import a checked upload (status ``ready``), all or nothing, in the background (202).

        Poll the upload until ``status`` is ``imported`` (``dataset`` names the new dataset).
        """
        pending = self.get_object()
        try:
            confirm(pending, user=request.user)
        except UploadNotReady:
            return Response(
                {"detail": _("This upload is not waiting for a confirmation.")},
                status=status.HTTP_409_CONFLICT,
            )
        pending.refresh_from_db()
        body = UploadSerializer(pending, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={204: None, 409: CONFLICT})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Discard a stored upload and its file; nothing is imported."""
        pending = self.get_object()
        try:
            discard(pending)
        except UploadNotReady:
            return Response(
                {"detail": _("This upload is being worked on; try again in a moment.")},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)
