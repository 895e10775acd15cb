"""Exact agreement with a plain networkx Dijkstra on real Las Palmas data, same snapping.

networkx searches the raw street segments with the foot of every snapped place inserted as its
own node (the segment split there) and the place itself hung on its foot by an edge as long as
its snap leg, in the same integer millimetres: nearest distances must be equal to the
millimetre and counts equal, with the legs (the default) and without them (leg edges of 0).
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import numpy as np
import pytest
import shapely

from ecocite.access.network import WalkNetwork
from ecocite.access.search import Positions, count_within, nearest_distance, snap_to_edges


def split_graph(
    net: WalkNetwork, places: dict[str, Positions], *, legs: bool = True
) -> tuple[nx.Graph, dict[str, list]]:  # type: ignore[type-arg]
    graph = nx.Graph()
    on_edge: dict[int, list[tuple[int, object]]] = defaultdict(list)
    names: dict[str, list] = {}  # type: ignore[type-arg]
    for key, pos in places.items():
        names[key] = []
        for i in range(len(pos)):
            if pos.chain[i] < 0:
                names[key].append(None)
                continue
            node, foot = (key, i), ("foot", key, i)
            names[key].append(node)
            # a dead end: the place is reached through its foot only, never walked through
            graph.add_edge(foot, node, weight=int(pos.leg_mm[i]) if legs else 0)
            e = int(pos.edge[i])
            on_edge[e].append((abs(int(pos.off[i]) - int(net.edge_off_u[e])), foot))
    for e in range(net.n_edges):
        prev, prev_t = ("n", int(net.edge_u[e])), 0
        for t, node in sorted(on_edge.get(e, []), key=lambda s: s[0]):
            graph.add_edge(prev, node, weight=t - prev_t)
            prev, prev_t = node, t
        graph.add_edge(prev, ("n", int(net.edge_v[e])), weight=int(net.edge_mm[e]) - prev_t)
    return graph, names


@pytest.mark.parametrize("legs", [True, False], ids=["whole walk", "street part"])
def test_nearest_and_counts_equal_networkx_on_a_real_subset(las_palmas, legs: bool) -> None:  # type: ignore[no-untyped-def]
    net = las_palmas.network
    # a 1.5 km square of the city centre (Triana / Vegueta): origins = buildings inside it,
    # destinations = every food-and-drink place of the city (searches use the whole network)
    c = shapely.box(458_200, 3_108_300, 459_700, 3_109_800)
    b = las_palmas.buildings
    rp = b.geometry.representative_point()
    inside = shapely.contains_xy(c, rp.x.to_numpy(), rp.y.to_numpy())
    ox, oy = rp.x.to_numpy()[inside], rp.y.to_numpy()[inside]
    fac = las_palmas.facilities[las_palmas.facilities["category"] == "food_drink"]
    dest = snap_to_edges(net, fac["x"].to_numpy(), fac["y"].to_numpy(), max_distance_m=500)
    origins = snap_to_edges(net, ox, oy, max_distance_m=500)
    assert len(origins) > 300 and dest.snapped.sum() > 500

    assert np.median(origins.snap_distance_m) > 3  # buildings stand back from the street
    mine_near = nearest_distance(net, origins, {"f": dest}, limit_m=1200, snap_legs=legs)["f"]
    mine_count = count_within(net, origins, dest, thresholds_m=[300, 800], snap_legs=legs)

    graph, names = split_graph(net, {"o": origins, "d": dest}, legs=legs)
    sources = {s for s in names["d"] if s is not None}
    ref = nx.multi_source_dijkstra_path_length(graph, sources, cutoff=1_200_000, weight="weight")
    ref_near = np.array([ref.get(t, -1) for t in names["o"]], np.int64)
    got = np.where(np.isnan(mine_near), -1, np.rint(mine_near * 1000)).astype(np.int64)
    assert np.array_equal(got, ref_near)

    index = {t: k for k, t in enumerate(names["o"]) if t is not None}
    ref_count = np.zeros((len(origins), 2), np.int64)
    for s in names["d"]:
        if s is None:
            continue
        for node, d in nx.single_source_dijkstra_path_length(
            graph, s, cutoff=800_000, weight="weight"
        ).items():
            k = index.get(node)
            if k is not None:
                ref_count[k, 1] += 1
                ref_count[k, 0] += d <= 300_000
    assert np.array_equal(mine_count.astype(np.int64), ref_count)
    assert ref_count[:, 1].mean() > 10  # a dense centre: the comparison is not trivial
