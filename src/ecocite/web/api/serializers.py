from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ecocite.data.tidy import MAX_YEAR, MIN_YEAR
from ecocite.frameworks import Stage
from ecocite.web.assessments.models import AssessmentRun
from ecocite.web.cities.models import City
from ecocite.web.datasets.models import Dataset


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


class DatasetSerializer(serializers.ModelSerializer):
    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True, default=None)

    class Meta:
        model = Dataset
        fields = [
            "id", "city", "framework_key", "original_name", "sha256", "data_hash", "rows", "years",
            "uploaded_by", "uploaded_at", "illustrative",
        ]  # fmt: skip


class DatasetUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    framework = serializers.CharField(required=False, help_text="framework id@version")


class AssessmentSerializer(serializers.ModelSerializer):
    city = serializers.SlugRelatedField(slug_field="slug", queryset=City.objects.all())

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
        if value not in {s.value for s in Stage}:
            raise serializers.ValidationError(f"expected one of {[s.value for s in Stage]}")
        return value


class AssessmentDetailSerializer(AssessmentSerializer):
    result = serializers.JSONField(read_only=True)

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "result"]


class FrameworkSummarySerializer(serializers.Serializer):
    key = serializers.CharField()
    id = serializers.CharField()
    version = serializers.CharField()
    name = serializers.DictField(child=serializers.CharField())
    indicators = serializers.IntegerField()

    @staticmethod
    def of(framework: Any) -> dict[str, Any]:
        return {
            "key": framework.key,
            "id": framework.id,
            "version": framework.version,
            "name": framework.name.model_dump(),
            "indicators": len(framework.indicator_ids()),
        }
