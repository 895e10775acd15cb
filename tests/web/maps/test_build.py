"""Building a city's map: the management command and the demo, on the real Las Palmas extract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from ecocite.web.consultations.demo import VEGUETA
from ecocite.web.maps import services
from ecocite.web.maps.demo import load_maps_demo

from .conftest import PBF


@pytest.fixture
def empty_root(tmp_path: Path, maps_root: Path) -> Any:
    settings.MAPS_ROOT = tmp_path / "maps"
    yield settings.MAPS_ROOT
    settings.MAPS_ROOT = maps_root


def test_the_command_builds_a_site_and_names_bad_input(
    las_palmas: Any, empty_root: Path, tmp_path: Path, capsys: Any
) -> None:
    area = tmp_path / "vegueta.geojson"
    area.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": VEGUETA}))
    call_command("build_city_map", "las-palmas", str(PBF), "--area", str(area), "--buffer", "100")
    out = capsys.readouterr().out
    assert out.startswith("las-palmas: map built") and "heritage" in out
    built = services.manifest(las_palmas)
    assert built is not None and built["buffer_m"] == 100.0
    assert 0 < built["counts"]["buildings"] < 5000 and built["counts"]["heritage"] > 5
    assert services.search_places(las_palmas, "obispo codina")[0][1].kind == "street"
    with pytest.raises(CommandError, match="no city"):
        call_command("build_city_map", "atlantis", str(PBF))
    junk = tmp_path / "junk.osm.pbf"
    junk.write_bytes(b"junk")
    with pytest.raises(CommandError, match="junk"):
        call_command("build_city_map", "las-palmas", str(junk))
    assert services.manifest(las_palmas) == built  # the failed build left the map as it was


def test_the_demo_builds_las_palmas_once(las_palmas: Any, empty_root: Path) -> None:
    lines: list[str] = []
    load_maps_demo(lines.append)
    built = services.manifest(las_palmas)
    assert built is not None and built["counts"]["buildings"] > 20_000
    assert lines and "las-palmas" in lines[0]
    load_maps_demo(lines.append)  # already built: nothing done
    assert len(lines) == 1
