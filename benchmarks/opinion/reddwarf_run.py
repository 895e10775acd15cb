"""Run red-dwarf (AGPL) on one Polis export; print its groups and timing as JSON.

Runs ONLY in the separate benchmark venv ``benchmarks/opinion/.venv-bench`` (red-dwarf is never
imported by ecocite): ``.venv-bench/bin/python reddwarf_run.py EXPORT_DIR``. The vote list is
rebuilt from ``participants-votes.csv`` (the final table) so both tools see the same votes.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pandas as pd
from reddwarf.implementations.polis import run_pipeline


def main(folder: Path) -> None:
    comments = pd.read_csv(folder / "comments.csv")
    wide = pd.read_csv(folder / "participants-votes.csv")
    vote_cols = [c for c in wide.columns if c.isdigit()]
    long = wide.melt(id_vars="participant", value_vars=vote_cols).dropna()
    votes = [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": 0}
        for p, s, v in long[["participant", "variable", "value"]].itertuples(index=False)
    ]
    mod_out = comments.loc[comments["moderated"] == -1, "comment-id"].astype(int).tolist()
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        result = run_pipeline(votes=votes, mod_out_statement_ids=mod_out, random_state=0)
        times.append(time.perf_counter() - t0)
    df = result.participants_df
    groups = {str(int(p)): int(g) for p, g in df["cluster_id"].dropna().items()}
    print(json.dumps({"groups": groups, "seconds": min(times)}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
