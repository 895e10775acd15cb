"""GTFS frequent stops and urban-form indicators on hand-made inputs, plus the real feed."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from ecocite.access.errors import AccessInputError
from ecocite.access.gtfs import frequent_stops
from ecocite.access.network import build_network
from ecocite.access.urban_form import (
    building_intensity,
    consolidated_intersections,
    hill_numbers,
    land_use_mix,
)

GTFS = (
    next(
        (p / "shared" / "data" / "las-palmas" for p in Path(__file__).resolve().parents
         if (p / "shared" / "data" / "las-palmas").is_dir()),
        Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "las-palmas",
    )
    / "gtfs_guaguas_2023-02-22.zip"
)  # fmt: skip


def tiny_feed(path: Path, departures_a: int, departures_b: int) -> None:
    """Stop A served every 720/departures_a minutes between 07:00 and 19:00 on weekdays."""
    rows = []
    trips = []
    for stop, n in (("A", departures_a), ("B", departures_b)):
        for k in range(n):
            trip = f"{stop}{k}"
            minute = 7 * 60 + k * (720 // n)
            trips.append({"route_id": "r", "service_id": "WK", "trip_id": trip})
            rows.append(
                {
                    "trip_id": trip,
                    "stop_id": stop,
                    "departure_time": f"{minute // 60:02d}:{minute % 60:02d}:00",
                }
            )
    # one late departure outside the window must not count
    trips.append({"route_id": "r", "service_id": "WK", "trip_id": "late"})
    rows.append({"trip_id": "late", "stop_id": "A", "departure_time": "23:30:00"})
    files = {
        "stops.txt": pd.DataFrame(
            {
                "stop_id": ["A", "B"],
                "stop_name": ["a", "b"],
                "stop_lat": [28.1, 28.2],
                "stop_lon": [-15.4, -15.5],
            }
        ),
        "trips.txt": pd.DataFrame(trips),
        "stop_times.txt": pd.DataFrame(rows),
        "calendar.txt": pd.DataFrame(
            [
                {
                    "service_id": "WK",
                    "monday": 1,
                    "tuesday": 1,
                    "wednesday": 1,
                    "thursday": 1,
                    "friday": 1,
                    "saturday": 0,
                    "sunday": 0,
                    "start_date": "20230101",
                    "end_date": "20231231",
                }
            ]
        ),
    }
    with zipfile.ZipFile(path, "w") as z:
        for name, frame in files.items():
            buf = io.StringIO()
            frame.to_csv(buf, index=False)
            z.writestr(name, buf.getvalue())


def test_frequent_stops_from_a_hand_made_feed(tmp_path: Path) -> None:
    feed = tmp_path / "feed.zip"
    tiny_feed(feed, departures_a=36, departures_b=35)  # headways 20.0 and 20.6 minutes
    stops, used = frequent_stops(feed)
    by_id = stops.set_index("stop_id")
    assert by_id.loc["A", "departures"] == 36 and by_id.loc["B", "departures"] == 35
    assert by_id.loc["A", "mean_headway_min"] == pytest.approx(20.0)
    assert bool(by_id.loc["A", "frequent"]) and not bool(by_id.loc["B", "frequent"])
    assert used["service_date"] == "2023-01-04"  # the first Wednesday of the calendar
    sunday, _ = frequent_stops(feed, date=dt.date(2023, 1, 8))
    assert sunday["departures"].sum() == 0


def test_real_guaguas_feed() -> None:
    stops, used = frequent_stops(GTFS)
    assert used["stops"] == len(stops) > 500
    assert 0 < used["frequent_stops"] < len(stops)
    assert (stops.loc[stops["frequent"], "mean_headway_min"] <= 20).all()


def test_bad_gtfs(tmp_path: Path) -> None:
    bad = tmp_path / "feed.zip"
    bad.write_text("not a zip")
    with pytest.raises(AccessInputError, match=r"feed\.zip: not a zip file"):
        frequent_stops(bad)
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("agency.txt", "agency_id\n1\n")
    with pytest.raises(AccessInputError, match=r"empty\.zip: GTFS feed has no stops\.txt"):
        frequent_stops(empty)


def test_intersections_are_consolidated_within_the_tolerance() -> None:
    # a cross at (0,0) drawn as two junctions 6 m apart (a dual carriageway), and a T at (200,0)
    nodes = {1: (-100, 0), 2: (0, 0), 3: (6, 0), 4: (100, 0), 5: (0, 100), 6: (6, -100),
             7: (200, 0), 8: (200, 100), 9: (300, 0)}  # fmt: skip
    edges = [(1, 2), (2, 3), (3, 4), (2, 5), (3, 6), (4, 7), (7, 8), (7, 9)]
    ids = np.array(list(nodes))
    xy = np.array([nodes[i] for i in ids], float)
    net = build_network(ids, xy[:, 0], xy[:, 1], np.array([e[0] for e in edges]),
                        np.array([e[1] for e in edges]), crs=pyproj.CRS.from_epsg(32628))  # fmt: skip
    centres = consolidated_intersections(net, tolerance_m=10)
    assert len(centres) == 2
    assert sorted(centres[:, 0].round(1).tolist()) == [3.0, 200.0]
    assert len(consolidated_intersections(net, tolerance_m=2)) == 3


def test_land_use_mix_and_hill_numbers() -> None:
    area = shapely.box(0, 0, 300, 100)
    lu = gpd.GeoDataFrame(
        {"landuse": ["residential", "retail", "industrial", "reservoir"]},
        geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100),
                  shapely.box(200, 0, 300, 100), shapely.box(0, 0, 300, 100)],
    )  # fmt: skip
    classes = {
        "residential": ["residential"],
        "commercial": ["retail"],
        "industrial": ["industrial"],
    }
    mix = land_use_mix(lu, area, classes)
    assert mix["evenness"] == pytest.approx(1.0)  # three equal classes out of three
    four = land_use_mix(lu, area, {**classes, "green": ["grass"]})
    assert four["evenness"] == pytest.approx(math.log(3) / math.log(4))
    h = hill_numbers(np.array([0.5, 0.25, 0.25]))
    assert h["q0"] == 3 and h["q2"] == pytest.approx(1 / 0.375)


def test_building_coverage_and_floor_area_ratio() -> None:
    area = shapely.box(0, 0, 100, 100)  # 10,000 m²
    b = gpd.GeoDataFrame(
        {"levels": [4.0, np.nan, 2.0]},
        geometry=[shapely.box(0, 0, 20, 50), shapely.box(50, 50, 60, 60), shapely.box(500, 500, 510, 510)],
    )  # fmt: skip
    b["footprint_m2"] = b.geometry.area
    got = building_intensity(b, area)
    assert got["n"] == 2  # the third is outside
    assert got["coverage_pct"] == pytest.approx(100 * (1000 + 100) / 10_000)
    assert got["far"] == pytest.approx((1000 * 4 + 100 * 1) / 10_000)
    assert got["levels_share"] == pytest.approx(0.5)
