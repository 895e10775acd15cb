"""networkx reference: multi-source Dijkstra for nearest, one bounded Dijkstra per destination
node (with its multiplicity) for counts — the destination-based formulation. With legs, each
destination hangs on its node by an edge as long as its leg (a dead end, never walked through)."""

from __future__ import annotations

import sys

import networkx as nx
import numpy as np
from common import COUNT_M, DENSE, NEAREST_M, Clock, load_case, save, snap_legs


def main(case_path: str, out: str) -> None:
    case = load_case(case_path)
    clock = Clock()
    n = len(case["x"])

    def build() -> nx.Graph:
        g = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_weighted_edges_from(
            zip(
                case["edge_u"].tolist(),
                case["edge_v"].tolist(),
                case["edge_mm"].tolist(),
                strict=True,
            )
        )
        return g

    g = clock.run("build", build)
    dest = case[f"cat_{DENSE}"]
    if snap_legs():
        # destination i is the new node n + i, hung on its street node by its leg
        leg = case[f"leg_{DENSE}"]
        g.add_weighted_edges_from(
            zip((n + np.arange(len(dest))).tolist(), dest.tolist(), leg.tolist(), strict=True)
        )
        dest = n + np.arange(len(dest))

    def nearest() -> np.ndarray:
        d = nx.multi_source_dijkstra_path_length(g, set(dest.tolist()), cutoff=NEAREST_M * 1000)
        out = np.full(n, np.nan)
        keys = np.fromiter(d.keys(), np.int64, len(d))
        street = keys < n
        out[keys[street]] = np.fromiter(d.values(), np.float64, len(d))[street] / 1000.0
        return out

    near = clock.run("nearest_dense", nearest)

    def counts() -> np.ndarray:
        out = np.zeros(n)
        nodes, mult = np.unique(dest, return_counts=True)
        for s, m in zip(nodes.tolist(), mult.tolist(), strict=True):
            reach = nx.single_source_dijkstra_path_length(g, s, cutoff=COUNT_M * 1000)
            keys = np.fromiter(reach.keys(), np.int64, len(reach))
            out[keys[keys < n]] += m
        return out

    cnt = clock.run("count_800m_dense", counts)
    save(out, "networkx", clock, near, cnt)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
