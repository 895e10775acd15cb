"""Verify a large JSON Lines log file in parallel parts, with the sequential verdict.

Each entry's hash can be checked on its own; only the links at the seams between parts need
the neighbouring part. Parts are byte ranges cut at line ends, verified in worker processes,
then stitched. If anything fails, the whole file is verified again sequentially so the report
(the first broken entry, its index and reason) is exactly that of :func:`verify`.
"""

from __future__ import annotations

import itertools
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ecocite.label.log import GENESIS, Verification, _loads, iter_jsonl, verify

_MIN_PART = 32 << 20  # below 32 MB a part is not worth a process


def _cuts(path: Path, parts: int) -> list[tuple[int, int]]:
    size = path.stat().st_size
    bounds = [0]
    with path.open("rb") as handle:
        for k in range(1, parts):
            handle.seek(max(size * k // parts, bounds[-1]))
            handle.readline()  # move to the start of the next line
            bounds.append(min(handle.tell(), size))
    bounds.append(size)
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def _verify_part(
    path: str, begin: int, end: int, evidence_dir: str | None
) -> tuple[bool, int, int, str, str]:
    """Verify one byte range: (ok, first seq, count, prev before it, head)."""
    with open(path, "rb") as handle:
        handle.seek(begin)
        lines = handle.read(end - begin).splitlines()
    rows = [_loads(line) for line in lines if line.strip()]
    if not rows or not isinstance(rows[0], dict):
        return (False, 0, 0, "", "")
    first = rows[0]
    seq, prev = first.get("seq"), first.get("prev")
    if not isinstance(seq, int) or not isinstance(prev, str):
        return (False, 0, 0, "", "")
    folder = Path(evidence_dir) if evidence_dir else None
    result = verify(rows, evidence_dir=folder, start=seq, start_prev=prev)
    return (result.ok, seq, result.count, prev, result.head)


def verify_file(
    path: Path,
    *,
    evidence_dir: Path | None = None,
    expected_head: str | None = None,
    expected_count: int | None = None,
    workers: int | None = None,
) -> Verification:
    """Verify a JSON Lines log file, in parallel when it is large; same result as :func:`verify`.

    Parameters
    ----------
    path
        The exported log.
    evidence_dir, expected_head, expected_count
        As for :func:`verify`.
    workers
        Processes to use (default: the CPU count); 1 verifies sequentially.
    """
    workers = workers or os.cpu_count() or 1
    parts = min(workers, max(1, path.stat().st_size // _MIN_PART))

    def sequential() -> Verification:
        return verify(
            iter_jsonl(path),
            evidence_dir=evidence_dir,
            expected_head=expected_head,
            expected_count=expected_count,
        )

    if parts <= 1:
        return sequential()
    cuts = _cuts(path, parts)
    folder = str(evidence_dir) if evidence_dir else None
    try:
        with ProcessPoolExecutor(max_workers=len(cuts)) as pool:
            results = list(
                pool.map(
                    _verify_part, *zip(*[(str(path), a, b, folder) for a, b in cuts], strict=True)
                )
            )
    except ValueError:  # an unreadable line: the sequential pass names file and line
        return sequential()
    seq, head = 0, GENESIS
    for ok, first, count, prev, last in results:
        if not ok or first != seq or prev != head:
            return sequential()
        seq, head = seq + count, last
    if (expected_count is not None and seq < expected_count) or (
        expected_head is not None and head != expected_head
    ):
        return sequential()
    return Verification(ok=True, count=seq, head=head)
