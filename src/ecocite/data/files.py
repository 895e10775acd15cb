"""Reading untrusted table files (CSV, XLSX, JSON) into string tables, with bounded cost.

Every reader failure becomes an :class:`~ecocite.data.contract.InputRejected` naming the file,
row and field: NUL bytes anywhere, text that is not UTF-8, truncated or bomb-like workbooks
(checked on the archive's directory and the sheet's declared dimension before any cell is read,
then read in openpyxl's streaming read-only mode), tables with more rows than allowed, JSON nested
deeper than Python can parse, and headers that repeat after normalising (``city,City``).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from ecocite.data.contract import InputRejected, RowError

#: Data rows accepted in one file (a header line is not counted).
MAX_ROWS = 200_000
#: Columns accepted in one sheet or table.
MAX_COLUMNS = 100
#: Total size of an XLSX archive's members once unpacked.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
#: Nesting accepted in a JSON file or a JSON cell (provenance); Python's parser stops near 1,000.
JSON_MAX_DEPTH = 100


def _reject(file: str, message_id: str, *, row: int | None = None, field: str = "(file)",
            **params: Any) -> InputRejected:  # fmt: skip
    return InputRejected([RowError(file, row, field, message_id, params)])


def check_text(raw: bytes, file: str) -> str:
    """Return the bytes of a text file as text; refuse NUL bytes (anywhere) and non-UTF-8 content."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise _reject(file, "file.binary", offset=nul)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _reject(file, "file.not_utf8") from None


def check_columns(columns: Iterable[Any], file: str, *, header_row: int = 1,
                  normalise: Callable[[str], str] = str.strip) -> list[str]:  # fmt: skip
    """Header names after ``normalise``; a name that appears twice is a column.duplicate error."""
    names: list[str] = []
    seen: dict[str, str] = {}
    errors: list[RowError] = []
    for index, raw in enumerate(columns, start=1):
        text = "" if raw is None else str(raw)
        name = normalise(text) or f"(column {index})"  # blank header cells stay distinct
        if name in seen:
            errors.append(
                RowError(
                    file,
                    header_row,
                    name,
                    "column.duplicate",
                    {"first": seen[name], "second": text},
                )
            )
        seen.setdefault(name, text)
        names.append(name)
    if len(names) > MAX_COLUMNS:
        errors.append(
            RowError(
                file,
                header_row,
                "(file)",
                "file.xlsx_dimension",
                {"rows": "?", "columns": len(names), "limit_rows": MAX_ROWS,
                 "limit_columns": MAX_COLUMNS},
            )
        )  # fmt: skip
    if errors:
        raise InputRejected(errors)
    return names


def _frame(header: list[Any], rows: list[list[Any]]) -> pd.DataFrame:
    """Return a string table whose column labels may repeat (checked later by :func:`check_columns`)."""
    width = len(header)
    body = [[("" if v is None else str(v)) for v in (r + [None] * (width - len(r)))[:width]]
            for r in rows]  # fmt: skip
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    frame.columns = pd.Index(["" if h is None else str(h) for h in header], dtype=object)
    return frame


def read_csv_text(text: str, file: str, *, max_rows: int | None = MAX_ROWS) -> pd.DataFrame:
    """Return a CSV text as strings (missing cells empty), header names kept as written."""
    if max_rows is not None and text.count("\n") > max_rows + 1:
        # a quick bound before parsing; quoted newlines can only make the real count smaller
        lines = sum(1 for _ in io.StringIO(text))
        if lines > max_rows + 1:
            raise _reject(file, "file.too_many_rows", limit=max_rows)
    try:
        raw = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
            header=None,
            skip_blank_lines=True,
        )
    except pd.errors.EmptyDataError:
        raise _reject(file, "file.no_rows") from None
    except (pd.errors.ParserError, ValueError, csv_error()) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _reject(file, "file.unreadable", detail=detail[:200]) from None
    header = list(raw.iloc[0]) if len(raw) else []
    frame = raw.iloc[1:].reset_index(drop=True)
    frame.columns = pd.Index([str(h) for h in header], dtype=object)
    if max_rows is not None and len(frame) > max_rows:
        raise _reject(file, "file.too_many_rows", limit=max_rows)
    return frame


def csv_error() -> type[Exception]:
    """Return the csv module's error type (imported lazily, as the readers are)."""
    import csv

    return csv.Error


