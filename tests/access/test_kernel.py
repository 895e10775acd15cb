"""Searches on small constructed networks where every answer can be checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pyproj
import pytest

from ecocite.access.network import build_network
from ecocite.access.search import count_within, nearest_distance, node_positions, snap_to_edges

CRS = pyproj.CRS.from_epsg(32628)


def network(nodes: dict[int, tuple[float, float]], edges: list[tuple[int, int]], **kw):  # type: ignore[no-untyped-def]
    ids = np.array(list(nodes))
    xy = np.array([nodes[i] for i in ids], float)
    u = np.array([e[0] for e in edges])
    v = np.array([e[1] for e in edges])
    return build_network(ids, xy[:, 0], xy[:, 1], u, v, crs=CRS, **kw)


#   E(100,100)          D(200,100)
#       |                   |
#   A---B-------------------C         A(0,0) B(100,0) C(200,0)
T_NODES = {1: (0, 0), 2: (100, 0), 3: (200, 0), 4: (200, 100), 5: (100, 100)}
T_EDGES = [(1, 2), (2, 3), (3, 4), (2, 5)]


def test_chain_compression_keeps_lengths_and_drops_degree_two_nodes() -> None:
    net = network(T_NODES, T_EDGES)
    assert net.n_nodes == 5
    # C (degree 2) is inside the chain B-C-D; junctions are A, B, D, E
    assert net.n_junctions == 4
    assert net.n_chains == 3
    assert sorted(net.chain_mm.tolist()) == [100_000, 100_000, 200_000]
    assert net.length_km == pytest.approx(0.4)


def test_snapping_uses_the_offset_along_the_nearest_segment() -> None:
    net = network(T_NODES, T_EDGES)
    dest = snap_to_edges(net, np.array([150.0]), np.array([5.0]))  # on B-C, 50 m from B
    origins = snap_to_edges(
        net,
        np.array([50.0, 197.0, 104.0, 160.0]),
        np.array([-3.0, 60.0, 70.0, 1.0]),
    )
    assert origins.snap_distance_m.tolist() == pytest.approx([3.0, 3.0, 4.0, 1.0])
    streets = nearest_distance(net, origins, {"shop": dest}, limit_m=1000, snap_legs=False)
    # A-B origin: 50 to B, then 50 to the shop; C-D origin at 60 m from C: 60 + 50;
    # B-E origin 70 m from B: 70 + 50; same segment as the shop: 10 m directly
    assert streets["shop"].tolist() == pytest.approx([100.0, 110.0, 120.0, 10.0])
    # the whole walk adds each origin's leg (3, 3, 4, 1 m) and the shop's (5 m)
    got = nearest_distance(net, origins, {"shop": dest}, limit_m=1000)["shop"]
    assert got.tolist() == pytest.approx([108.0, 118.0, 129.0, 16.0])


def test_legs_choose_the_nearest_and_enter_the_counts_and_the_limit() -> None:
    net = network(T_NODES, T_EDGES)
    # origin on A-B at 90 m from A, 1 m off the street; two shops:
    #   one on the street at A (street 90 m, leg 0), one beside B-C 40 m off the street at
    #   150 m from A (street 60 m, leg 40 m): the street part prefers the second, the whole
    #   walk the first
    origin = snap_to_edges(net, np.array([90.0]), np.array([1.0]))
    shops = snap_to_edges(net, np.array([0.0, 150.0]), np.array([0.0, 40.0]))
    assert shops.leg_mm.tolist() == [0, 40_000]
    streets = nearest_distance(net, origin, {"s": shops}, limit_m=500, snap_legs=False)
    assert streets["s"].tolist() == [60.0]
    assert nearest_distance(net, origin, {"s": shops}, limit_m=500)["s"].tolist() == [91.0]
    # a limit between the street part (60 m) and the whole walk (101 m): found only without legs
    second = {"s": shops.take(np.array([1]))}
    assert np.isnan(nearest_distance(net, origin, second, limit_m=80)["s"][0])
    assert nearest_distance(net, origin, second, limit_m=80, snap_legs=False)["s"][0] == 60.0
    got = count_within(net, origin, shops, thresholds_m=[91, 100, 101])
    assert got.tolist() == [[1, 1, 2]]  # 91 m and 1 + 60 + 40 = 101 m
    assert count_within(net, origin, shops, thresholds_m=[90], snap_legs=False).tolist() == [[2]]
    # two shops at the same foot with different legs (2 and 40 m) are not merged into one search
    twins = snap_to_edges(net, np.array([150.0, 150.0]), np.array([2.0, 40.0]))
    assert count_within(net, origin, twins, thresholds_m=[70, 101]).tolist() == [[1, 2]]


def test_counts_include_the_threshold_and_respect_groups() -> None:
    net = network(T_NODES, T_EDGES)
    dest = snap_to_edges(net, np.array([150.0, 0.0]), np.array([0.0, 0.0]))  # on B-C and at A
    origin = snap_to_edges(net, np.array([100.0]), np.array([50.0]))  # on B-E, 50 m from B
    # distances: 50+50 = 100 and 50+100 = 150
    got = count_within(net, origin, dest, thresholds_m=[99.999, 100, 150])
    assert got.tolist() == [[0, 1, 2]]
    one_park = count_within(net, origin, dest, thresholds_m=[100, 150], group=np.array([7, 7]))
    assert one_park.tolist() == [[1, 1]]  # two entrances of one park count once
    weighted = count_within(net, origin, dest, thresholds_m=[150], weight=np.array([2.0, 0.5]))
    assert weighted.tolist() == [[2.5]]


def test_limit_gives_nan_beyond_the_search_distance() -> None:
    net = network(T_NODES, T_EDGES)
    dest = node_positions(net, np.array([0]))  # at A
    far = node_positions(net)
    got = nearest_distance(net, far, {"a": dest}, limit_m=150)["a"]
    by_id = dict(zip(net.node_osm_id.tolist(), got.tolist(), strict=True))
    assert by_id[1] == 0 and by_id[2] == 100
    assert math.isnan(by_id[3]) and math.isnan(by_id[4]) and math.isnan(by_id[5])


def test_ring_without_junction_and_same_coordinate_nodes_stay_distinct() -> None:
    # a square ring of degree-2 nodes only, and a "bridge" node 9 at the very place of node 1
    # but on another way: it is reached only through node 4
    nodes = {1: (0, 0), 2: (100, 0), 3: (100, 100), 4: (0, 100), 9: (0, 0)}
    edges = [(1, 2), (2, 3), (3, 4), (4, 1)]
    ring = network(nodes, edges, keep="all")
    assert ring.n_nodes == 4  # node 9 has no street
    assert ring.chain_mm.sum() == 400_000
    dest = node_positions(ring, np.flatnonzero(ring.node_osm_id == 1))
    got = nearest_distance(ring, node_positions(ring), {"d": dest}, limit_m=1000)["d"]
    by_id = dict(zip(ring.node_osm_id.tolist(), got.tolist(), strict=True))
    assert by_id == {1: 0.0, 2: 100.0, 3: 200.0, 4: 100.0}
    bridged = network(nodes, [*edges, (4, 9)])
    assert bridged.n_nodes == 5
    i1 = np.flatnonzero(bridged.node_osm_id == 1)
    i9 = np.flatnonzero(bridged.node_osm_id == 9)
    got = nearest_distance(
        bridged, node_positions(bridged, i9), {"d": node_positions(bridged, i1)}, limit_m=1000
    )["d"]
    assert got.tolist() == [200.0]  # 9 -> 4 (100 m) -> 1 (100 m), not 0 m


def test_components_are_reported_and_the_largest_kept() -> None:
    nodes = {**T_NODES, 10: (500, 500), 11: (520, 500)}
    net = network(nodes, [*T_EDGES, (10, 11)])
    assert net.report["components"] == 2
    assert net.report["nodes_dropped"] == 2
    assert net.report["length_dropped_km"] == pytest.approx(0.02)
    assert 10 not in net.node_osm_id
    everything = network(nodes, [*T_EDGES, (10, 11)], keep="all")
    assert everything.n_nodes == 7
