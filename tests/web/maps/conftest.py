"""Las Palmas for the maps tests: its city row, a process on Vegueta, a map built once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from shapely.geometry import shape

from ecocite.web.accounts.models import RoleKind
from ecocite.web.cities.models import City
from ecocite.web.consultations import services
from ecocite.web.consultations.demo import VEGUETA
from ecocite.web.consultations.models import Process

# shared/ beside the repository, or beside a folder above it (a git worktree)
SHARED = next(
    (p / "shared" / "data" / "las-palmas" for p in Path(__file__).resolve().parents
     if (p / "shared" / "data" / "las-palmas").is_dir()),
    Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "las-palmas",
)  # fmt: skip
PBF = SHARED / "las_palmas_2023-02-21.osm.pbf"
BOUNDARY = (
    json.loads((SHARED / "municipality_boundary.geojson").read_text())["features"][0]["geometry"]
    if (SHARED / "municipality_boundary.geojson").is_file()
    else None
)


@pytest.fixture(scope="session")
def maps_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Las Palmas' map, built once: Vegueta and 400 m around (the engine's own test does it all)."""
    if not PBF.is_file():
        pytest.skip("the shared Las Palmas extract is absent")
    from ecocite.maps.osm import build_city_map

    root = tmp_path_factory.mktemp("maps")
    build_city_map(PBF, shape(VEGUETA), root / "las-palmas", buffer_m=400)
    before = getattr(settings, "MAPS_ROOT", None)
    settings.MAPS_ROOT = root
    yield root
    if before is None:
        del settings.MAPS_ROOT
    else:
        settings.MAPS_ROOT = before


@pytest.fixture
def las_palmas(db: Any, maps_root: Path) -> City:
    return City.objects.create(
        slug="las-palmas",
        name_fr="Las Palmas de Gran Canaria",
        name_zh="大加那利岛拉斯帕尔马斯",
        name_en="Las Palmas de Gran Canaria",
        country="ES",
        boundary=BOUNDARY,
    )


def _process(make_user: Any, city: City, slug: str, site: Any) -> Process:
    admin = make_user(f"admin-{slug}", (RoleKind.ADMINISTRATOR, None))
    return services.create_process(
        admin, city, services.standard_phases(timezone.now() - timedelta(days=40)),
        slug=slug, scale="programme", title_fr="Vegueta : patrimoine et fraîcheur",
        title_en="Vegueta: heritage and shade", title_zh="维格塔：遗产与清凉",
        decision_fr="Programme d'espaces publics", site=site,
    )  # fmt: skip


@pytest.fixture
def vegueta(make_user: Any, las_palmas: City) -> Process:
    """A process on Vegueta (its site), open to proposals now."""
    return _process(make_user, las_palmas, "vegueta", VEGUETA)


@pytest.fixture
def whole_city(make_user: Any, las_palmas: City) -> Process:
    """A process on the whole city (no site): places must lie inside the municipality."""
    return _process(make_user, las_palmas, "las-palmas-city", None)
