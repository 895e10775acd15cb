"""Benchmark: what parsing an upload in a limited child process costs, and how fast a limit stops one.

Uploads are parsed in the job worker (and by ``ecocite data import``) in a child process held
to ``ECOCITE_UPLOAD_PARSE_SECONDS`` and ``ECOCITE_UPLOAD_PARSE_MEMORY_MB``
(``ecocite.data.limits.run_limited``). Measured here, best of several runs: the same valid
table read directly and through the child (the difference is the fork and sending the table
back), and the time until a child that loops, or allocates without end, is stopped. Run by hand::

    .venv/bin/python benchmarks/bench_parse_limits.py
"""

from __future__ import annotations

import os
import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchkit import DOCS, best_of, write_section

from ecocite.data import read_indicator_table
from ecocite.data.contract import InputRejected
from ecocite.data.limits import Limits, run_limited
from ecocite.frameworks import get_framework

ROW = "jingzhou,{year},co2_per_capita,4,t/person,survey,high,yes\n"
HEADER = "city,year,indicator,value,unit,source,quality,verified\n"


def _read(path: str) -> int:
    return len(read_indicator_table(Path(path), framework=get_framework("sino-french-ecocity")))


def _loop() -> None:
    while True:
        pass


def _allocate() -> None:
    blocks = []
    while True:
        blocks.append(bytearray(50 * 1024 * 1024))


def _stopped(func: object, limits: Limits) -> tuple[float, str]:
    t0 = time.perf_counter()
    try:
        run_limited(func, file="x", limits=limits)  # type: ignore[arg-type]
    except InputRejected as exc:
        return time.perf_counter() - t0, exc.errors[0].message_id
    return time.perf_counter() - t0, "not stopped"


def main() -> None:
    """Time the direct and limited reads, and the stops; write the section of docs/benchmarks.md."""
    load = os.getloadavg()[0]
    lines = [
        "| table | rows | direct read s | in the limited child s | overhead s |",
        "|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as folder:
        for rows in (2, 10_000, 100_000):
            # Distinct years (and indicators repeat): a valid table would need as many
            # indicators; duplicates are errors, so use one row a year up to 200, then cycle.
            body = "".join(ROW.format(year=1900 + i % 200) for i in range(rows))
            path = Path(folder) / f"t{rows}.csv"
            path.write_text(HEADER + body)

            def direct(p: str = str(path)) -> object:
                try:
                    return _read(p)
                except InputRejected:
                    return None

            def child(p: str = str(path)) -> object:
                try:
                    return run_limited(_read, p, file="t.csv")
                except InputRejected:
                    return None

            d, c = best_of(direct, 3), best_of(child, 3)
            lines.append(f"| CSV | {rows:,} | {d:.2f} | {c:.2f} | {c - d:+.2f} |")
    loop_s, loop_id = _stopped(_loop, Limits(seconds=2, memory_mb=None))
    alloc_s, alloc_id = _stopped(_allocate, Limits(seconds=60, memory_mb=512))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    heading = "## Parsing uploads under limits (security)"
    text = (
        f"{heading}\n\n`benchmarks/bench_parse_limits.py`, {stamp}, {platform.machine()} with "
        f"{os.cpu_count()} cores shared by eight developers (load average {load:.0f} at the start:"
        " upper bounds). Tables of 10,000 and 100,000 rows are read to their row errors (repeated"
        " city-year-indicator keys), which costs as much as reading them; each read includes loading"
        " the bundled framework. The child runs at nice 10.\n\n" + "\n".join(lines) + "\n\n"
        f"A child that loops with `ECOCITE_UPLOAD_PARSE_SECONDS=2` is stopped after {loop_s:.1f} s"
        f" (`{loop_id}`); one that allocates without end with `ECOCITE_UPLOAD_PARSE_MEMORY_MB=512`"
        f" after {alloc_s:.1f} s (`{alloc_id}`). The worker itself goes on with the next job.\n"
    )
    print(text)
    write_section(DOCS, heading, text)


if __name__ == "__main__":
    main()
