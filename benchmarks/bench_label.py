"""Benchmark: verify a decision log of 1,000,000 entries (goal, issue 13: < 10 s).

The log is constructed (seeded, illustrative): a mix of transitions, review submissions with
an evidence file hash and a salted private part, jury votes and decisions, written as JSON
Lines exactly as :func:`ecocite.label.write_jsonl` writes them. Timed: the engine path
(``verify(iter_jsonl(path))``, sequential), ``verify_file`` (parallel parts) and the command itself in a subprocess
(``ecocite label verify``, interpreter start included; it verifies in parallel parts). Run by hand::

    .venv/bin/python benchmarks/bench_label.py                 # 1,000,000 entries
    .venv/bin/python benchmarks/bench_label.py --entries 100000
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ecocite.label.log import (
    GENESIS,
    _dumps,
    entry_hash,
    iter_jsonl,
    private_digest,
    verify,
)
from ecocite.label.parallel import verify_file

STAGES = ["commitment", "diagnostic", "co_construction", "expert_review", "jury", "labelled"]


def write_log(path: Path, n: int, seed: int = 0) -> str:
    """Write ``n`` chained entries to ``path``; return the head hash."""
    rng = random.Random(seed)
    prev = GENESIS
    with path.open("wb") as out:
        for seq in range(n):
            kind = ("transition", "review_submission", "vote", "decision", "evidence")[seq % 5]
            entry: dict = {
                "seq": seq,
                "time": f"2018-04-{1 + seq % 28:02d}T09:{seq % 60:02d}:00.000000Z",
                "kind": kind,
                "role": ("secretariat", "assessor", "jury_member", "jury_chair", "city")[seq % 5],
                "payload": {
                    "application": f"app-{seq % 300}",
                    "from": STAGES[seq % 5],
                    "to": STAGES[seq % 5 + 1],
                    "score": round(rng.uniform(40, 90), 2),
                },
                "evidence": [],
                "private_digest": None,
                "prev": prev,
            }
            if kind == "review_submission":
                digest = hashlib.sha256(seq.to_bytes(8, "big")).hexdigest()
                entry["evidence"] = [{"name": f"review-{seq}.pdf", "sha256": digest}]
                private = {"actor": f"user:{rng.randrange(10_000)}", "salt": f"{seq:032x}"}
                entry["private"] = private
                entry["private_digest"] = private_digest(private)
            entry["hash"] = prev = entry_hash(entry)
            out.write(_dumps(entry) + b"\n")
    return prev


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.jsonl"
        t0 = time.perf_counter()
        head = write_log(path, args.entries)
        t_write = time.perf_counter() - t0
        size = path.stat().st_size / 1e6
        t0, c0 = time.perf_counter(), time.process_time()
        result = verify(iter_jsonl(path), expected_head=head, expected_count=args.entries)
        t_engine, c_engine = time.perf_counter() - t0, time.process_time() - c0
        assert result.ok and result.count == args.entries, result
        t0 = time.perf_counter()
        result = verify_file(path, expected_head=head, expected_count=args.entries)
        t_parallel = time.perf_counter() - t0
        assert result.ok and result.count == args.entries, result
        ecocite = str(Path(sys.executable).parent / "ecocite")
        cli = [ecocite, "label", "verify", str(path), "--head", head]
        t0, u0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        run = subprocess.run(cli, capture_output=True, text=True, check=False)
        t_cli = time.perf_counter() - t0
        u1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        c_cli = (u1.ru_utime - u0.ru_utime) + (u1.ru_stime - u0.ru_stime)
        assert run.returncode == 0 and f"OK {args.entries} entries" in run.stdout, run
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"entries: {args.entries:,}  file: {size:.0f} MB  (writing it took {t_write:.1f} s)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"verify (engine, iter_jsonl + verify): {t_engine:.2f} s wall, {c_engine:.2f} s CPU")
    print(f"verify_file (parallel parts, {os.cpu_count()} processes): {t_parallel:.2f} s wall")
    print(
        "ecocite label verify (subprocess, interpreter start included): "
        f"{t_cli:.2f} s wall, {c_cli:.2f} s CPU"
    )


if __name__ == "__main__":
    main()
