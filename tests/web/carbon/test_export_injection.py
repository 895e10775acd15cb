"""The public eCRF workbook and the CSV exports never carry a live formula from an input file."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from ecocite.carbon import compute_inventory, demo_activity_path, read_activity
from ecocite.carbon.export import write_inventory_csv, write_inventory_xlsx
from ecocite.web.carbon.services import import_activity

HOSTILE = {
    "description": '=HYPERLINK("http://evil.example/","click")',
    "source": "=cmd|' /C calc'!A0",
}


def _hostile_activity() -> tuple[str, bytes]:
    path = Path(demo_activity_path("jingzhou"))
    lines = path.read_text(encoding="utf-8").splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("city,"))
    header = lines[header_at].split(",")
    row = next(csv.reader([lines[header_at + 1]]))
    for field, text in HOSTILE.items():
        row[header.index(field)] = text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(row)
    lines[header_at + 1] = buffer.getvalue().rstrip("\n")
    return path.name, ("\n".join(lines) + "\n").encode("utf-8")


def _cells(content: bytes) -> list[Any]:
    book = openpyxl.load_workbook(io.BytesIO(content))  # not read-only: keeps the cell types
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_public_ecrf_workbook_has_no_formula(client: Any, city: Any) -> None:
    name, content = _hostile_activity()
    record = import_activity(name, content, city=city, gwp_set="ar6", user=None)
    response = client.get(reverse("carbon:download", args=[record.pk]))
    assert response.status_code == 200
    cells = _cells(response.content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for text in HOSTILE.values():
        assert "'" + text in texts and text not in texts
    # Numbers are still numbers.
    assert any(isinstance(c.value, float) and c.value > 0 for c in cells)


def test_engine_exports_neutralise_text(tmp_path: Path) -> None:
    name, content = _hostile_activity()
    source = tmp_path / name
    source.write_bytes(content)
    inventory = compute_inventory(read_activity(source))
    cells = _cells(write_inventory_xlsx(inventory, tmp_path / "out.xlsx").read_bytes())
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    with write_inventory_csv(inventory, tmp_path / "out.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["source"] for r in rows} >= {"'" + HOSTILE["source"]}
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())
    assert all(float(r["amount"]) >= 0 for r in rows if r["amount"])


@pytest.mark.parametrize("field", sorted(HOSTILE))
def test_hostile_text_reaches_the_inventory_unchanged(tmp_path: Path, field: str) -> None:
    """The defusing is done on export only: the stored inventory keeps what the file said."""
    name, content = _hostile_activity()
    source = tmp_path / name
    source.write_bytes(content)
    rows = compute_inventory(read_activity(source)).rows
    assert HOSTILE[field] in set(rows[field])
