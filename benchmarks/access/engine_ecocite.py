"""EcoCité: chain-compressed junction graph, numba searches from the destinations."""

from __future__ import annotations

import sys

import numpy as np
import pyproj
from common import COUNT_M, DENSE, NEAREST_M, Clock, load_case, save, snap_legs

from ecocite.access.network import build_network
from ecocite.access.search import Positions, count_within, nearest_distance, node_positions

LEVELS = {"5min": 300.0, "10min": 500.0, "15min": 1000.0}


def warm_up() -> None:
    # loads the cached numba machine code (first ever run compiles it) outside the timings
    ids = np.array([1, 2, 3])
    net = build_network(ids, np.array([0.0, 1, 2]), np.zeros(3), np.array([1, 2]),
                        np.array([2, 3]), crs=pyproj.CRS.from_epsg(32628))  # fmt: skip
    p = node_positions(net)
    nearest_distance(net, p, {"a": node_positions(net, np.array([0]))}, limit_m=10)
    count_within(net, p, node_positions(net, np.array([0])), thresholds_m=[1.0])


def main(case_path: str, out: str) -> None:
    case = load_case(case_path)
    warm_up()
    clock = Clock()
    n = len(case["x"])
    net = clock.run(
        "build", build_network, np.arange(n), case["x"], case["y"], case["edge_u"],
        case["edge_v"], crs=pyproj.CRS.from_epsg(32628), edge_mm=case["edge_mm"],
    )  # fmt: skip
    assert net.n_nodes == n, "the prepared case is one connected component"
    everyone = node_positions(net)
    legs = snap_legs()

    def destinations(c: str) -> Positions:
        at = node_positions(net, case[f"cat_{c}"])
        if not legs:
            return at
        return Positions(at.chain, at.off, at.edge, case[f"leg_{c}"] / 1000.0)

    dests = {c: destinations(c) for c in case["categories"]}

    def life_circles() -> dict[str, np.ndarray]:
        near = nearest_distance(net, everyone, dests, limit_m=NEAREST_M, snap_legs=legs)
        level_of = {c: lv for c, lv in zip(case["categories"], case["levels"], strict=True)}
        covered = {}
        for lv, dist in LEVELS.items():
            ok = np.ones(n, bool)
            for c, d in near.items():
                if level_of[c] == lv:
                    ok &= np.nan_to_num(d, nan=np.inf) <= dist
            covered[lv] = ok
        near["_covered"] = np.array([covered[lv].mean() for lv in LEVELS])
        return near

    near = clock.run("nearest_12_categories_and_life_circles", life_circles)
    counts = clock.run(
        "count_800m_dense", count_within, net, everyone, dests[DENSE], thresholds_m=[COUNT_M],
        snap_legs=legs,
    )[:, 0]  # fmt: skip
    save(
        out, "ecocite", clock, near[DENSE], counts,
        junctions=net.n_junctions, chains=net.n_chains, snap_legs=legs,
        life_circle_coverage_pct={lv: float(100 * v) for lv, v in zip(LEVELS, near["_covered"], strict=True)},
    )  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
