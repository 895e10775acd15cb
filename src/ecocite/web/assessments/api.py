"""The assessments API: queue an assessment, poll it, read the frozen result."""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecocite.data.tidy import MAX_YEAR, MIN_YEAR
from ecocite.frameworks import Stage, UnknownFrameworkError
from ecocite.web.assessments import comparison
from ecocite.web.assessments.models import AssessmentRun
from ecocite.web.assessments.services import request_assessment
from ecocite.web.cities.models import City
from ecocite.web.core.api_fields import SlugField
from ecocite.web.core.freshness import data_version, fragments
from ecocite.web.core.permissions import require
from ecocite.web.frameworks.registry import default_framework_key, framework_by_key


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


class ComparisonQuerySerializer(serializers.Serializer):
    """What to compare (the comparison page's parameters)."""

    framework = serializers.CharField(required=False, help_text="framework id@version")
    stage = serializers.ChoiceField(choices=[s.value for s in Stage], required=False)
    set = serializers.CharField(
        required=False,
        help_text='a set of cities instead of "cities": "all", "country:<ISO code>", or one a '
        'registered provider offers ("programme:<slug>")',
    )
    cities = serializers.ListField(child=serializers.CharField(), required=False)
    years = serializers.ListField(
        child=serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR), required=False
    )


class ComparedCitySerializer(serializers.Serializer):
    """A city of the comparison."""

    id = serializers.CharField()
    name = serializers.DictField(child=serializers.CharField(), help_text="fr, zh, en")
    country = serializers.CharField()


class ComparedRowSerializer(serializers.Serializer):
    """One city-year: its latest finished assessment's score, level and category points."""

    city = serializers.CharField()
    year = serializers.IntegerField()
    assessment = serializers.IntegerField(help_text="the assessment run's id")
    score = serializers.FloatField(allow_null=True)
    completeness = serializers.FloatField(allow_null=True)
    level = serializers.CharField(allow_null=True)
    level_name = serializers.DictField(child=serializers.CharField(), allow_null=True)
    level_rank = serializers.IntegerField()
    illustrative = serializers.BooleanField()
    categories = serializers.DictField(child=serializers.FloatField())


class DifferMostSerializer(serializers.Serializer):
    """An indicator on which the cities differ (``spread``: s.d. of the points share, 0–0.5)."""

    indicator = serializers.CharField()
    category = serializers.CharField()
    unit = serializers.CharField()
    cities = serializers.IntegerField()
    spread = serializers.FloatField()
    mean_share = serializers.FloatField()
    lowest_city = serializers.CharField()
    lowest_value = serializers.FloatField()
    lowest_share = serializers.FloatField()
    highest_city = serializers.CharField()
    highest_value = serializers.FloatField()
    highest_share = serializers.FloatField()


class ComparisonSerializer(serializers.Serializer):
    """A comparison: the cities, every city-year, and the indicators where they differ most."""

    framework = serializers.CharField()
    stage = serializers.CharField()
    years = serializers.ListField(child=serializers.IntegerField())
    cities = ComparedCitySerializer(many=True)
    rows = ComparedRowSerializer(many=True)
    differ_most = DifferMostSerializer(many=True)


class ComparisonView(APIView):
    """Compare cities and years from their frozen assessments (the comparison page's data)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = ComparisonSerializer

    @extend_schema(parameters=[ComparisonQuerySerializer], responses={200: ComparisonSerializer})
    def get(self, request: Request) -> Response:
        """Return the comparison; without ``cities`` nor ``set``, every city.

        The body is cached per process under the data fingerprint and the parameters, as the
        comparison page is: a new finished assessment shows at once.
        """
        asked = sorted((k, sorted(request.query_params.getlist(k))) for k in request.query_params)
        digest = hashlib.sha1(repr(asked).encode(), usedforsecurity=False).hexdigest()[:20]
        key = f"compare-api:{data_version()}:{digest}"
        cached = fragments().get(key)
        if cached is not None:
            return _json_response(request, cached)
        query = ComparisonQuerySerializer(
            data={
                **{k: request.query_params.get(k) for k in ("framework", "stage", "set")
                   if k in request.query_params},
                **{k: request.query_params.getlist(k) for k in ("cities", "years")
                   if k in request.query_params},
            }
        )  # fmt: skip
        query.is_valid(raise_exception=True)
        data = query.validated_data
        city_set = data.get("set", "")
        if not city_set and not data.get("cities"):
            city_set = comparison.ALL
        try:
            selection = comparison.resolve(
                framework_key=data.get("framework") or default_framework_key(),
                stage=data.get("stage") or Stage.PLANNING_DESIGN.value,
                cities=data.get("cities", ()),
                years=data.get("years", ()),
                city_set=city_set,
            )
        except comparison.SelectionError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        result = comparison.build(selection)
        body = {
            "framework": result.framework.key,
            "stage": selection.stage,
            "years": result.years,
            "cities": [
                {"id": c.slug, "name": c.names, "country": c.country}
                for c in result.cities.values()
            ],
            "rows": [
                {
                    "city": p.city,
                    "year": p.year,
                    "assessment": p.run,
                    "score": p.score,
                    "completeness": p.completeness,
                    "level": p.level or None,
                    "level_name": p.level_name,
                    "level_rank": p.level_rank,
                    "illustrative": p.illustrative,
                    "categories": p.categories,
                }
                for p in result.points
            ],
            "differ_most": result.spread.to_dict("records"),
        }
        # Written once per change (the serializer documents the shape; the body is plain already).
        plain = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=float).encode()
        bodies = (plain, gzip.compress(plain, compresslevel=6, mtime=0))
        fragments().set(key, bodies, timeout=3600)
        return _json_response(request, bodies)


def _json_response(request: Request, bodies: tuple[bytes, bytes]) -> HttpResponse:
    """Send the cached JSON, gzip-compressed when the client accepts it (as browsers do)."""
    wants_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = HttpResponse(bodies[1] if wants_gzip else bodies[0], content_type="application/json")
    if wants_gzip:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
