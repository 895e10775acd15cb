"""``build_city_map``: build a city's offline map from an OpenStreetMap extract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecocite.web.cities.models import City
from ecocite.web.maps import services


class Command(BaseCommand):
    """Build the base layers, heritage layer and place index of a city."""

    help = (
        "Build a city's offline map (streets, buildings, water, parks, heritage, place index) "
        "from an OpenStreetMap .osm.pbf extract, clipped to the city's boundary plus a buffer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the city, the extract, and optionally the area and the buffer."""
        parser.add_argument("city", help="the city's identifier (slug)")
        parser.add_argument(
            "pbf",
            nargs="?",
            help="the .osm.pbf extract (default for las-palmas: the shared demo extract)",
        )
        parser.add_argument("--area", help="a GeoJSON file of the area (default: the boundary)")
        parser.add_argument("--buffer", type=float, default=500.0, help="metres kept around")

    def handle(self, *args: Any, **options: Any) -> None:
        """Build the map and report the feature count of each layer."""
        import json

        city = City.objects.filter(slug=options["city"]).first()
        if city is None:
            raise CommandError(f"no city {options['city']!r}")
        pbf = options["pbf"]
        if pbf is None:
            from ecocite.web.maps.demo import demo_extract

            found = demo_extract() if city.slug == "las-palmas" else None
            if found is None:
                raise CommandError("give the .osm.pbf extract to read")
            pbf = found
        area = None
        if options["area"]:
            data = json.loads(Path(options["area"]).read_text(encoding="utf-8"))
            if data.get("type") == "FeatureCollection":
                data = data["features"][0]["geometry"]
            elif data.get("type") == "Feature":
                data = data["geometry"]
            area = data
        try:
            built = services.build_for_city(city, Path(pbf), area=area, buffer_m=options["buffer"])
        except ValidationError as err:
            raise CommandError(
                "; ".join(m for ms in err.message_dict.values() for m in ms)
            ) from err
        counts = ", ".join(f"{k} {v}" for k, v in built.counts.items())
        self.stdout.write(f"{city.slug}: map built in {built.folder} ({counts})")
