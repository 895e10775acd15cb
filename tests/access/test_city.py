"""The whole Las Palmas municipality, end to end (real OSM, GTFS and boundary)."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from ecocite.access.categories import load_categories
from ecocite.access.outputs import write_outputs

IDS = {
    "life_circle_5min_coverage": "%",
    "life_circle_10min_coverage": "%",
    "life_circle_15min_coverage": "%",
    "service_desert_share": "%",
    "park_service_coverage": "%",
    "public_green_space_per_capita": "m**2/person",
    "intersection_density": "intersection/km**2",
    "land_use_mix": "dimensionless",
    "frequent_transit_coverage": "%",
    "floor_area_ratio": "dimensionless",
    "building_coverage_ratio": "%",
}


def test_network_is_projected_cleaned_and_reported(las_palmas) -> None:  # type: ignore[no-untyped-def]
    net = las_palmas.network
    assert net.crs.to_epsg() == 32628  # UTM 28N chosen from the data
    rep = net.report
    assert rep["components"] > 1 and rep["components_kept"] == 1
    assert rep["nodes_dropped"] > 0 and rep["length_dropped_km"] > 0
    assert 1000 < net.length_km < 3000
    # chains: far fewer junctions than street nodes
    assert net.n_junctions < 0.4 * net.n_nodes
    # two distinct OSM nodes mapped at the same coordinates stay two nodes
    pair = np.isin(net.node_osm_id, [3793353777, 3793353785])
    assert pair.sum() == 2
    assert net.x[pair][0] == net.x[pair][1] and net.y[pair][0] == net.y[pair][1]


def test_every_category_has_facilities_and_parks_have_entrances(las_palmas) -> None:  # type: ignore[no-untyped-def]
    fac = las_palmas.facilities
    counts = fac.groupby("category").size()
    assert set(counts.index) == set(load_categories().names)
    assert (counts > 0).all()
    parks = fac[fac["category"] == "park"]
    # many entrances, fewer parks: each park is one group
    assert parks["group"].nunique() < len(parks)


def test_summary_is_tidy_with_every_indicator_and_provenance(las_palmas_result) -> None:  # type: ignore[no-untyped-def]
    s = las_palmas_result.summary
    assert list(s.columns) == [
        "city", "year", "indicator", "value", "unit", "source", "quality", "verified", "provenance",
        "notes",
    ]  # fmt: skip
    assert dict(zip(s["indicator"], s["unit"], strict=True)) == IDS
    assert (s["city"] == "las-palmas").all() and (s["year"] == 2023).all()
    pct = s[s["unit"] == "%"]
    assert ((pct["value"] >= 0) & (pct["value"] <= 100)).all()
    lc = s.set_index("indicator")["value"]
    assert 0 < lc["land_use_mix"] <= 1
    prov = json.loads(s["provenance"].iloc[0])
    assert prov["engine"] == "ecocite.access"
    assert prov["inputs"]["osm_extract"]["file"] == "las_palmas_2023-02-21.osm.pbf"
    assert prov["inputs"]["osm_extract"]["date"] == "2023-02-21"
    assert len(prov["inputs"]["osm_extract"]["sha256"]) == 64
    ft = json.loads(s.set_index("indicator").loc["frequent_transit_coverage", "provenance"])
    assert ft["parameters"]["gtfs"]["file"] == "gtfs_guaguas_2023-02-22.zip"


def test_origin_table_shape_and_consistency(las_palmas_result) -> None:  # type: ignore[no-untyped-def]
    o = las_palmas_result.origins
    assert len(o) > 10_000
    for cat in load_categories().names:
        near = o[f"{cat}_nearest_m"].to_numpy()
        n300, n1000 = o[f"{cat}_n300"].to_numpy(), o[f"{cat}_n1000"].to_numpy()
        # counts grow with the threshold, and a facility within 300 m means a count >= 1
        assert (n300 <= o[f"{cat}_n500"].to_numpy()).all() and (o[f"{cat}_n500"] <= n1000).all()
        within = np.nan_to_num(near, nan=np.inf) <= 300
        assert np.array_equal(within, n300 >= 1)
    cov = las_palmas_result.coverage.set_index(["category", "distance_m"])["share_pct"]
    w = o["weight"].to_numpy()
    school = np.nan_to_num(o["school_nearest_m"].to_numpy(), nan=np.inf) <= 500
    assert cov[("school", 500.0)] == pytest.approx(100 * w[school].sum() / w.sum())


def test_outputs_are_written_and_the_map_is_offline(
    las_palmas, las_palmas_result, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    files = write_outputs(las_palmas_result, las_palmas, tmp_path)
    names = sorted(f.name for f in files)
    assert names == [
        "las-palmas_access.gpkg", "las-palmas_access.html",
        "las-palmas_coverage.csv", "las-palmas_indicators.csv",
    ]  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == names  # no temporary leftovers
    back = gpd.read_file(tmp_path / "las-palmas_access.gpkg", layer="origins")
    assert len(back) == len(las_palmas_result.origins)
    assert back.crs.to_epsg() == 32628
    assert "food_drink_n1000" in back.columns
    page = (tmp_path / "las-palmas_access.html").read_text(encoding="utf-8")
    assert "<script src=" not in page and "<link " not in page  # everything inlined
    assert "L.map(" in page
    csv = pd.read_csv(tmp_path / "las-palmas_indicators.csv")
    assert len(csv) == len(IDS)


def test_summary_is_accepted_by_the_data_import_of_the_bundled_framework(las_palmas_result) -> None:  # type: ignore[no-untyped-def]
    from ecocite.data.tidy import read_indicator_table
    from ecocite.frameworks.loader import get_framework

    table = read_indicator_table(
        las_palmas_result.summary, framework=get_framework("sino-french-ecocity")
    )
    assert sorted(table["indicator"]) == sorted(IDS)
