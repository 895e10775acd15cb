"""Verifying a log file in parallel parts gives exactly the sequential verdict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecocite.label import DecisionLog, entry_hash, iter_jsonl, parallel, verify, write_jsonl


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(parallel, "_MIN_PART", 1)  # parts even for a small file
    log = DecisionLog()
    for i in range(60):
        log.append("vote", "jury_member", {"n": i, "x": i / 7}, private={"actor": f"u{i}"})
    path = tmp_path / "log.jsonl"
    write_jsonl(log.entries, path)
    return path


def _edit(path: Path, change) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    change(rows)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_an_intact_log_verifies_in_parts(log_file: Path) -> None:
    result = parallel.verify_file(log_file, workers=3)
    assert result == verify(iter_jsonl(log_file)) and result.ok and result.count == 60
    assert parallel.verify_file(log_file, workers=1) == result


def _rehash(rows: list[dict], i: int) -> None:
    rows[i]["payload"]["n"] = -1
    rows[i]["hash"] = entry_hash(rows[i])


@pytest.mark.parametrize(
    "change",
    [
        lambda rows: rows[45]["payload"].update(n=99),  # changed, in a later part
        lambda rows: rows.pop(20),  # removed near a seam
        lambda rows: rows.__setitem__(slice(10, 50, 39), [rows[49], rows[10]]),  # swapped
        lambda rows: _rehash(rows, 39),  # re-hashed, caught by the next link
        lambda rows: rows.pop(),  # cut off: only the anchor sees it
    ],
)
def test_a_broken_log_gets_the_sequential_report(log_file: Path, change) -> None:
    head = verify(iter_jsonl(log_file)).head
    _edit(log_file, change)
    expected = verify(iter_jsonl(log_file), expected_head=head, expected_count=60)
    assert not expected.ok
    assert (
        parallel.verify_file(log_file, workers=3, expected_head=head, expected_count=60) == expected
    )
