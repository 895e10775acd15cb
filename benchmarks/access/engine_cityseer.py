"""cityseer 5.8 (AGPL, benchmark environment only): per-node bounded traversal (Rust), data
points assigned to street edges. Destinations are given as points at their node coordinates."""

from __future__ import annotations

import sys

import geopandas as gpd
import networkx as nx
from cityseer.metrics import layers
from cityseer.tools import io
from common import COUNT_M, DENSE, Clock, load_case, save
from shapely.geometry import LineString


def main(case_path: str, out: str) -> None:
    case = load_case(case_path)
    clock = Clock()
    n = len(case["x"])
    x, y = case["x"], case["y"]

    def build():  # type: ignore[no-untyped-def]
        g = nx.MultiGraph()
        g.graph["crs"] = 32628
        for i in range(n):
            g.add_node(str(i), x=float(x[i]), y=float(y[i]))
        for u, v in zip(case["edge_u"].tolist(), case["edge_v"].tolist(), strict=True):
            # a seam link between a node on the seam and its mirror image has length 0: cityseer
            # rejects empty geometries, so such a link is drawn 1 mm long (its length elsewhere)
            end = (x[v] + 0.001, y[v]) if (x[u], y[u]) == (x[v], y[v]) else (x[v], y[v])
            g.add_edge(str(u), str(v), geom=LineString([(x[u], y[u]), end]))
        return io.network_structure_from_nx(g)

    nodes_gdf, _, structure = clock.run("build", build)
    dest = case[f"cat_{DENSE}"]
    data = gpd.GeoDataFrame(
        {"cat": [DENSE] * len(dest)}, geometry=gpd.points_from_xy(x[dest], y[dest]), crs=32628
    )

    def query():  # type: ignore[no-untyped-def]
        return layers.compute_accessibilities(
            data, "cat", [DENSE], nodes_gdf, structure, distances=[int(COUNT_M)], decay_fn="1"
        )

    res = clock.run("count_800m_dense", query)
    res = res.set_axis(res.index.astype(int)).sort_index()
    cnt_col = next(c for c in res.columns if DENSE in c and "nearest" not in c)
    near_col = next(c for c in res.columns if DENSE in c and "nearest" in c)
    near = res[near_col].to_numpy(float)  # cityseer: nearest within 800 m, same traversal
    save(out, "cityseer", clock, near, res[cnt_col].to_numpy(float), nearest_limit_m=COUNT_M,
         columns=[cnt_col, near_col])  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
