"""``ecocite label verify`` on exported logs: OK with count and head, or the first break."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ecocite.cli import app
from ecocite.label import DecisionLog, Evidence, file_sha256, public_view, write_jsonl


def _export(tmp_path: Path) -> tuple[Path, Path, DecisionLog]:
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "review.pdf").write_bytes(b"%PDF review")
    log = DecisionLog()
    log.append("transition", "secretariat", {"from": "commitment", "to": "diagnostic"})
    log.append(
        "review_submission",
        "assessor",
        {"side": "cn"},
        evidence=[Evidence(name="review.pdf", sha256=file_sha256(folder / "review.pdf"))],
        private={"actor": "user:9"},
    )
    log.append("decision", "jury_chair", {"level": "silver"})
    path = tmp_path / "log.jsonl"
    write_jsonl(public_view(e.to_json() for e in log.entries), path)
    return path, folder, log


def test_verify_prints_ok_count_and_head(tmp_path: Path) -> None:
    path, folder, log = _export(tmp_path)
    r = CliRunner().invoke(app, ["label", "verify", str(path), "--evidence-dir", str(folder)])
    assert r.exit_code == 0, r.output
    assert f"OK 3 entries, head {log.head}" in r.output
    r = CliRunner().invoke(app, ["label", "verify", str(path), "--head", log.head, "--count", "3"])
    assert r.exit_code == 0, r.output


def test_verify_names_the_first_broken_entry_and_fails(tmp_path: Path) -> None:
    path, _, _ = _export(tmp_path)
    rows = path.read_text(encoding="utf-8").splitlines()
    row = json.loads(rows[1])
    row["payload"]["side"] = "fr"
    rows[1] = json.dumps(row)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["label", "verify", str(path)])
    assert r.exit_code == 1
    assert "BROKEN entry 1 (seq 1)" in r.output and "changed" in r.output


def test_verify_checks_evidence_and_the_anchor(tmp_path: Path) -> None:
    path, folder, log = _export(tmp_path)
    (folder / "review.pdf").write_bytes(b"%PDF another review")
    r = CliRunner().invoke(app, ["label", "verify", str(path), "--evidence-dir", str(folder)])
    assert r.exit_code == 1 and "evidence_mismatch" in r.output
    lines = path.read_text(encoding="utf-8").splitlines()[:-1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["label", "verify", str(path), "--head", log.head])
    assert r.exit_code == 1 and "truncated" in r.output


def test_verify_reports_unreadable_input_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["label", "verify", str(path)])
    assert r.exit_code == 1 and "line 1" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(app, ["label", "verify", str(tmp_path / "none.jsonl")])
    assert r.exit_code == 2 and "no such file" in r.output
