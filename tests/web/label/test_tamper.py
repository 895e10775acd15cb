"""Tampering with the decision log in the database is found by ``ecocite label verify``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db.models import F
from typer.testing import CliRunner

from ecocite.cli import app as cli
from ecocite.web.label import services
from ecocite.web.label.models import LogRow

FIELDS = ["seq", "time", "kind", "role", "payload", "evidence", "private_digest", "prev", "hash"]


@pytest.fixture
def labelled(drive: Any, settings: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    app = drive("labelled")
    assert services.verify_database().ok
    return app


def _cli(*args: str) -> Any:
    return CliRunner().invoke(cli, ["label", "verify", *args])


def _changed(value: Any, field: str) -> Any:
    if field == "seq":
        return value + 7
    if isinstance(value, str):
        return ("f" if not value.startswith("f") else "e") + value[1:]
    if isinstance(value, dict):
        return {**value, "extra": 1}
    if isinstance(value, list):
        return [*value, {"name": "x", "sha256": "0" * 64}]
    return "0" * 64  # private_digest None


def test_the_cli_reads_the_database_and_says_ok(labelled: Any) -> None:
    r = _cli()
    assert r.exit_code == 0, r.output
    assert f"OK {LogRow.objects.count()} entries" in r.output


@pytest.mark.parametrize("field", FIELDS)
def test_changing_any_field_of_any_row_is_found(labelled: Any, field: str) -> None:
    rows = list(LogRow.objects.order_by("pk"))
    for index in (0, len(rows) // 2, len(rows) - 1):
        row = rows[index]
        original = getattr(row, field)
        LogRow.objects.filter(pk=row.pk).update(**{field: _changed(original, field)})
        result = services.verify_database(evidence=False)
        assert not result.ok
        assert result.broken is not None and result.broken.index in (index, index - 1)
        r = _cli()
        assert r.exit_code == 1 and "BROKEN entry" in r.output
        LogRow.objects.filter(pk=row.pk).update(**{field: original})
        assert services.verify_database().ok


def test_changing_the_private_part_is_found(labelled: Any) -> None:
    row = LogRow.objects.filter(private__isnull=False).order_by("pk")[2]
    LogRow.objects.filter(pk=row.pk).update(private={**row.private, "actor": 999})
    result = services.verify_database()
    assert result.broken is not None and result.broken.reason == "private_mismatch"


def test_deleting_a_row_is_found(labelled: Any) -> None:
    rows = list(LogRow.objects.order_by("pk"))
    rows[3].delete()
    result = services.verify_database()
    assert result.broken is not None
    assert (result.broken.index, result.broken.reason) == (3, "missing")
    r = _cli()
    assert r.exit_code == 1 and "BROKEN entry 3 (seq 4)" in r.output and "missing" in r.output


def test_deleting_the_last_row_is_found_by_the_head_anchor(labelled: Any) -> None:
    LogRow.objects.order_by("-pk").first().delete()
    result = services.verify_database()
    assert result.broken is not None and result.broken.reason == "truncated"


def test_swapping_two_rows_is_found(labelled: Any) -> None:
    a, b = list(LogRow.objects.order_by("pk"))[4:6]
    values = {f: getattr(a, f) for f in [*FIELDS, "private"]}
    LogRow.objects.filter(pk=a.pk).update(**{f: getattr(b, f) for f in [*FIELDS, "private"]})
    LogRow.objects.filter(pk=b.pk).update(**values)
    result = services.verify_database()
    assert result.broken is not None
    assert (result.broken.index, result.broken.reason) == (4, "reordered")


def test_renumbering_every_row_is_found(labelled: Any) -> None:
    LogRow.objects.update(seq=F("seq") + 1)
    assert not services.verify_database().ok


def test_replacing_an_evidence_file_is_found(labelled: Any, settings: Any) -> None:
    row = LogRow.objects.filter(kind="evidence").order_by("pk").first()
    path = Path(settings.MEDIA_ROOT) / row.evidence[0]["name"]
    path.write_bytes(b"%PDF-1.4 a different report\n%%EOF\n")
    result = services.verify_database()
    assert result.broken is not None and result.broken.reason == "evidence_mismatch"
    path.unlink()
    result = services.verify_database()
    assert result.broken is not None and result.broken.reason == "evidence_missing"
    r = _cli()
    assert r.exit_code == 1 and "evidence_missing" in r.output


def test_the_public_export_verifies_as_a_file(labelled: Any, tmp_path: Path) -> None:
    target = tmp_path / "log.jsonl"
    r = CliRunner().invoke(cli, ["label", "export", str(target)])
    assert r.exit_code == 0, r.output
    assert '"private"' not in target.read_text()
    r = _cli(str(target))
    assert r.exit_code == 0, r.output


def test_rederive_confirms_the_award(labelled: Any) -> None:
    r = CliRunner().invoke(cli, ["label", "rederive", labelled.certificate_code])
    assert r.exit_code == 0, r.output
    assert "IDENTICAL" in r.output
    r = CliRunner().invoke(cli, ["label", "rederive", "ECL-NONE-NONE"])
    assert r.exit_code == 2
