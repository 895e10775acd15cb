"""The cities API: list, read and (administrators) add cities."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, serializers, viewsets

from ecocite.web.cities.models import City
from ecocite.web.core.permissions import require


class CitySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = City
        fields = [
            "slug", "name", "name_fr", "name_zh", "name_en", "country", "province_en",
            "admin_code", "latest_level", "latest_score", "latest_year", "illustrative",
        ]  # fmt: skip
        read_only_fields = ["latest_level", "latest_score", "latest_year"]


class CityDetailSerializer(CitySerializer):
    class Meta(CitySerializer.Meta):
        fields = [*CitySerializer.Meta.fields, "boundary", "boundary_source"]


class CityViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    queryset = City.objects.defer("map_outline").order_by("slug")

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        return qs if self.action == "retrieve" else qs.defer("boundary")

    def get_serializer_class(self) -> Any:
        return CityDetailSerializer if self.action == "retrieve" else CitySerializer

    def perform_create(self, serializer: Any) -> None:
        require(self.request, "cities.add_city")
        serializer.save()
