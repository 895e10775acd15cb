"""The cities API: list, read and (administrators) add cities."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, serializers, viewsets

from ecocite.web.cities.models import City
from ecocite.web.core.permissions import require


class CitySerializer(serializers.ModelSerializer):
    """A city in the API list: id, names, country and latest level."""

    name = serializers.CharField(read_only=True)

    class Meta:
        model = City
        fields = [
            "slug", "name", "name_fr", "name_zh", "name_en", "country", "province_en",
            "admin_code", "latest_level", "latest_score", "latest_year", "illustrative",
        ]  # fmt: skip
        read_only_fields = ["latest_level", "latest_score", "latest_year"]


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

    def perform_create(self, serializer: Any) -> None:
        """Add a city if the rule ``cities.add_city`` allows."""
        require(self.request, "cities.add_city")
        serializer.save()
