"""Benchmark: how long the engine readers take to refuse the hostile files of issue 9.

Each file is refused in a fresh subprocess, timed with its peak memory (``ru_maxrss``), so one
case cannot warm or pollute another. Before the fixes these files pinned a worker for ever
(``9**9**9``), allocated ~8 GB in 37 s (one cell at XFD1048576) or kept a thread busy ~240 s
(1 M rows). Run by hand::

    .venv/bin/python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import io
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from benchkit import DOCS, write_section

HEADER = "city,year,indicator,value,unit,source,quality,verified"
GOOD = "a,2020,co2_per_capita,4,t/person,survey,high,yes"

CHILD = """
import sys, time
from ecocite.data import DataImportError, read_indicator_table
from ecocite.frameworks import get_framework
fw = get_framework("sino-french-ecocity")
t0 = time.perf_counter()
try:
    read_indicator_table(sys.argv[1], framework=fw, max_rows=int(sys.argv[2]))
    outcome = "accepted"
except DataImportError as exc:
    outcome = exc.errors[0].message_id
seconds = time.perf_counter() - t0
# VmHWM is this process's own peak (ru_maxrss would carry the forking parent's peak over exec)
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(outcome, seconds, peak)
"""


def _xlsx_rows(rows: int, drop_dimension: bool) -> bytes:
    """A workbook of ``rows`` data rows written in streaming mode; without its <dimension> tag
    a reader can only find the size by reading every row."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER.split(","))
    for i in range(rows):
        sheet.append(["a", 1900 + i % 200, "co2_per_capita", 4, "t/person", "s", "high", "yes"])
    buffer = io.BytesIO()
    book.save(buffer)
    if not drop_dimension:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension[^>]*/>", b"", data)
            target.writestr(info, data)
    return out.getvalue()


def _far_cell() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER.split(","))
    book.active["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(1024):
                member.write(b" " * (1024 * 1024))  # 1 GiB unpacked
    return buffer.getvalue()


def cases() -> dict[str, tuple[str, bytes, int]]:
    bad_rows = "".join(f"a,{1900 + i % 200},x{i},1,%,s,high,yes\n" for i in range(100_000))
    return {
        "unit `9**9**9` (119-byte CSV)": ("bomb.csv",
            f"{HEADER}\n{GOOD.replace('t/person', '9**9**9')}\n".encode(), 100_000),
        "one cell at XFD1048576 (XLSX)": ("far.xlsx", _far_cell(), 100_000),
        "zip bomb, 1 GiB unpacked (XLSX)": ("zip.xlsx", _zip_bomb(), 100_000),
        "1,000,000 rows, no <dimension> (XLSX)": ("rows.xlsx", _xlsx_rows(1_000_000, True),
                                                   100_000),
        "150,000 rows, no <dimension> (XLSX)": ("rows150k.xlsx", _xlsx_rows(150_000, True),
                                                 100_000),
        "provenance of 100,000 `[` (CSV)": ("deep.csv",
            f"{HEADER},provenance\n{GOOD},{'[' * 100_000}\n".encode(), 100_000),
        "NUL after 4 KiB (CSV)": ("nul.csv",
            (f"{HEADER}\n" + (GOOD + "\n") * 100).encode() + b"\x00\n", 100_000),
        "100,000 bad rows (CSV, 3.9 MB)": ("bad.csv", f"{HEADER}\n{bad_rows}".encode(), 100_000),
    }  # fmt: skip


def main() -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    lines = []
    with tempfile.TemporaryDirectory(prefix="ecocite-hostile-") as folder:
        for label, (name, content, max_rows) in cases().items():
            path = Path(folder) / name
            path.write_bytes(content)
            t0 = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(path), str(max_rows)],
                capture_output=True, text=True, env=env, timeout=600, check=True,
            )  # fmt: skip
            wall = time.perf_counter() - t0
            outcome, seconds, rss_kib = done.stdout.split()
            lines.append(
                f"| {label} | {len(content):,} B | `{outcome}` | {float(seconds):.2f} s |"
                f" {wall:.2f} s | {int(rss_kib) / 1024:.0f} MiB |"
            )
            print(lines[-1], flush=True)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        "## Hostile files\n\n"
        f"`benchmarks/bench_hostile.py`, {when}, {platform.machine()} with {os.cpu_count()} cores "
        f"shared by eight developers at the time (load average {os.getloadavg()[0]:.0f}: the "
        "figures are upper bounds, several times the time on a quiet machine). Each file is refused "
        "by `read_indicator_table` in a fresh process (the web upload and `ecocite data import` "
        "use the same reader); *read* is the reader alone, *process* includes starting Python "
        "and loading the framework, *peak memory* is the process's maximum resident size.\n\n"
        "| file | size | error | read | process | peak memory |\n|---|---|---|---|---|---|\n"
        + "\n".join(lines)
        + "\n"
    )
    write_section(DOCS, "## Hostile files", text)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
