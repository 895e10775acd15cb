"""The cities API: list, read and (administrators) add cities."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as ModelValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from ecocite.cities.names import country_codes
from ecocite.web.cities.models import City
from ecocite.web.core.permissions import require


class CitySerializer(serializers.ModelSerializer):
    """A city in the API list: id, names, country and latest level."""

    name = serializers.CharField(read_only=True)
    country = serializers.ChoiceField(
        choices=sorted(country_codes()), help_text="ISO 3166-1 alpha-2 country code, e.g. CN"
    )

    class Meta:
        model = City
        fields = [
            "slug", "name", "name_fr", "name_zh", "name_en", "country", "province_en",
            "admin_code", "latest_level", "latest_score", "latest_year", "illustrative",
        ]  # fmt: skip
        read_only_fields = ["latest_level", "latest_score", "latest_year"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Return the model's own checks: ISO 3166-1 alpha-2 country, names without control characters."""
        try:
            City(**{**attrs, "slug": attrs.get("slug", "x")}).clean()
        except ModelValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return attrs


class CityDetailSerializer(CitySerializer):
    """A city with its boundary."""

    class Meta(CitySerializer.Meta):
        fields = [*CitySerializer.Meta.fields, "boundary", "boundary_source"]


class CityViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Cities in the API: list, read, add."""

    lookup_field = "slug"
    queryset = City.objects.defer("map_outline").order_by("slug")

    def get_queryset(self) -> Any:
        """Return the cities, without boundaries in the list."""
        qs = super().get_queryset()
        return qs if self.action == "retrieve" else qs.defer("boundary")

    def get_serializer_class(self) -> Any:
        """Return the detail serializer when reading one city, the short one otherwise."""
        return CityDetailSerializer if self.action == "retrieve" else CitySerializer

    @extend_schema(responses={201: CitySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Add a city (administrators). Who may is checked before what is sent."""
        require(request, "cities.add_city")
        return super().create(request, *args, **kwargs)
