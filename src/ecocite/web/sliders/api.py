"""The sliders API: scenario sites (read), the evaluation of slider positions, visions.

The same services and rules as the pages: evaluating is public; submitting follows the process's
``propose`` action; organisers read every vision of their sites, others only their own.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ecocite.web.core.api_fields import SlugField
from ecocite.web.core.languages import pick
from ecocite.web.sliders import services
from ecocite.web.sliders.models import SliderSite, Vision


class SliderSiteSerializer(serializers.ModelSerializer):
    """A scenario site: its sliders (range, unit, today's value) and facilities offered."""

    process = SlugField(slug_field="slug", read_only=True)
    title = serializers.CharField(read_only=True)
    slider_ranges = serializers.SerializerMethodField()

    class Meta:
        model = SliderSite
        fields = ["id", "process", "title", "title_fr", "title_zh", "title_en", "sliders",
                  "slider_ranges", "facilities", "illustrative"]  # fmt: skip

    def get_slider_ranges(self, obj: SliderSite) -> list[dict[str, Any]]:
        """Give each offered slider's name, unit, range, step and today's value."""
        today = obj.site.defaults()
        rows = []
        for key in obj.sliders:
            s = obj.site.slider(key)
            rows.append({"id": key, "name": pick(dict(s.name)), "unit": s.unit, "min": s.min,
                         "max": s.max, "step": s.step, "today": today[key]})  # fmt: skip
        return rows


class SliderSiteViewSet(viewsets.ReadOnlyModelViewSet):
    """Scenario sites of the consultation processes; ``evaluate`` computes a vision's effect."""

    serializer_class = SliderSiteSerializer
    queryset = SliderSite.objects.select_related("process__city").order_by("pk")

    @extend_schema(
        parameters=[
            OpenApiParameter("<slider id>", OpenApiTypes.NUMBER, description="a slider's position"),
            OpenApiParameter("facility", OpenApiTypes.STR, many=True, description="facility added"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def evaluate(self, request: Request, pk: str | None = None) -> Response:
        """Evaluate slider positions (sliders left out stay at today's value)."""
        from ecocite.web.sliders.views import results_payload

        site = self.get_object()
        settings = {}
        for key in site.sliders:
            raw = request.query_params.get(key)
            if raw not in (None, ""):
                try:
                    settings[key] = float(raw)
                except ValueError as err:
                    raise exceptions.ValidationError({key: ["a number"]}) from err
        facilities = request.query_params.getlist("facility")
        try:
            result = services.evaluate_vision(site, settings, facilities)
        except DjangoValidationError as err:
            raise exceptions.ValidationError(err.message_dict) from err
        return Response(results_payload(site, result))


class VisionSerializer(serializers.ModelSerializer):
    """A submitted vision: slider positions, facilities added, title and text."""

    site = serializers.PrimaryKeyRelatedField(queryset=SliderSite.objects.all())
    settings = serializers.DictField(child=serializers.FloatField())
    facilities = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = Vision
        fields = ["id", "site", "title", "text", "college", "settings", "facilities",
                  "illustrative", "created_at"]  # fmt: skip
        read_only_fields = ["illustrative", "created_at"]


class VisionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Visions: one's own, and every vision of the sites one organises; POST submits one."""

    serializer_class = VisionSerializer
    queryset = Vision.objects.none()  # narrowed per person in get_queryset

    def get_queryset(self) -> QuerySet[Vision]:
        """Give the visions the asker may read."""
        user = self.request.user
        if not user.is_authenticated:
            return Vision.objects.none()
        sites = [
            s.pk
            for s in SliderSite.objects.select_related("process__city")
            if user.has_perm("sliders.view_visions", s)
        ]
        return Vision.objects.filter(author=user) | Vision.objects.filter(site_id__in=sites)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Submit (or replace) one's vision."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not request.session.session_key:
            request.session.save()
        try:
            vision = services.submit_vision(
                request.user, data["site"], settings=data["settings"],
                facilities=data.get("facilities", []), title=data["title"],
                text=data.get("text", ""), college=data.get("college", ""),
                session_key=request.session.session_key or "",
            )  # fmt: skip
        except DjangoPermissionDenied as err:
            if not request.user.is_authenticated:
                raise exceptions.NotAuthenticated() from err
            raise exceptions.PermissionDenied(str(err)) from err
        except DjangoValidationError as err:
            detail = err.message_dict if hasattr(err, "error_dict") else {"detail": err.messages}
            raise exceptions.ValidationError(detail) from err
        return Response(self.get_serializer(vision).data, status=status.HTTP_201_CREATED)
