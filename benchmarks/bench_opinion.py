"""Opinion maps: agreement with Polis's own groups, speed, and scale.

    python benchmarks/bench_opinion.py            # everything (several minutes on 2 cores)
    python benchmarks/bench_opinion.py --real     # the four shared conversations only
    python benchmarks/bench_opinion.py --scale    # the synthetic 100,000 × 5,000 conversation
    python benchmarks/bench_opinion.py --history  # replay of a log rebuilt from stats-history.csv

For each shared Polis conversation: adjusted Rand index (ARI) of EcoCité's groups against
Polis's ``group-id`` over the participants Polis grouped, for the one-shot analysis and (where
``votes.csv`` exists) the replay of the vote log, the number of groups, and the time of the
analysis (PCA, clustering, repness, consensus, routing: reading the CSV not included). red-dwarf
runs, if its separate venv exists (``benchmarks/opinion/.venv-bench``), in a subprocess.
The synthetic conversation (illustrative, planted groups) measures time and peak memory of a
one-shot analysis and of an incremental update of 1,000 votes, in a child process.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

from ecocite.participation import analyse, empty_state, replay, update
from ecocite.participation.polis_io import read_export

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
POLIS = next(
    (p / "data" / "polis" for p in (REPO.parent / "shared", REPO.parents[1] / "shared")
     if (p / "data" / "polis").is_dir()),
    REPO.parent / "shared" / "data" / "polis",
)  # fmt: skip
CONVERSATIONS = (
    "american-assembly.bowling-green",
    "austria-climate.2vkxcncppn.2022-07-07",
    "scoop-hivemind.biodiversity",
    "vtaiwan.uberx",
)
REDDWARF_PY = HERE / "opinion" / ".venv-bench" / "bin" / "python"


def _ari(polis: dict[str, int], ours: dict[str, int]) -> tuple[float, int]:
    common = [p for p in polis if p in ours]
    return adjusted_rand_score([polis[p] for p in common], [ours[p] for p in common]), len(common)


def _summary_groups(folder: Path) -> int | None:
    for line in (folder / "summary.csv").read_text("utf-8").splitlines():
        if line.startswith("groups,"):
            return int(line.split(",")[1])
    return None


def real(
    replay_batches: tuple[int, ...] = (100, 300), *, quick: bool = False
) -> list[dict[str, object]]:
    rows = []
    for name in CONVERSATIONS:
        folder = POLIS / name
        e = read_export(folder)
        args = (e.vote_participants, e.vote_statements, e.votes)
        analyse(*args, moderated_out=e.moderated_out)  # warm-up (imports, caches)
        times, cpu = [], []
        for _ in range(5):
            t0, c0 = time.perf_counter(), time.process_time()
            state = analyse(*args, moderated_out=e.moderated_out)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        assert state.result is not None
        ari, n_common = _ari(e.polis_groups, state.result.groups)
        row: dict[str, object] = {
            "conversation": name,
            "participants": len(e.participants),
            "polis_grouped": len(e.polis_groups),
            "ours_grouped": len(state.result.groups),
            "compared": n_common,
            "polis_groups": _summary_groups(folder),
            "groups": len(state.result.group_sizes),
            "ari_one_shot": round(ari, 3),
            "seconds_one_shot": round(min(times), 3),
            "cpu_seconds_one_shot": round(min(cpu), 3),
        }
        if quick:
            rows.append(row)
            print(json.dumps(row), flush=True)
            continue
        for batch in replay_batches if len(e.log_votes) else ():
            t0 = time.perf_counter()
            final = None
            states = replay(
                e.log_participants,
                e.log_statements,
                e.log_votes,
                batch_size=batch,
                moderated_out=e.moderated_out,
            )
            for final in states:  # noqa: B007 — the last state is the result
                pass
            assert final is not None and final.result is not None
            row[f"ari_replay_{batch}"] = round(_ari(e.polis_groups, final.result.groups)[0], 3)
            row[f"groups_replay_{batch}"] = len(final.result.group_sizes)
            row[f"seconds_replay_{batch}"] = round(time.perf_counter() - t0, 1)
        # without a vote log: participants join in id order (Polis numbers them as they arrive),
        # each with their final votes, 100 at a time: an approximation of the history
        order = np.argsort([int(p) for p in e.vote_participants], kind="stable")
        joined = np.array([int(p) for p in e.vote_participants])[order] // 100
        cuts = np.flatnonzero(np.diff(joined)) + 1
        t0 = time.perf_counter()
        state = empty_state(moderated_out=e.moderated_out)
        for part in np.split(order, cuts):
            state = update(state, e.vote_participants[part], e.vote_statements[part], e.votes[part])
        assert state.result is not None
        row["ari_join_order"] = round(_ari(e.polis_groups, state.result.groups)[0], 3)
        row["groups_join_order"] = len(state.result.group_sizes)
        row["seconds_join_order"] = round(time.perf_counter() - t0, 1)
        if REDDWARF_PY.exists():
            out = subprocess.run(
                [str(REDDWARF_PY), str(HERE / "opinion" / "reddwarf_run.py"), str(folder)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            rd = json.loads(out.stdout.strip().splitlines()[-1])
            row["reddwarf_ari"] = round(_ari(e.polis_groups, rd["groups"])[0], 3)
            row["reddwarf_groups"] = len(set(rd["groups"].values()))
            row["reddwarf_seconds"] = round(rd["seconds"], 3)
            row["speed_ratio"] = round(rd["seconds"] / min(times), 1)
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def scale_child() -> None:
    """Runs in a child process so that its peak memory is its own."""
    sys.path.insert(0, str(HERE))
    from opinion_synthetic import synthetic_votes

    pids, sids, votes, planted = synthetic_votes(100_000, 5_000, 5_000_000, n_groups=3, seed=0)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0 = time.perf_counter(), time.process_time()
    state = analyse(pids, sids, votes)
    one_shot, one_shot_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert state.result is not None
    found = [state.result.groups.get(str(i), -1) for i in range(100_000)]
    ari_planted = adjusted_rand_score(planted, found)
    rng = np.random.default_rng(1)
    ids = np.array([str(i) for i in range(100_000)], dtype=object)
    updates, updates_cpu = [], []
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        state = update(state, ids[rng.integers(0, 100_000, 1000)],
                       ids[rng.integers(0, 5_000, 1000)], rng.integers(-1, 2, 1000))  # fmt: skip
        updates.append(time.perf_counter() - t0)
        updates_cpu.append(time.process_time() - c0)
    assert state.result is not None
    print(json.dumps({
        "participants": 100_000, "statements": 5_000, "votes": int(state.result.votes),
        "seconds_one_shot": round(one_shot, 2),
        "seconds_update_1000": [round(u, 2) for u in updates],
        # CPU time of this process (all its threads): what the work costs, whatever the load
        "cpu_seconds_one_shot": round(one_shot_cpu, 2),
        "cpu_seconds_update_1000": [round(u, 2) for u in updates_cpu],
        "groups": state.result.group_sizes,
        "ari_vs_planted_one_shot": round(ari_planted, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rss_before_analysis_mb": round(rss_before / 1024),
    }), flush=True)  # fmt: skip


def history_log(folder: Path, e: object) -> np.ndarray:
    """Order the final votes as they may have arrived, from ``stats-history.csv``.

    Polis's ``stats-history.csv`` has one row per event with running counts of voters and
    comments. Participants and comments are numbered as they arrive, so the event at which the
    k-th voter and the c-th comment appeared is known; a vote of participant k on comment c is
    placed at the later of the two (ties: comment order). Which votes a participant cast first
    is not known: this is an approximation of the log for exports without ``votes.csv``.
    """
    import pandas as pd

    h = pd.read_csv(folder / "stats-history.csv")
    voters, comments = h["n-voters"].to_numpy(), h["n-comments"].to_numpy()
    join_at = np.searchsorted(voters, np.arange(1, voters.max() + 1))
    comment_at = np.searchsorted(comments, np.arange(1, comments.max() + 1))
    pid = np.array([int(p) for p in e.vote_participants])  # type: ignore[attr-defined]
    sid = np.array([int(s) for s in e.vote_statements])  # type: ignore[attr-defined]
    prank = np.searchsorted(np.unique(pid), pid)
    crank = np.searchsorted(np.unique(sid), sid)
    when = np.maximum(
        join_at[np.minimum(prank, len(join_at) - 1)],
        comment_at[np.minimum(crank, len(comment_at) - 1)],
    )
    return np.lexsort((crank, when))


def history(batches: tuple[int, ...] = (500, 1000, 2000, 3000, 5000)) -> None:
    """ARI of the replay of the rebuilt log, per batch size, for each export with a history."""
    for name in CONVERSATIONS:
        folder = POLIS / name
        if not (folder / "stats-history.csv").exists():
            continue
        e = read_export(folder)
        order = history_log(folder, e)
        row: dict[str, object] = {"conversation": name}
        for batch in batches:
            final = None
            for final in replay(  # noqa: B007 — the last state is the result
                e.vote_participants[order],
                e.vote_statements[order],
                e.votes[order],
                batch_size=batch,
                moderated_out=e.moderated_out,
            ):
                pass
            assert final is not None and final.result is not None
            row[f"ari_history_{batch}"] = round(_ari(e.polis_groups, final.result.groups)[0], 3)
        print(json.dumps(row), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--real", action="store_true")
    parser.add_argument("--scale", action="store_true")
    parser.add_argument(
        "--quick", action="store_true", help="one-shot only: no replay, no red-dwarf"
    )
    parser.add_argument("--history", action="store_true")
    parser.add_argument("--scale-child", action="store_true", help=argparse.SUPPRESS)
    a = parser.parse_args()
    if a.scale_child:
        scale_child()
        return
    if a.history:
        history()
        return
    if a.real or not a.scale:
        real(quick=a.quick)
    if a.scale or not a.real:
        subprocess.run([sys.executable, __file__, "--scale-child"], check=True)


if __name__ == "__main__":
    main()
