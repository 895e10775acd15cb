"""The carbon API: GPC inventories (read, upload), saved scenarios (CRUD) and their results.

Reading is open, as the pages are. Writing checks the same rules as the pages
(``carbon.add_inventory``, ``carbon.add_scenario``, ``carbon.change_scenario``,
``carbon.delete_scenario``) and calls the same services: an upload goes through
``import_activity``, a scenario through the page's form and ``save_scenario`` (computed at once
when its draws are few, by the worker otherwise — poll ``status`` or ``result``).
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecocite.web.carbon.forms import ScenarioEditForm, ScenarioForm
from ecocite.web.carbon.models import CarbonInventory, CarbonScenario
from ecocite.web.carbon.pathways import CONTEXT_FIELDS
from ecocite.web.carbon.scenarios import save_scenario
from ecocite.web.carbon.services import (
    ActivityRejected,
    DuplicateActivity,
    demo_context,
    import_activity,
)
from ecocite.web.cities.models import City
from ecocite.web.core.permissions import require
from ecocite.web.core.row_errors import api_error_body
from ecocite.web.datasets.services import read_capped

CITY_FILTER = OpenApiParameter("city", str, description="city identifier (slug)", required=False)


class InventorySerializer(serializers.ModelSerializer):
    """An accepted activity file of a city and its GPC totals."""

    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    uploaded_by = serializers.CharField(
        source="uploaded_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = CarbonInventory
        fields = [
            "id", "city", "year", "original_name", "sha256", "gwp_set", "basic_co2e_t",
            "basic_plus_co2e_t", "illustrative", "uploaded_by", "uploaded_at",
        ]  # fmt: skip


class InventoryUploadSerializer(serializers.Serializer):
    """The fields of an activity upload through the API."""

    file = serializers.FileField(help_text="activity data, CSV or XLSX (GPC activity format)")
    gwp_set = serializers.ChoiceField(choices=["ar5", "ar6"], default="ar5")


class DuplicateSerializer(serializers.Serializer):
    """The answer to a file already accepted for the city: the inventory made from it."""

    detail = serializers.CharField()
    existing = serializers.IntegerField(help_text="id of the inventory made from this file")


class InventoryViewSet(viewsets.ReadOnlyModelViewSet):
    """GPC inventories (``?city=<slug>`` for one city), newest first."""

    queryset = CarbonInventory.objects.select_related("city", "uploaded_by").order_by(
        "-uploaded_at", "-id"
    )
    serializer_class = InventorySerializer

    @extend_schema(parameters=[CITY_FILTER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the inventories, of one city with ``?city=``."""
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        """Return the inventories, of one city with ``?city=``."""
        qs = super().get_queryset()
        city = self.request.query_params.get("city")
        return qs.filter(city__slug=city) if city else qs


