"""The offline city map built from the real Las Palmas extract: layers, heritage, place index."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import shape

from ecocite.maps.osm import LAYERS, MapInputError, build_city_map, read_manifest
from ecocite.maps.places import Place, PlaceIndex, normalise

# shared/ beside the repository, or beside a folder above it (a git worktree)
SHARED = next(
    (p / "shared" / "data" / "las-palmas" for p in Path(__file__).resolve().parents
     if (p / "shared" / "data" / "las-palmas").is_dir()),
    Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "las-palmas",
)  # fmt: skip
PBF = SHARED / "las_palmas_2023-02-21.osm.pbf"
BOUNDARY = SHARED / "municipality_boundary.geojson"

pytestmark = pytest.mark.skipif(not PBF.is_file(), reason="the shared Las Palmas extract is absent")


def _boundary() -> Any:
    return shape(json.loads(BOUNDARY.read_text())["features"][0]["geometry"])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return build_city_map(PBF, _boundary(), tmp_path_factory.mktemp("maps") / "las-palmas")


def _features(folder: Path, name: str) -> list[dict[str, Any]]:
    return json.loads((folder / f"{name}.geojson").read_text())["features"]


def test_layers_of_the_whole_municipality(built: Any) -> None:
    counts = built.counts
    # Las Palmas in OSM (21 Feb 2023): ~22,600 buildings, ~13,400 street ways, 128 heritage tags.
    assert 20_000 < counts["buildings"] < 25_000
    assert 10_000 < counts["streets"] < 16_000
    assert counts["water"] > 100 and counts["parks"] > 500
    assert 80 < counts["heritage"] <= 128
    assert counts["places"] > 10_000
    folder = built.folder
    assert read_manifest(folder)["counts"] == counts
    assert built.manifest["source"]["file"] == PBF.name
    assert built.manifest["attribution"] == "© OpenStreetMap contributors"
    # every feature lies within the area grown by the buffer (here the manifest's bounds)
    w, s, e, n = built.manifest["bounds"]
    for name in ("streets", "water", "parks", "heritage"):
        feats = _features(folder, name)
        assert feats, name
        for f in feats[:: max(1, len(feats) // 50)]:
            x0, y0, x1, y1 = shape(f["geometry"]).bounds
            assert w - 1e-5 <= x0 and x1 <= e + 1e-5 and s - 1e-5 <= y0 and y1 <= n + 1e-5
    # the gzip twin holds the same text
    assert (
        gzip.decompress((folder / "streets.geojson.gz").read_bytes())
        == (folder / "streets.geojson").read_bytes()
    )


def test_street_level_layers_are_cut_in_cells(built: Any) -> None:
    folder, m = built.folder, built.manifest
    buildings = 0
    for ix, iy in m["tiles"]["buildings"]:
        feats = json.loads((folder / "tiles" / "buildings" / f"{ix}_{iy}.geojson").read_text())
        buildings += len(feats["features"])
    assert buildings == m["counts"]["buildings"]
    lanes = sum(
        len(json.loads((folder / "tiles" / "lanes" / f"{x}_{y}.geojson").read_text())["features"])
        for x, y in m["tiles"]["lanes"]
    )
    assert lanes + len(_features(folder, "streets")) == m["counts"]["streets"]
    assert {f["properties"]["k"] for f in _features(folder, "streets")} == {"major"}


def test_heritage_layer_has_names_as_text(built: Any) -> None:
    feats = _features(built.folder, "heritage")
    names = {f["properties"]["name"] for f in feats}
    assert "Monumento Atis Tirma" in names
    assert all(f["properties"]["historic"] or f["properties"]["heritage"] for f in feats)
    assert {f["geometry"]["type"] for f in feats} >= {"Point", "Polygon"}


def test_place_index_finds_streets_places_and_addresses(built: Any) -> None:
    index = PlaceIndex.load(built.folder / "places.json")
    first = index.search("obispo codina")[0][1]
    assert (first.label, first.kind) == ("Calle Obispo Codina", "street")
    # in Vegueta, the historic district
    assert -15.42 < first.lon < -15.41 and 28.09 < first.lat < 28.11
    assert index.search("catedral santa ana")[0][1].label == "Catedral de Santa Ana"
    # accents and case do not matter; a house number is a word of its own
    labels = [p.label for _i, p in index.search("MAYOR DE TRIANA 5", limit=3)]
    assert labels[0] == "Calle Mayor de Triana 5"
    assert index.search("galdos") and index.search("galdós")[0] == index.search("GALDOS")[0]
    assert index.search("zzqx no such place") == []
    # a box keeps only the places inside it
    vegueta = (-15.4185, 28.0985, -15.4105, 28.1045)
    found = index.search("calle", limit=50, bbox=vegueta)
    assert found and all(-15.4185 <= p.lon <= -15.4105 for _i, p in found)


def test_index_ranking_and_round_trip(tmp_path: Path) -> None:
    index = PlaceIndex(
        [
            Place("Calle Real 2", "address", 1.0, 2.0),
            Place("Plaza Real", "place", 1.0, 2.0),
            Place("Calle Real", "street", 1.0, 2.0),
            Place("Arrecife", "street", 1.0, 2.0),
        ]
    )
    assert [p.label for _i, p in index.search("real")] == [
        "Calle Real",
        "Plaza Real",
        "Calle Real 2",
    ]
    assert index.search("rea") and not index.search("eal")  # words start, never middles
    index.write(tmp_path / "p.json")
    again = PlaceIndex.load(tmp_path / "p.json")
    assert again.places == index.places and again.get(2) == Place("Calle Real", "street", 1.0, 2.0)
    assert again.get(99) is None and normalise("Gáldós") == "galdos"


def test_bad_input_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "city"
    with pytest.raises(MapInputError, match="not found"):
        build_city_map(tmp_path / "missing.osm.pbf", _boundary(), out)
    junk = tmp_path / "junk.osm.pbf"
    junk.write_bytes(b"not a pbf at all")
    with pytest.raises(MapInputError, match=r"junk\.osm\.pbf"):
        build_city_map(junk, _boundary(), out)
    with pytest.raises(MapInputError, match="polygon"):
        build_city_map(PBF, shape({"type": "Point", "coordinates": [-15.4, 28.1]}), out)
    far = shape({"type": "Polygon", "coordinates": [[[2.0, 48.0], [2.01, 48.0], [2.01, 48.01],
                                                      [2.0, 48.0]]]})  # fmt: skip
    with pytest.raises(MapInputError, match="no street"):
        build_city_map(PBF, far, out, buffer_m=0)
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["junk.osm.pbf"]


def test_layers_list() -> None:
    assert LAYERS == ("streets", "buildings", "water", "parks", "heritage")
