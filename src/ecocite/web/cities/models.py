"""Cities as the platform keeps them: the registry's ``RegistryCity`` plus what the pages need."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecocite.cities import RegistryCity
from ecocite.cities.names import country_problem, name_problem
from ecocite.i18n import Text
from ecocite.web.core.languages import pick


class City(models.Model):
    """A city as the platform keeps it: names, boundary, map outline and latest level."""

    slug = models.SlugField(_("identifier"), max_length=64, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    country = models.CharField(_("country"), max_length=2)
    province_fr = models.CharField(max_length=200, blank=True)
    province_zh = models.CharField(max_length=200, blank=True)
    province_en = models.CharField(max_length=200, blank=True)
    admin_code = models.CharField(_("administrative code"), max_length=20, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON, WGS84)"), null=True, blank=True)
    boundary_source = models.CharField(max_length=300, blank=True)
    # Simplified outline for the portfolio map, kept beside the full boundary to keep pages light.
    map_outline = models.JSONField(null=True, blank=True)
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Demo city or data that is not a sourced fact."),
    )
    # Denormalised from the latest finished assessment, for the list and the map.
    latest_level = models.CharField(max_length=40, blank=True)
    latest_level_name = models.JSONField(null=True, blank=True)
    latest_level_rank = models.PositiveSmallIntegerField(default=0)  # 0 = no level, 1 = lowest
    latest_score = models.FloatField(null=True, blank=True)
    latest_year = models.IntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.name

    NAME_FIELDS = ("name_fr", "name_zh", "name_en", "province_fr", "province_zh", "province_en")

    def clean(self) -> None:
        """ISO 3166-1 alpha-2 country, names without control characters (admin and API)."""
        errors: dict[str, str] = {}
        problem = country_problem(self.country)
        if problem:
            errors["country"] = problem
        for field in self.NAME_FIELDS:
            value = getattr(self, field)
            required = field.startswith("name_")
            problem = name_problem(value) if (value or required) else None
            if problem:
                errors[field] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def name(self) -> str:
        """Return the city's name in the active language."""
        return pick({"fr": self.name_fr, "zh": self.name_zh, "en": self.name_en})

    @property
    def province(self) -> str:
        """Return the province's name in the active language."""
        return pick({"fr": self.province_fr, "zh": self.province_zh, "en": self.province_en})

    @property
    def level_name(self) -> str:
        """Return the latest level's name in the active language."""
        return pick(self.latest_level_name) if self.latest_level_name else ""

    def to_engine(self) -> RegistryCity:
        """Return the registry's record of this city (``ecocite.cities.RegistryCity``)."""
        province = (
            Text(fr=self.province_fr, zh=self.province_zh, en=self.province_en)
            if self.province_en
            else None
        )
        return RegistryCity(
            id=self.slug,
            name=Text(fr=self.name_fr, zh=self.name_zh, en=self.name_en),
            country=self.country,
            province=province,
            admin_code=self.admin_code or None,
            boundary=self.boundary,
            boundary_source=self.boundary_source or None,
        )

    @classmethod
    def fields_from_engine(
        cls, city: RegistryCity, *, illustrative: bool = False
    ) -> dict[str, Any]:
        """Model field values for an engine city (boundary simplified for the portfolio map)."""
        outline = None
        geom = city.geometry()
        if geom is not None:
            from shapely.geometry import mapping

            # ~0.005° ≈ 500 m: enough for a country-scale map, a small fraction of the full size.
            outline = json.loads(json.dumps(mapping(geom.simplify(0.005, preserve_topology=True))))
        return {
            "name_fr": city.name.fr,
            "name_zh": city.name.zh,
            "name_en": city.name.en,
            "country": city.country,
            "province_fr": city.province.fr if city.province else "",
            "province_zh": city.province.zh if city.province else "",
            "province_en": city.province.en if city.province else "",
            "admin_code": city.admin_code or "",
            "boundary": city.boundary,
            "boundary_source": city.boundary_source or "",
            "map_outline": outline,
            "illustrative": illustrative,
        }
