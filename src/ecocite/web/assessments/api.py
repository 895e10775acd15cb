"""The assessments API: queue an assessment, poll it, read the frozen result."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from ecocite.data.tidy import MAX_YEAR, MIN_YEAR
from ecocite.frameworks import Stage, UnknownFrameworkError
from ecocite.web.assessments.models import AssessmentRun
from ecocite.web.assessments.services import request_assessment
from ecocite.web.cities.models import City
from ecocite.web.core.api_fields import SlugField
from ecocite.web.core.permissions import require
from ecocite.web.frameworks.registry import framework_by_key


class AssessmentSerializer(serializers.ModelSerializer):
    """An assessment run in the API: request fields and its state."""

    city = SlugField(slug_field="slug", queryset=City.objects.all())
    stage = serializers.ChoiceField(choices=[s.value for s in Stage])

    class Meta:
        model = AssessmentRun
        fields = [
            "id", "city", "framework_key", "stage", "year", "status", "progress", "created_at",
            "finished_at", "level", "score", "data_hash", "illustrative", "error",
        ]  # fmt: skip
        read_only_fields = [
            "status", "progress", "created_at", "finished_at", "level", "score", "data_hash",
            "illustrative", "error",
        ]  # fmt: skip
        extra_kwargs = {"year": {"min_value": MIN_YEAR, "max_value": MAX_YEAR}}

    def validate_stage(self, value: str) -> str:
        """Refuse an unknown evaluation stage."""
        if value not in {s.value for s in Stage}:
            raise serializers.ValidationError(f"expected one of {[s.value for s in Stage]}")
        return value


class AssessmentDetailSerializer(AssessmentSerializer):
    """An assessment run with its frozen result."""

    result = serializers.JSONField(read_only=True)

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "result"]


class AssessmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Assessments in the API: list, read, and request a new one."""

    queryset = AssessmentRun.objects.select_related("city").order_by("-created_at", "-id")

    def get_queryset(self) -> Any:
        """Return the runs, of one city with ``?city=``; results only when reading one."""
        qs = super().get_queryset()
        city = self.request.query_params.get("city")
        if city:
            qs = qs.filter(city__slug=city)
        return qs if self.action == "retrieve" else qs.defer("result", "snapshot")

    def get_serializer_class(self) -> Any:
        """Return the detail serializer when reading one run, the short one otherwise."""
        return AssessmentDetailSerializer if self.action == "retrieve" else AssessmentSerializer

    @extend_schema(request=AssessmentSerializer, responses={202: AssessmentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Queue an assessment (202); poll its ``status`` and ``progress`` until ``finished``.

        Who may is checked before what is sent: for the named city if it exists, otherwise as
        for any city, so a person without the right gets 403 whatever the body holds.
        """
        slug = request.data.get("city") if hasattr(request.data, "get") else None
        city = City.objects.filter(slug=slug).first() if isinstance(slug, str) else None
        require(request, "assessments.add_assessment", city)
        serializer = AssessmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require(request, "assessments.add_assessment", data["city"])
        try:
            framework_by_key(data["framework_key"])
        except UnknownFrameworkError:
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
        return Response(AssessmentSerializer(run).data, status=status.HTTP_202_ACCEPTED)
