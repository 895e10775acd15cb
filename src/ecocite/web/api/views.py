"""The REST API: cities, datasets, assessments and frameworks. Same rules as the pages."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from ecocite.data import DataImportError
from ecocite.web.api import serializers as s
from ecocite.web.assessments.models import AssessmentRun
from ecocite.web.assessments.services import request_assessment
from ecocite.web.cities.models import City
from ecocite.web.datasets.models import Dataset
from ecocite.web.datasets.services import import_upload, read_capped
from ecocite.web.frameworks.registry import (
    available_frameworks,
    default_framework_key,
    framework_by_key,
)


def require(request: Request, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(f"ecocite.{perm}", obj):
        # In the caller's language (Accept-Language), with the rule's id for client code.
        raise PermissionDenied(
            _("Your roles do not allow this action here (%(rule)s).") % {"rule": perm}
        )


class CityViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    queryset = City.objects.defer("map_outline").order_by("slug")

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        return qs if self.action == "retrieve" else qs.defer("boundary")

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return s.CityDetailSerializer
        if self.action == "upload":
            return s.DatasetUploadSerializer
        return s.CitySerializer

    def perform_create(self, serializer: Any) -> None:
        require(self.request, "add_city")
        serializer.save()

    @extend_schema(request=s.DatasetUploadSerializer, responses={201: s.DatasetSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="datasets",
        parser_classes=[MultiPartParser, FormParser],
        permission_classes=[permissions.IsAuthenticated],
    )
    def upload(self, request: Request, slug: str | None = None) -> Response:
        """Push a tidy indicator table for this city; all or nothing, 422 with row errors."""
        city = self.get_object()
        require(request, "upload_data", city)
        form = s.DatasetUploadSerializer(data=request.data)
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
        except KeyError as exc:
            raise ValidationError(
                {"framework": _("Unknown reference framework: %(key)s") % {"key": exc}}
            ) from None
        except DataImportError as exc:
            return Response(
                {"detail": "nothing imported", "errors": [e.__dict__ for e in exc.errors]},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return Response(s.DatasetSerializer(dataset).data, status=status.HTTP_201_CREATED)


class DatasetViewSet(viewsets.ReadOnlyModelViewSet):
    """Accepted uploads (``?city=<id>`` for one city), newest first."""

    queryset = Dataset.objects.select_related("city", "uploaded_by").order_by("-uploaded_at", "-id")
    serializer_class = s.DatasetSerializer

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        city = self.request.query_params.get("city")
        return qs.filter(city__slug=city) if city else qs


class AssessmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = AssessmentRun.objects.select_related("city").order_by("-created_at", "-id")

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        city = self.request.query_params.get("city")
        if city:
            qs = qs.filter(city__slug=city)
        return qs if self.action == "retrieve" else qs.defer("result", "snapshot")

    def get_serializer_class(self) -> Any:
        return s.AssessmentDetailSerializer if self.action == "retrieve" else s.AssessmentSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Queue an assessment; poll its ``status`` and ``progress`` until ``finished``."""
        serializer = s.AssessmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require(request, "run_assessment", data["city"])
        try:
            framework_by_key(data["framework_key"])
        except KeyError:
            raise ValidationError({"framework_key": _("Unknown reference framework.")}) from None
        with transaction.atomic():
            run = request_assessment(
                data["city"],
                framework_key=data["framework_key"],
                stage=data["stage"],
                year=data["year"],
                user=request.user,
            )
        run.refresh_from_db()
        return Response(s.AssessmentSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class FrameworkViewSet(viewsets.ViewSet):
    """Bundled and uploaded reference frameworks (full content as in the YAML)."""

    lookup_value_regex = r"[^/]+"

    @extend_schema(responses=s.FrameworkSummarySerializer(many=True))
    def list(self, request: Request) -> Response:
        rows = [s.FrameworkSummarySerializer.of(fw) for fw in available_frameworks().values()]
        return Response({"count": len(rows), "next": None, "previous": None, "results": rows})

    @extend_schema(responses={200: dict})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        try:
            framework = framework_by_key(pk or "")
        except KeyError:
            raise Http404 from None
        return Response(framework.model_dump(mode="json"))


class SignInThrottle(AnonRateThrottle):
    scope = "sign_in"


class TokenView(ObtainAuthToken):
    """Exchange a user name and password for an API token (throttled)."""

    throttle_classes = [SignInThrottle]
