"""pandana 0.8 (AGPL, benchmark environment only): contraction hierarchies, range queries from
every node. Counts use the same destination node ids; nearest uses set_pois (coordinates)."""

from __future__ import annotations

import sys

import numpy as np
import pandana
import pandas as pd
from common import COUNT_M, DENSE, NEAREST_M, Clock, load_case, save


def main(case_path: str, out: str) -> None:
    case = load_case(case_path)
    clock = Clock()
    n = len(case["x"])
    ids = pd.Index(np.arange(n))
    net = clock.run(
        "build",
        pandana.Network,
        pd.Series(case["x"], index=ids),
        pd.Series(case["y"], index=ids),
        pd.Series(case["edge_u"]),
        pd.Series(case["edge_v"]),
        pd.DataFrame({"w": case["edge_mm"] / 1000.0}),
        twoway=True,
    )
    dest = case[f"cat_{DENSE}"]

    def nearest() -> np.ndarray:
        net.set_pois("dense", NEAREST_M, 1, pd.Series(case["x"][dest]), pd.Series(case["y"][dest]))
        d = net.nearest_pois(NEAREST_M, "dense", num_pois=1)[1].reindex(ids).to_numpy(float).copy()
        d[d >= NEAREST_M] = np.nan  # pandana fills "none found" with the search distance
        return d

    near = clock.run("nearest_dense", nearest)

    def counts() -> np.ndarray:
        net.set(pd.Series(dest), variable=pd.Series(np.ones(len(dest))), name="dense")
        return (
            net.aggregate(COUNT_M, type="count", decay="flat", name="dense")
            .reindex(ids)
            .to_numpy(float)
        )

    cnt = clock.run("count_800m_dense", counts)
    save(out, "pandana", clock, near, cnt)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
