"""The demo's city map: Las Palmas de Gran Canaria from the shared OSM extract, when present."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ecocite.web.cities.models import City
from ecocite.web.maps import services


def demo_extract() -> Path | None:
    """Return the shared Las Palmas extract, or ``None`` when the shared data is not here."""
    from ecocite.web.access.config import DEMO_FILES, demo_folder

    folder = demo_folder()
    return folder / DEMO_FILES["pbf"] if folder is not None else None


def load_maps_demo(log: Callable[[str], None] = print) -> None:
    """Build the Las Palmas map once (skipped when built, or without the extract or city)."""
    city = City.objects.filter(slug="las-palmas").first()
    pbf = demo_extract()
    if city is None or pbf is None or not city.boundary or services.manifest(city) is not None:
        return
    from importlib.util import find_spec

    if find_spec("pyrosm") is None:
        log("  maps: skipped (reading OSM extracts needs the 'access' extra)")
        return
    built = services.build_for_city(city, pbf)
    log(f"  maps: {city.slug} base layers and place index ({built.counts['places']} places)")
