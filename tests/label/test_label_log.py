"""The decision log: canonical JSON, the hash chain and every kind of tampering."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ecocite.label import (
    GENESIS,
    CanonicalJSONError,
    ChainBroken,
    DecisionLog,
    Evidence,
    LogFormatError,
    canonical_json,
    entry_hash,
    file_sha256,
    iter_jsonl,
    public_view,
    read_jsonl,
    verify,
    write_jsonl,
)

T0 = datetime(2018, 4, 20, 9, 30, tzinfo=UTC)


def _log(tmp_path: Path) -> tuple[DecisionLog, Path]:
    """A small log of every kind, with two evidence files on disk."""
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "review-fr.pdf").write_bytes(b"%PDF-1.4 review by the French assessor")
    (folder / "minutes.pdf").write_bytes(b"%PDF-1.4 jury minutes")
    log = DecisionLog()
    log.append("transition", "secretariat", {"from": "commitment", "to": "diagnostic"}, time=T0)
    log.append(
        "review_submission",
        "assessor",
        {"side": "fr", "recommended_level": "gold", "score": 71.25},
        evidence=[Evidence(name="review-fr.pdf", sha256=file_sha256(folder / "review-fr.pdf"))],
        private={"actor": "user:17", "comment": "Visite du site le 3 mars"},
        time=T0,
    )
    log.append("vote", "jury_member", {"vote": "award"}, private={"actor": "user:4"}, time=T0)
    log.append(
        "decision",
        "jury_chair",
        {"level": "gold", "votes": {"award": 4, "refuse": 1}},
        evidence=[Evidence(name="minutes.pdf", sha256=file_sha256(folder / "minutes.pdf"))],
        time=T0,
    )
    log.append("evidence", "city", {"file": "charter"}, time=T0)
    return log, folder


def _rows(log: DecisionLog) -> list[dict]:
    return [e.to_json() for e in log.entries]


def test_canonical_json_is_stable_and_explicit() -> None:
    value = {"b": [1.0, -0.0, 0.1, 2.5e-7, 10**20], "a": "Éco-cité 生态城", "c": None, "d": True}
    text = canonical_json(value)
    assert (
        text
        == (
            '{"a":"Éco-cité 生态城","b":[1,0,0.1,2.5e-07,100000000000000000000],"c":null,"d":true}'
        ).encode()
    )
    # key order and integral floats do not change the bytes
    assert (
        canonical_json(
            {"d": True, "c": None, "a": "Éco-cité 生态城", "b": [1, 0, 0.1, 2.5e-7, 1e20]}
        )
        == text
    )
    # a known digest pins the format across versions
    assert (
        hashlib.sha256(canonical_json({"seq": 0, "x": 1.5})).hexdigest()
        == hashlib.sha256(b'{"seq":0,"x":1.5}').hexdigest()
    )


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), {1: "a"}, {"a": {1, 2}}])
def test_canonical_json_refuses_what_has_no_single_spelling(bad: object) -> None:
    with pytest.raises(CanonicalJSONError):
        canonical_json(bad)


def test_a_fresh_log_verifies_and_is_chained(tmp_path: Path) -> None:
    log, folder = _log(tmp_path)
    rows = _rows(log)
    assert rows[0]["prev"] == GENESIS
    assert all(rows[i]["prev"] == rows[i - 1]["hash"] for i in range(1, len(rows)))
    assert all(r["hash"] == entry_hash(r) for r in rows)
    result = verify(rows, evidence_dir=folder)
    assert result.ok and result.count == 5 and result.head == log.head
    assert verify([]).ok and verify([]).head == GENESIS


def test_jsonl_round_trip_keeps_the_chain(tmp_path: Path) -> None:
    log, folder = _log(tmp_path)
    path = tmp_path / "log.jsonl"
    assert write_jsonl(log.entries, path) == 5
    assert read_jsonl(path) == log.entries
    assert verify(iter_jsonl(path), evidence_dir=folder).head == log.head
    reopened = DecisionLog(read_jsonl(path))
    reopened.append("transition", "secretariat", {"from": "diagnostic", "to": "co_construction"})
    assert verify(_rows(reopened)).ok


def test_public_view_has_roles_only_and_still_verifies(tmp_path: Path) -> None:
    log, folder = _log(tmp_path)
    public = list(public_view(_rows(log)))
    text = json.dumps(public, ensure_ascii=False)
    assert "user:17" not in text and "Visite" not in text and "user:4" not in text
    assert {r["role"] for r in public} == {
        "secretariat",
        "assessor",
        "jury_member",
        "jury_chair",
        "city",
    }
    assert verify(public, evidence_dir=folder).head == log.head


def _fields(row: dict) -> list[tuple[str, ...]]:
    """Paths to every scalar of a row (nested in payload, evidence and private too)."""
    paths: list[tuple[str, ...]] = []

    def walk(value: object, path: tuple[str, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*path, str(i)))
        else:
            paths.append(path)

    walk(row, ())
    return paths


def _tamper(value: object) -> object:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if value is None:
        return "x"
    return str(value) + "x"


def test_changing_any_field_of_any_row_is_detected_at_that_row(tmp_path: Path) -> None:
    log, folder = _log(tmp_path)
    rows = _rows(log)
    checked = 0
    for index, row in enumerate(rows):
        for path in _fields(row):
            tampered = copy.deepcopy(rows)
            target = tampered[index]
            for key in path[:-1]:
                target = target[int(key)] if isinstance(target, list) else target[key]
            last = int(path[-1]) if isinstance(target, list) else path[-1]
            target[last] = _tamper(target[last])  # type: ignore[index]
            result = verify(tampered, evidence_dir=folder)
            assert not result.ok, (index, path)
            assert result.broken is not None and result.broken.index == index, (index, path)
            checked += 1
    assert checked > 40


def test_a_rehashed_row_is_caught_by_the_next_link(tmp_path: Path) -> None:
    log, _ = _log(tmp_path)
    rows = _rows(log)
    rows[2]["payload"]["vote"] = "refuse"
    rows[2]["hash"] = entry_hash(rows[2])
    broken = verify(rows).broken
    assert broken is not None and (broken.index, broken.reason) == (2, "rewritten")


@pytest.mark.parametrize("index", range(5))
def test_deleting_any_row_is_detected(tmp_path: Path, index: int) -> None:
    log, _ = _log(tmp_path)
    rows = _rows(log)
    del rows[index]
    result = verify(rows, expected_head=log.head, expected_count=len(log))
    assert result.broken is not None
    if index < 4:
        assert (result.broken.index, result.broken.reason) == (index, "missing")
    else:  # the last row: only the anchor can tell
        assert result.broken.reason == "truncated"
        assert verify(rows).ok


@pytest.mark.parametrize(("i", "j"), [(0, 1), (1, 3), (2, 4), (0, 4)])
def test_swapping_two_rows_is_detected(tmp_path: Path, i: int, j: int) -> None:
    log, _ = _log(tmp_path)
    rows = _rows(log)
    rows[i], rows[j] = rows[j], rows[i]
    broken = verify(rows).broken
    assert broken is not None and (broken.index, broken.reason) == (i, "reordered")


def test_a_replaced_or_missing_evidence_file_is_detected(tmp_path: Path) -> None:
    log, folder = _log(tmp_path)
    rows = _rows(log)
    (folder / "minutes.pdf").write_bytes(b"%PDF-1.4 other minutes")
    broken = verify(rows, evidence_dir=folder).broken
    assert broken is not None and (broken.index, broken.reason) == (3, "evidence_mismatch")
    (folder / "review-fr.pdf").unlink()
    broken = verify(rows, evidence_dir=folder).broken
    assert broken is not None and (broken.index, broken.reason) == (1, "evidence_missing")
    assert verify(rows).ok  # without the folder only the chain is checked


def test_bad_input_is_named_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text('{"seq": 0}\nnot json\n', encoding="utf-8")
    with pytest.raises(LogFormatError, match=r"log.jsonl, line 2"):
        list(iter_jsonl(path))
    with pytest.raises(LogFormatError, match=r"line 1, field 'time'"):
        read_jsonl(path)
    broken = verify([{"seq": 0}]).broken
    assert broken is not None and broken.reason == "malformed"


def test_a_log_cannot_be_opened_on_a_broken_chain(tmp_path: Path) -> None:
    log, _ = _log(tmp_path)
    entries = log.entries
    with pytest.raises(ChainBroken, match="entry 1"):
        DecisionLog([entries[0], entries[2]])


def test_numbers_outside_the_fast_encoder_still_verify(tmp_path: Path) -> None:
    """Exponent floats and integers beyond 64 bits take the exact canonical path."""
    log = DecisionLog()
    log.append("decision", "jury_chair", {"small": 2.5e-07, "huge": 10**30, "whole": 3.0})
    path = tmp_path / "log.jsonl"
    write_jsonl(log.entries, path)
    assert b'"small":2.5e-07' in path.read_bytes() and b'"whole":3}' in path.read_bytes()
    assert verify(iter_jsonl(path)).ok
    rows = list(iter_jsonl(path))
    rows[0]["payload"]["small"] = 2.6e-07
    broken = verify(rows).broken
    assert broken is not None and broken.reason == "changed"
