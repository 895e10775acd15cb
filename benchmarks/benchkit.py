"""What the benchmark scripts share: timing and writing their section of docs/benchmarks.md."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by other work)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def write_section(path: Path, heading: str, text: str) -> None:
    """Replace (or append) one ``## `` section of docs/benchmarks.md, leaving the others alone."""
    doc = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    start = doc.find(heading + "\n")
    if start < 0:
        doc = doc.rstrip("\n") + "\n\n" + text
    else:
        end = doc.find("\n## ", start + len(heading))
        doc = doc[:start] + text + (doc[end + 1 :] if end >= 0 else "")
    path.write_text(doc, encoding="utf-8")
