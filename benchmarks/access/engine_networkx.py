"""networkx reference: multi-source Dijkstra for nearest, one bounded Dijkstra per destination
node (with its multiplicity) for counts — the destination-based formulation."""

from __future__ import annotations

import sys

import networkx as nx
import numpy as np
from common import COUNT_M, DENSE, NEAREST_M, Clock, load_case, save


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

    def nearest() -> np.ndarray:
        d = nx.multi_source_dijkstra_path_length(g, set(dest.tolist()), cutoff=NEAREST_M * 1000)
        out = np.full(n, np.nan)
        keys = np.fromiter(d.keys(), np.int64, len(d))
        out[keys] = np.fromiter(d.values(), np.float64, len(d)) / 1000.0
        return out

    near = clock.run("nearest_dense", nearest)

    def counts() -> np.ndarray:
        out = np.zeros(n)
        nodes, mult = np.unique(dest, return_counts=True)
        for s, m in zip(nodes.tolist(), mult.tolist(), strict=True):
            reach = nx.single_source_dijkstra_path_length(g, s, cutoff=COUNT_M * 1000)
            out[np.fromiter(reach.keys(), np.int64, len(reach))] += m
        return out

    cnt = clock.run("count_800m_dense", counts)
    save(out, "networkx", clock, near, cnt)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