def check_xlsx_archive(path: Path, file: str, *, max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse a workbook that is not a sound zip archive or that unpacks to too many bytes."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(max(info.file_size, 0) for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise _reject(file, "file.not_xlsx") from None
    if "xl/workbook.xml" not in names:
        raise _reject(file, "file.not_xlsx")
    if total > max_unpacked:
        raise _reject(file, "file.xlsx_expands", size=total, limit=max_unpacked)


def read_xlsx(path: Path, file: str, *, max_rows: int | None = MAX_ROWS,
              max_unpacked: int = MAX_UNPACKED_BYTES) -> pd.DataFrame:  # fmt: skip
    """Return the first sheet of a workbook as strings, streamed; header names kept as written.

    The archive and the sheet's declared dimension are checked before any row is read, and
    reading stops at the first row past ``max_rows``.
    """
    check_xlsx_archive(path, file, max_unpacked=max_unpacked)
    from openpyxl import load_workbook

    limit_rows = MAX_ROWS if max_rows is None else max_rows
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors on a damaged workbook
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _reject(file, "file.unreadable", detail=detail[:200]) from None
    try:
        if not workbook.worksheets:
            raise _reject(file, "file.no_rows")
        sheet = workbook.worksheets[0]
        declared_rows = getattr(sheet, "max_row", None)
        declared_columns = getattr(sheet, "max_column", None)
        too_wide = declared_columns is not None and declared_columns > MAX_COLUMNS
        too_long = declared_rows is not None and declared_rows > limit_rows + 1
        if too_wide or too_long:
            raise _reject(
                file,
                "file.xlsx_dimension",
                rows=declared_rows or 0,
                columns=declared_columns or 0,
                limit_rows=limit_rows,
                limit_columns=MAX_COLUMNS,
            )
        rows: list[list[Any]] = []
        try:
            for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
                cells = list(values)
                while cells and cells[-1] is None:
                    cells.pop()
                if len(cells) > MAX_COLUMNS:
                    raise _reject(
                        file,
                        "file.xlsx_dimension",
                        rows=len(rows) + 1,
                        columns=len(cells),
                        limit_rows=limit_rows,
                        limit_columns=MAX_COLUMNS,
                    )
                if not cells and not rows:
                    continue  # blank lines above the header
                rows.append(cells)
                if len(rows) > limit_rows + 1:
                    raise _reject(file, "file.too_many_rows", limit=limit_rows)
        except InputRejected:
            raise
        except Exception as exc:  # XML errors, truncated members, bad cell types
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise _reject(file, "file.unreadable", detail=detail[:200]) from None
    finally:
        workbook.close()
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        raise _reject(file, "file.no_rows")
    header, body = rows[0], rows[1:]
    width = max(len(header), *(len(r) for r in body)) if body else len(header)
    header = header + [None] * (width - len(header))
    return _frame(header, body)


def read_json_records(text: str, file: str, *, max_rows: int | None = MAX_ROWS) -> pd.DataFrame:
    """Return a JSON list of records (or ``{"values": [...]}``) as a table of cells."""
    escaped_nul = re.search(r"\\u0000", text, flags=re.IGNORECASE)
    if escaped_nul is not None:  # decoded, it would be a NUL in a cell (PostgreSQL refuses it)
        raise _reject(file, "file.binary", offset=escaped_nul.start())
    if not json_depth_ok(text):
        raise _reject(file, "json.too_deep", limit=JSON_MAX_DEPTH)
    try:
        records = json.loads(text)
    except RecursionError:
        raise _reject(file, "json.too_deep", limit=JSON_MAX_DEPTH) from None
    except json.JSONDecodeError as exc:
        raise _reject(file, "file.unreadable", row=exc.lineno, detail=exc.msg) from None
    if isinstance(records, dict) and "values" in records:
        records = records["values"]
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise _reject(file, "file.json_shape")
    if max_rows is not None and len(records) > max_rows:
        raise _reject(file, "file.too_many_rows", limit=max_rows)
    header: list[str] = []
    seen: set[str] = set()
    for record in records:
        for key in record:
            if key not in seen:
                seen.add(key)
                header.append(key)
    body = [[record.get(key) for key in header] for record in records]
    frame = pd.DataFrame(body, columns=range(len(header)), dtype=object)
    frame.columns = pd.Index(header, dtype=object)
    return frame


def json_depth_ok(text: str, limit: int | None = None) -> bool:
    """Whether a JSON text nests at most ``limit`` levels (counted without parsing it)."""
    limit = JSON_MAX_DEPTH if limit is None else limit
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                return False
        elif char in "]}":
            depth -= 1
    return True