class CityInventoryUpload(APIView):
    """Upload a city's activity file: its GPC inventory is computed and kept, all or nothing."""

    queryset = City.objects.defer("boundary", "map_outline")
    parser_classes = [MultiPartParser, FormParser]
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = InventoryUploadSerializer

    @extend_schema(
        request=InventoryUploadSerializer,
        responses={
            201: InventorySerializer,
            409: OpenApiResponse(DuplicateSerializer, description="file already accepted"),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        """Upload activity data for this city; 422 with row errors, 409 for the same file again."""
        city = get_object_or_404(self.queryset, slug=slug)
        require(request, "carbon.add_inventory", city)
        form = InventoryUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        uploaded = form.validated_data["file"]
        try:
            record = import_activity(
                uploaded.name,
                read_capped(uploaded),
                city=city,
                gwp_set=form.validated_data["gwp_set"],
                user=request.user,
            )
        except ActivityRejected as exc:
            return Response(
                api_error_body(exc.errors, detail=_("Nothing was imported.")),
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        except DuplicateActivity as exc:
            return Response(
                {
                    "detail": _("This very file was already accepted; nothing new was saved."),
                    "existing": exc.existing.pk,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(InventorySerializer(record).data, status=status.HTTP_201_CREATED)


class ScenarioSerializer(serializers.ModelSerializer):
    """A saved scenario: its parameters, who saved it, and how far its computation is."""

    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    inventory = serializers.PrimaryKeyRelatedField(queryset=CarbonInventory.objects.all())
    context = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        required=False,
        help_text="population, gdp_wan_cny, co2_2005_t, gdp_2005_wan_cny; the demo context "
        "of the city (illustrative) when left out",
    )
    levers = serializers.DictField(
        child=serializers.FloatField(),
        required=False,
        help_text="lever name → level; the plan value of levers.csv for a lever left out",
    )
    drivers = serializers.DictField(
        child=serializers.FloatField(),
        required=False,
        help_text="population_growth, rebalancing_inflow, rebalancing_years; "
        "drawn in their range when left out",
    )
    draws = serializers.IntegerField(required=False, default=2000)
    seed = serializers.IntegerField(required=False, default=1)
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, default=None, allow_null=True
    )
    stale = serializers.BooleanField(read_only=True)
    status = serializers.CharField(
        read_only=True, help_text=", ".join(CarbonScenario.Status.values)
    )

    class Meta:
        model = CarbonScenario
        fields = [
            "id", "city", "inventory", "name", "description", "context", "levers", "drivers",
            "draws", "seed", "status", "progress", "error", "stale", "created_by", "created_at",
            "updated_at", "computed_at",
        ]  # fmt: skip
        read_only_fields = [
            "status", "progress", "error", "created_at", "updated_at", "computed_at",
        ]  # fmt: skip
        # A name taken in the city is refused by the page's form, with its message.
        validators: list[Any] = []


class ScenarioChangeSerializer(serializers.Serializer):
    """What a scenario's owner may change: its name and description."""

    name = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(required=False, allow_blank=True)


class ScenarioResultSerializer(serializers.Serializer):
    """The stored result of a scenario: ``null`` until it is computed."""

    # A plain string (an enum would collide by name with other apps' status fields).
    status = serializers.CharField(help_text=", ".join(CarbonScenario.Status.values))
    stale = serializers.BooleanField()
    result = serializers.JSONField(
        allow_null=True,
        help_text="yearly (BAU and scenario per year), bau and scenario targets, "
        "probabilities, fan (percentiles of scenario CO2e per year), draws, seed, context; "
        "every figure illustrative (lever and driver ranges)",
    )


def _form_data(data: dict[str, Any], record: CarbonInventory) -> dict[str, Any]:
    """Return the page form's fields for an API request (same validation as the page)."""
    unbound = ScenarioForm(demo=demo_context(record), city=record.city)
    fields: dict[str, Any] = {
        name: unbound.get_initial_for_field(f, name) for name, f in unbound.fields.items()
    }
    fields.update(name=data.get("name", ""), description=data.get("description", ""))
    fields.update(draws=data.get("draws", 2000), seed=data.get("seed", 1))
    for name in (
        "driver_population_growth",
        "driver_rebalancing_inflow",
        "driver_rebalancing_years",
    ):
        fields[name] = None
    for key, value in (data.get("context") or {}).items():
        fields[key] = value
    for key, value in (data.get("levers") or {}).items():
        fields[f"lever_{key}"] = value
    for key, value in (data.get("drivers") or {}).items():
        fields[f"driver_{key}"] = value
    return {k: "" if v is None else v for k, v in fields.items()}


def _unknown(data: dict[str, Any], form: ScenarioForm) -> dict[str, list[str]]:
    """Name the levers, drivers and context entries the engine does not know."""
    errors: dict[str, list[str]] = {}
    for group, prefix, known in (
        ("levers", "lever_", form.fields),
        ("drivers", "driver_", form.fields),
        ("context", "", CONTEXT_FIELDS),
    ):
        wrong = [k for k in (data.get(group) or {}) if f"{prefix}{k}" not in known]
        if wrong:
            errors[group] = [_("Unknown: %(names)s") % {"names": ", ".join(sorted(wrong))}]
    return errors


class ScenarioViewSet(viewsets.ModelViewSet):
    """Saved carbon scenarios (``?city=<slug>`` for one city), newest first.

    Creating one computes it (at once for few draws, else in the background: follow ``status``);
    changing one changes its name and description only.
    """

    queryset = CarbonScenario.objects.select_related("city", "inventory", "created_by")
    serializer_class = ScenarioSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        """Return the scenarios, of one city with ``?city=``."""
        qs = super().get_queryset()
        city = self.request.query_params.get("city")
        return qs.filter(city__slug=city) if city else qs

    @extend_schema(parameters=[CITY_FILTER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the scenarios, of one city with ``?city=``."""
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Save a scenario of an inventory's city and start its computation."""
        given = ScenarioSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        record = data["inventory"]
        require(request, "carbon.add_scenario", record)
        form = ScenarioForm(_form_data(data, record), demo=demo_context(record), city=record.city)
        errors = _unknown(data, form)
        if errors or not form.is_valid():
            raise ValidationError({**errors, **{k: list(v) for k, v in form.errors.items()}})
        scenario = save_scenario(
            record,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            context=form.context(),
            levers=form.levers(),
            drivers=form.drivers(),
            draws=form.cleaned_data["draws"],
            seed=form.cleaned_data["seed"],
            user=request.user,
        )
        return Response(ScenarioSerializer(scenario).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ScenarioChangeSerializer, responses={200: ScenarioSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change a scenario's name or description."""
        scenario = self.get_object()
        require(request, "carbon.change_scenario", scenario)
        change = ScenarioChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        values = {
            "name": change.validated_data.get("name", scenario.name),
            "description": change.validated_data.get("description", scenario.description),
        }
        form = ScenarioEditForm(values, scenario=scenario)
        if not form.is_valid():
            raise ValidationError({k: list(v) for k, v in form.errors.items()})
        scenario.name = form.cleaned_data["name"]
        scenario.description = form.cleaned_data["description"]
        scenario.updated_by = request.user
        scenario.save(update_fields=["name", "description", "updated_by", "updated_at"])
        return Response(ScenarioSerializer(scenario).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete a scenario and its stored result."""
        scenario = self.get_object()
        require(request, "carbon.delete_scenario", scenario)
        scenario.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: ScenarioResultSerializer})
    @action(detail=True, methods=["get"])
    def result(self, request: Request, pk: str | None = None) -> Response:
        """Return the stored result of a scenario (``null`` while it is being computed)."""
        scenario = self.get_object()
        return Response(
            {"status": scenario.status, "stale": scenario.stale, "result": scenario.result}
        )
