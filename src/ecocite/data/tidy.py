"""City indicator data in a tidy format, validated all-or-nothing against a framework.

One row per city, year and indicator::

    city,year,indicator,value,unit,source,quality,verified[,provenance][,notes]
    jingzhou,2019,co2_per_capita,3.6,t/person,CEADs 2019 / census 2020,high,yes

Values are converted with pint to the indicator's unit. Any problem in any row rejects the whole
table: :class:`DataImportError` lists one message per offending row and field.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecocite.data.contract import (
    TIDY_OPTIONAL_COLUMNS,
    TIDY_REQUIRED_COLUMNS,
    YEAR_MAX,
    YEAR_MIN,
    InputRejected,
    RowError,
)
from ecocite.data.files import (
    JSON_MAX_DEPTH,
    MAX_ROWS,
    check_columns,
    check_text,
    json_depth_ok,
    read_csv_text,
    read_json_records,
    read_xlsx,
)
from ecocite.data.template import template_framework
from ecocite.frameworks.schema import DataQuality, Framework
from ecocite.units import UnitError, conversion_factor

REQUIRED_COLUMNS = TIDY_REQUIRED_COLUMNS
OPTIONAL_COLUMNS = TIDY_OPTIONAL_COLUMNS
QUALITY_LEVELS = tuple(q.value for q in DataQuality)
_TRUE = {"yes", "y", "true", "1", "oui", "o", "是", "1.0"}
_FALSE = {"no", "n", "false", "0", "non", "否", "0.0", ""}
MIN_YEAR, MAX_YEAR = YEAR_MIN, YEAR_MAX
SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".json")


class DataImportError(InputRejected):
    """The table was rejected; nothing was imported. ``errors`` has one entry per problem."""

    summary = "problem(s), nothing imported"


def _read_raw(
    source: str | Path | pd.DataFrame, name: str | None, max_rows: int | None
) -> tuple[pd.DataFrame, str, int]:
    """Read a table as strings.

    Returns the frame, its display name and the row number of its first data row (2 for files
    with a header line; 1 for JSON records and frames).
    """
    if isinstance(source, pd.DataFrame):
        return source.copy(), name or "<table>", 1
    path = Path(source)
    label = name or str(path)
    suffix = path.suffix.lower()
    try:
        if suffix not in SUPPORTED_SUFFIXES:
            raise InputRejected(
                [
                    RowError(
                        label,
                        None,
                        "(file)",
                        "file.unsupported_type",
                        {"suffix": suffix, "expected": "CSV, XLSX or JSON"},
                    )
                ]
            )
        if suffix == ".xlsx":
            return read_xlsx(path, label, max_rows=max_rows), label, 2
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputRejected(
                [RowError(label, None, "(file)", "file.unreadable", {"detail": exc.strerror or ""})]
            ) from None
        text = check_text(raw, label)
        if suffix == ".csv":
            return read_csv_text(text, label, max_rows=max_rows), label, 2
        return read_json_records(text, label, max_rows=max_rows), label, 1
    except InputRejected as exc:
        raise DataImportError(exc.errors) from None


def _as_text(series: pd.Series) -> pd.Series:
    """Cells as stripped text, empty for missing ones (vectorised: tables can have 10⁵ rows)."""
    text = series.astype(object).where(series.notna(), "").astype(str).str.strip()
    return text.astype(object)


def read_indicator_table(
    source: str | Path | pd.DataFrame,
    *,
    framework: Framework,
    cities: Iterable[str] | None = None,
    name: str | None = None,
    max_rows: int | None = MAX_ROWS,
) -> pd.DataFrame:
    """Validate a tidy indicator table and return it in canonical form.

    Parameters
    ----------
    source
        A CSV, XLSX or JSON file, or a DataFrame with the tidy columns.
    framework
        The framework whose indicators, units and physical ranges the values must fit.
    cities
        Known city ids; ``None`` accepts any non-empty city id.
    name
        The name used in error messages (defaults to the file path).
    max_rows
        Data rows accepted in a file (``None``: no limit); a DataFrame is never limited.

    Returns
    -------
    DataFrame with columns city, year (int), indicator, value (float, in the indicator's unit), unit
    (the indicator's unit), original_value, original_unit, source, quality, verified (bool),
    provenance (JSON text), row (the source row number).

    Raises
    ------
    DataImportError
        With one :class:`RowError` per offending row and field; nothing is returned in part.
    """
    frame, label, first_row = _read_raw(source, name, max_rows)
    try:
        frame.columns = check_columns(frame.columns, label, normalise=lambda c: c.strip().lower())
    except InputRejected as exc:
        raise DataImportError(exc.errors) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise DataImportError([RowError(label, 1, c, "column.missing") for c in missing])
    expected = ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    unknown_cols = [c for c in frame.columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    errors: list[RowError] = [
        RowError(label, 1, c, "column.unknown", {"expected": expected}) for c in unknown_cols
    ]
    if frame.empty:
        raise DataImportError([*errors, RowError(label, None, "(file)", "file.no_rows")])

    rows = np.arange(len(frame)) + first_row
    skipped = 0
    if "provenance" in frame.columns:  # a template (ecocite.data.template): its own checks
        marks = _as_text(frame["provenance"]).map(template_framework)
        others = sorted({str(m) for m in marks.dropna() if m != framework.key})
        if others:
            raise DataImportError(
                [
                    RowError(label, None, "(file)", "template.other_framework",
                             {"template": others[0], "framework": framework.key})
                ]
            )  # fmt: skip
        left_empty = (marks.notna() & (_as_text(frame["value"]) == "")).to_numpy()
        skipped = int(left_empty.sum())
        if skipped:
            frame = frame[~left_empty].reset_index(drop=True)
            rows = rows[~left_empty]
        if frame.empty:
            raise DataImportError([*errors, RowError(label, None, "(file)", "template.empty")])
    text = {
        c: _as_text(frame[c]) for c in frame.columns if c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    }

    # Row-by-row access for messages goes through numpy arrays: Series.iloc costs ~0.1 ms a call.
    cell_text = {c: series.to_numpy() for c, series in text.items()}

    def flag(mask: Any, field: str, message_id: str, params: Any = None) -> None:
        """One error per row in ``mask``; ``params`` is a mapping or a function of the row."""
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            found = params(i) if callable(params) else (params or {})
            errors.append(RowError(label, int(rows[i]), field, message_id, found))

    def cell(column: str) -> Any:
        cells = cell_text[column]
        return lambda i: {"value": cells[i][:200]}

    for column, cells in text.items():  # e.g. from a workbook's _x0000_ escape
        flag(cells.str.contains("\x00", regex=False), column, "cell.nul")

    city = text["city"]
    flag(city == "", "city", "city.empty")
    if cities is not None:
        known = set(cities)
        flag((city != "") & ~city.isin(known), "city", "city.unknown", cell("city"))

    year = pd.to_numeric(text["year"], errors="coerce")
    bad_year = year.isna() | (year % 1 != 0) | (year < MIN_YEAR) | (year > MAX_YEAR)
    flag(
        bad_year,
        "year",
        "year.invalid",
        lambda i: {"value": cell_text["year"][i][:200], "min": MIN_YEAR, "max": MAX_YEAR},
    )

    indicator = text["indicator"]
    ids = set(framework.indicator_ids())
    bad_ind = ~indicator.isin(ids)
    flag(
        bad_ind,
        "indicator",
        "indicator.unknown",
        lambda i: {"value": cell_text["indicator"][i][:200], "framework": framework.key},
    )

    value = pd.to_numeric(text["value"].str.replace(",", "", regex=False), errors="coerce")
    bad_value = value.isna() | ~np.isfinite(value.to_numpy(dtype=float, na_value=np.nan))
    flag(bad_value, "value", "value.not_number", cell("value"))

    # Unit conversion and physical range, once per (indicator, unit) pair, on integer codes.
    unit = text["unit"]
    units = {ind_id: framework.indicator(ind_id).unit for ind_id in ids}
    target_unit = indicator.map(units).fillna("")
    pair_code, pairs = pd.factorize(pd.MultiIndex.from_arrays([indicator, unit]))
    scale = np.full(len(frame), np.nan)
    offset = np.zeros(len(frame))
    for code, (ind_id, unit_text) in enumerate(pairs):
        if ind_id not in ids:
            continue
        mask = pair_code == code
        expected = units[ind_id]
        try:
            s, o = conversion_factor(unit_text, expected)
        except UnitError as exc:
            flag(mask, "unit", exc.message_id, {**exc.params, "expected": expected})
            continue
        scale[mask], offset[mask] = s, o
    converted = value.to_numpy(dtype=float, na_value=np.nan) * scale + offset

    ind_code, ind_ids = pd.factorize(indicator)
    for code, ind_id in enumerate(ind_ids):
        if ind_id not in ids:
            continue
        rng = framework.indicator(ind_id).range
        if rng.min is None and rng.max is None:
            continue
        mask = (ind_code == code) & ~np.isnan(converted)
        with np.errstate(invalid="ignore"):
            outside = (converted < (-np.inf if rng.min is None else rng.min)) | (
                converted > (np.inf if rng.max is None else rng.max)
            )
        low = "" if rng.min is None else f"{rng.min:g}"
        high = "" if rng.max is None else f"{rng.max:g}"
        flag(
            mask & outside,
            "value",
            "value.out_of_range",
            lambda i, low=low, high=high, unit=units[ind_id]: {
                "value": f"{converted[i]:g}",
                "unit": unit,
                "low": low,
                "high": high,
            },
        )

    flag(text["source"] == "", "source", "source.empty")
    quality = text["quality"].str.lower()
    flag(~quality.isin(QUALITY_LEVELS), "quality", "quality.invalid", cell("quality"))
    verified_text = text["verified"].str.lower()
    bad_verified = ~verified_text.isin(_TRUE | _FALSE)
    flag(bad_verified, "verified", "verified.invalid", cell("verified"))

    provenance = text.get("provenance", pd.Series([""] * len(frame), index=frame.index))
    for i, raw in enumerate(provenance):
        if raw:
            if not json_depth_ok(raw):
                errors.append(
                    RowError(
                        label,
                        int(rows[i]),
                        "provenance",
                        "json.too_deep",
                        {"limit": JSON_MAX_DEPTH},
                    )
                )
                continue
            try:
                json.loads(raw)
            except (json.JSONDecodeError, RecursionError):
                errors.append(RowError(label, int(rows[i]), "provenance", "provenance.invalid"))

    key = pd.DataFrame({"c": city, "y": year, "i": indicator, "r": rows})
    first_row_of = key.groupby(["c", "y", "i"], dropna=False)["r"].transform("first")
    dup = key.duplicated(["c", "y", "i"], keep="first") & ~bad_year & (city != "")
    first_rows = first_row_of.to_numpy()
    flag(dup, "indicator", "indicator.duplicate", lambda i: {"first": int(first_rows[i])})

    if errors:
        errors.sort(key=lambda e: (e.row or 0, e.field))
        raise DataImportError(errors)

    table = pd.DataFrame(
        {
            "city": city.to_numpy(),
            "year": year.astype(int).to_numpy(),
            "indicator": indicator.to_numpy(),
            "value": converted,
            "unit": target_unit.to_numpy(),
            "original_value": value.to_numpy(dtype=float),
            "original_unit": unit.to_numpy(),
            "source": text["source"].to_numpy(),
            "quality": quality.to_numpy(),
            "verified": verified_text.isin(_TRUE).to_numpy(),
            "provenance": provenance.to_numpy(),
            "row": rows,
        }
    )
    # Template rows left without a value were not imported (the preview says how many).
    table.attrs["template_rows_skipped"] = skipped
    return table


def data_hash(values: pd.DataFrame) -> str:
    """Compute a stable SHA-256 of the values an assessment used (order-independent)."""
    cols = ["city", "year", "indicator", "value", "unit", "source", "quality", "verified"]
    canonical = (
        values[cols]
        .sort_values(["city", "year", "indicator"])
        .to_csv(index=False, float_format="%.12g")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
