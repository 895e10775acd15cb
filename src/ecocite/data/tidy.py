"""City indicator data in a tidy format, validated all-or-nothing against a framework.

One row per city, year and indicator::

    city,year,indicator,value,unit,source,quality,verified[,provenance][,notes]
    jingzhou,2019,co2_per_capita,3.6,t/person,CEADs 2019 / census 2020,high,yes

Values are converted with pint to the indicator's unit. Any problem in any row rejects the whole
table: :class:`DataImportError` lists one message per offending row and field.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecocite.frameworks.schema import Framework
from ecocite.units import UnitError, conversion_factor

REQUIRED_COLUMNS = ("city", "year", "indicator", "value", "unit", "source", "quality", "verified")
OPTIONAL_COLUMNS = ("provenance", "notes")
QUALITY_LEVELS = ("low", "medium", "high")
_TRUE = {"yes", "y", "true", "1", "oui", "o", "是", "1.0"}
_FALSE = {"no", "n", "false", "0", "non", "否", "0.0", ""}
MIN_YEAR, MAX_YEAR = 1900, 2100
SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".json")


@dataclass(frozen=True)
class RowError:
    """One problem: which file, which row (1 = header line, as a spreadsheet counts), which field."""

    file: str
    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row is not None else self.file
        return f"{where}, field '{self.field}': {self.message}"


class DataImportError(ValueError):
    """The table was rejected; nothing was imported. ``errors`` has one entry per problem."""

    def __init__(self, errors: Iterable[RowError]):
        self.errors = list(errors)
        shown = "\n".join(str(e) for e in self.errors[:50])
        more = f"\n… and {len(self.errors) - 50} more" if len(self.errors) > 50 else ""
        super().__init__(f"{len(self.errors)} problem(s), nothing imported:\n{shown}{more}")


def _read_raw(source: str | Path | pd.DataFrame, name: str | None) -> tuple[pd.DataFrame, str, int]:
    """Read a table as strings.

    Read a table as strings. Returns the frame, its display name and the row number of its
    first data row (2 for files with a header line; 1 for JSON records and frames).
    """
    if isinstance(source, pd.DataFrame):
        return source.copy(), name or "<table>", 1
    path = Path(source)
    label = name or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DataImportError(
            [
                RowError(
                    label,
                    None,
                    "(file)",
                    f"unsupported file type {suffix!r}; use CSV, XLSX or JSON",
                )
            ]
        )
    try:
        if suffix == ".csv":
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
            frame = pd.read_csv(
                io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True
            )
            return frame, label, 2
        if suffix == ".xlsx":
            frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
            return frame, label, 2
        records = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(records, dict) and "values" in records:
            records = records["values"]
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise DataImportError(
                [
                    RowError(
                        label, None, "(file)", "JSON must be a list of records or {'values': [...]}"
                    )
                ]
            )
        return pd.DataFrame.from_records(records).astype(object), label, 1
    except DataImportError:
        raise
    except UnicodeDecodeError:
        raise DataImportError([RowError(label, None, "(file)", "not UTF-8 text")]) from None
    except (pd.errors.EmptyDataError, ValueError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataImportError(
            [RowError(label, None, "(file)", f"cannot read the table: {detail}")]
        ) from None
    except Exception as exc:  # zip/xml errors from openpyxl on a corrupt workbook, parser errors
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataImportError(
            [RowError(label, None, "(file)", f"cannot read the table: {detail}")]
        ) from None


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
    frame, label, first_row = _read_raw(source, name)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise DataImportError(
            [RowError(label, 1, c, "required column is missing") for c in missing]
        )
    unknown_cols = [c for c in frame.columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    errors: list[RowError] = [
        RowError(
            label,
            1,
            c,
            f"unknown column; expected {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}",
        )
        for c in unknown_cols
    ]
    if frame.empty:
        raise DataImportError([*errors, RowError(label, None, "(file)", "the table has no rows")])

    rows = np.arange(len(frame)) + first_row
    text = {
        c: _as_text(frame[c]) for c in frame.columns if c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    }

    def flag(mask: Any, field: str, message: Any) -> None:
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            msg = message(i) if callable(message) else message
            errors.append(RowError(label, int(rows[i]), field, msg))

    city = text["city"]
    flag(city == "", "city", "empty; expected a city id from the registry")
    if cities is not None:
        known = set(cities)
        flag((city != "") & ~city.isin(known), "city", lambda i: f"unknown city {city.iloc[i]!r}")

    year = pd.to_numeric(text["year"], errors="coerce")
    bad_year = year.isna() | (year % 1 != 0) | (year < MIN_YEAR) | (year > MAX_YEAR)
    flag(
        bad_year,
        "year",
        lambda i: f"{text['year'].iloc[i]!r} is not a year between {MIN_YEAR} and {MAX_YEAR}",
    )

    indicator = text["indicator"]
    ids = set(framework.indicator_ids())
    bad_ind = ~indicator.isin(ids)
    flag(
        bad_ind,
        "indicator",
        lambda i: f"unknown indicator {indicator.iloc[i]!r} in {framework.key}",
    )

    value = pd.to_numeric(text["value"].str.replace(",", "", regex=False), errors="coerce")
    bad_value = value.isna() | ~np.isfinite(value.to_numpy(dtype=float, na_value=np.nan))
    flag(bad_value, "value", lambda i: f"{text['value'].iloc[i]!r} is not a number")

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
            flag(mask, "unit", f"{exc}; expected a unit convertible to {expected!r}")
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
            lambda i, low=low, high=high, unit=units[ind_id]: (
                f"{converted[i]:g} {unit} is outside the possible range [{low}, {high}]"
            ),
        )

    flag(text["source"] == "", "source", "empty; every value needs its source")
    quality = text["quality"].str.lower()
    flag(
        ~quality.isin(QUALITY_LEVELS),
        "quality",
        lambda i: f"{text['quality'].iloc[i]!r}; expected high, medium or low",
    )
    verified_text = text["verified"].str.lower()
    bad_verified = ~verified_text.isin(_TRUE | _FALSE)
    flag(bad_verified, "verified", lambda i: f"{text['verified'].iloc[i]!r}; expected yes or no")

    provenance = text.get("provenance", pd.Series([""] * len(frame), index=frame.index))
    for i, raw in enumerate(provenance):
        if raw:
            try:
                json.loads(raw)
            except json.JSONDecodeError:
                errors.append(RowError(label, int(rows[i]), "provenance", "not valid JSON"))

    key = pd.DataFrame({"c": city, "y": year, "i": indicator, "r": rows})
    first_row_of = key.groupby(["c", "y", "i"], dropna=False)["r"].transform("first")
    dup = key.duplicated(["c", "y", "i"], keep="first") & ~bad_year & (city != "")
    flag(
        dup,
        "indicator",
        lambda i: f"duplicate of row {first_row_of.iloc[i]} (same city, year and indicator)",
    )

    if errors:
        errors.sort(key=lambda e: (e.row or 0, e.field))
        raise DataImportError(errors)

    return pd.DataFrame(
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


def data_hash(values: pd.DataFrame) -> str:
    """Compute a stable SHA-256 of the values an assessment used (order-independent)."""
    cols = ["city", "year", "indicator", "value", "unit", "source", "quality", "verified"]
    canonical = (
        values[cols]
        .sort_values(["city", "year", "indicator"])
        .to_csv(index=False, float_format="%.12g")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
