"""Tidy activity data in (CSV or XLSX), checked as a whole before anything is computed.

One row is one activity of one city and year, placed in a GPC sub-sector by its reference number:

========================  ===================================================================
column                    meaning
========================  ===================================================================
city, year                registry id of the city, inventory year
gpc_ref                   GPC v1.1 reference number, e.g. ``I.1.1`` or ``III.1.1``
activity                  ``fuel`` | ``electricity`` | ``heat`` | ``landfill`` | ``biological`` |
                          ``wastewater`` | ``direct`` | ``renewable_generation``
amount, unit              the activity amount and its pint unit (``t``, ``10000 m**3``, ``MWh`` …)
fuel                      fuel id for ``fuel`` rows (see :func:`ecocite.carbon.known_fuels`)
grid_region               grid-factor region for ``electricity`` rows (``hubei``, ``national`` …)
waste_type, site_type,    for ``landfill`` rows: waste type (food, garden, paper, wood, textiles),
climate_zone,             disposal-site type (managed_anaerobic …), IPCC climate zone
deposit_year              (temperate_wet …) and the year the waste was deposited
mcf                       methane correction factor (0–1) for ``wastewater`` rows
gas                       CO2, CH4 or N2O for ``direct`` rows (emissions measured elsewhere)
data_quality              high | medium | low (GPC activity-data quality)
notation_key, explanation NO | IE | NE | C for a sub-sector with no amount, and why
description, source       free text carried to the outputs
========================  ===================================================================

Lines starting with ``#`` before the header are metadata comments (e.g. "illustrative data").
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ecocite.carbon.errors import RowError, ValidationFailed
from ecocite.carbon.library import GASES, gpc_subsectors, known_fuels, waste_defaults
from ecocite.carbon.units import dimension_of, unit_problem
from ecocite.data.contract import YEAR_MAX, YEAR_MIN, InputRejected
from ecocite.data.files import MAX_ROWS, check_columns, check_text, read_csv_text, read_xlsx

REQUIRED = ("city", "year", "gpc_ref", "activity", "amount", "unit")
OPTIONAL = (
    "fuel",
    "grid_region",
    "waste_type",
    "site_type",
    "climate_zone",
    "deposit_year",
    "mcf",
    "gas",
    "data_quality",
    "notation_key",
    "explanation",
    "description",
    "source",
)
ACTIVITIES = (
    "fuel",
    "electricity",
    "heat",
    "landfill",
    "biological",
    "wastewater",
    "direct",
    "renewable_generation",
)
NOTATION_KEYS = {
    "NO": "not occurring",
    "IE": "included elsewhere",
    "NE": "not estimated",
    "C": "confidential",
}
QUALITIES = ("high", "medium", "low")

# Which GPC sub-sectors an activity may sit in: scope-1 combustion, grid energy in scope 2/3 …
_FUEL_SUBSECTORS = ("I.1", "I.2", "I.3", "I.4", "I.5", "I.6", "II.", "III.3")


@dataclass
class ActivityData:
    """Validated activity rows plus where they came from."""

    frame: pd.DataFrame
    file: str = "activity data"
    sha256: str = ""
    comments: list[str] = field(default_factory=list)

    @property
    def illustrative(self) -> bool:
        """Tell whether the file says its data is illustrative."""
        text = " ".join(self.comments).lower() + self.file.lower()
        return "illustrative" in text

    def provenance(self) -> dict[str, Any]:
        """Return where the activity data came from: file, hash and comments."""
        return {
            "file": self.file,
            "sha256": self.sha256,
            "rows": len(self.frame),
            "cities": sorted({str(c) for c in self.frame["city"]}) if "city" in self.frame else [],
            "comments": self.comments,
        }


def _blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, float) and pd.isna(value))
        or str(value).strip() in ("", "nan", "<NA>")
    )


def read_activity(path: str | Path, *, max_rows: int | None = MAX_ROWS) -> ActivityData:
    """Read and validate an activity file (CSV or XLSX); raises :class:`ValidationFailed`.

    The file goes through the shared safe readers (:mod:`ecocite.data.files`): NUL bytes,
    non-UTF-8 text, damaged or bomb-like workbooks and files past ``max_rows`` data rows are
    rejected before any row is validated.
    """
    path = Path(path)
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed(
            [RowError(name, None, "(file)", "file.unreadable", {"detail": exc.strerror or ""})]
        ) from None
    digest = hashlib.sha256(raw).hexdigest()
    comments: list[str] = []
    try:
        if path.suffix.lower() == ".xlsx":
            frame = read_xlsx(path, name, max_rows=max_rows)
            header_line = 1
        elif path.suffix.lower() in (".csv", ".txt"):
            lines = check_text(raw, name).splitlines()
            while lines and lines[0].lstrip().startswith("#"):
                comments.append(lines.pop(0).lstrip("# ").rstrip())
            header_line = len(comments) + 1
            frame = read_csv_text("\n".join(lines), name, max_rows=max_rows)
        else:
            raise InputRejected(
                [
                    RowError(
                        name,
                        None,
                        "(file)",
                        "file.unsupported_type",
                        {"suffix": path.suffix.lower(), "expected": "CSV or XLSX"},
                    )
                ]
            )
    except InputRejected as exc:
        raise ValidationFailed(exc.errors) from None
    return validate_activity(
        frame, file=name, header_line=header_line, sha256=digest, comments=comments
    )


def validate_activity(
    frame: pd.DataFrame,
    *,
    file: str = "activity data",
    header_line: int = 1,
    sha256: str = "",
    comments: list[str] | None = None,
) -> ActivityData:
    """Check every row of ``frame``; return normalised rows or raise with *all* problems found.

    Row numbers in errors are file line numbers (``header_line`` is the header's line).
    """
    frame = frame.copy()
    try:
        frame.columns = check_columns(
            frame.columns, file, header_row=header_line, normalise=lambda c: c.strip().lower()
        )
    except InputRejected as exc:
        raise ValidationFailed(exc.errors) from None
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValidationFailed([RowError(file, header_line, c, "column.missing") for c in missing])
    for col in OPTIONAL:
        if col not in frame.columns:
            frame[col] = ""
    frame = frame.astype(object).where(frame.notna(), "")
    schema = gpc_subsectors()
    fuels = set(known_fuels())
    waste = waste_defaults()
    waste_types = set(waste["degradable_organic_carbon"]["values"]) | set(
        waste["decay_rate_k"]["values"]
    )
    site_types = set(waste["methane_correction_factor"]["values"])
    zones = set(next(iter(waste["decay_rate_k"]["values"].values())))

    errors: list[RowError] = []
    out: list[dict[str, Any]] = []
    for i, rec in enumerate(frame.to_dict("records")):
        line = header_line + 1 + i
        row: dict[str, Any] = {
            str(k): ("" if _blank(v) else str(v).strip()) for k, v in rec.items()
        }

        def err(fld: str, message_id: str, line: int = line, **params: Any) -> None:
            errors.append(RowError(file, line, fld, message_id, params))

        for column, text in row.items():
            if "\x00" in text:  # a workbook can carry it as _x0000_; PostgreSQL refuses it
                err(column, "cell.nul")
        if not row["city"]:
            err("city", "city.empty")
        year = _year(row["year"])
        if year is None:
            err("year", "year.invalid", value=row["year"][:200], min=YEAR_MIN, max=YEAR_MAX)
        ref = row["gpc_ref"]
        if ref not in schema.index:
            err("gpc_ref", "gpc_ref.unknown", value=ref[:200])
        key = row["notation_key"].upper()
        if key and key not in NOTATION_KEYS:
            err("notation_key", "notation_key.unknown", value=key[:200])
        quality = row["data_quality"].lower()
        if quality and quality not in QUALITIES:
            err("data_quality", "quality.invalid", value=row["data_quality"][:200])
        if key:
            if row["amount"]:
                err("amount", "amount.with_notation_key")
            if key in ("IE", "NE") and not row["explanation"]:
                err("explanation", "explanation.missing", key=key)
            out.append(
                {
                    **row,
                    "year": year,
                    "notation_key": key,
                    "amount": float("nan"),
                    "source_row": line,
                }
            )
            continue
        activity = row["activity"].lower()
        if activity not in ACTIVITIES:
            err(
                "activity",
                "value.not_in_choices",
                value=row["activity"][:200],
                choices=", ".join(ACTIVITIES),
            )
        amount = _float(row["amount"])
        if amount is None:
            err("amount", "amount.not_number", value=row["amount"][:200])
        elif amount < 0:
            err("amount", "amount.negative", value=f"{amount:g}")
        problem = unit_problem(row["unit"])
        dim = None
        unit = row["unit"][:200]
        if problem is not None:
            errors.append(RowError(file, line, "unit", problem.message_id, problem.params))
        else:
            dim = dimension_of(row["unit"])
        sub = ref.rsplit(".", 1)[0] if ref.count(".") == 2 else ref
        scope = int(schema.loc[ref, "scope"]) if ref in schema.index else None

        if activity == "fuel":
            if row["fuel"] not in fuels:
                err(
                    "fuel",
                    "value.not_in_choices",
                    value=row["fuel"][:200],
                    choices=", ".join(sorted(fuels)),
                )
            if ref in schema.index and (scope != 1 or not ref.startswith(_FUEL_SUBSECTORS)):
                err("gpc_ref", "gpc_ref.fuel", value=ref)
            if dim not in (None, "energy", "mass", "volume"):
                err("unit", "unit.not_fuel_quantity", value=unit)
        elif activity in ("electricity", "heat"):
            if ref in schema.index and (scope not in (2, 3) or ref[0:2] not in ("I.", "II")):
                err("gpc_ref", "gpc_ref.grid", value=ref, activity=activity)
            if dim not in (None, "energy"):
                err("unit", "unit.not_energy", value=unit)
            if activity == "electricity" and not row["grid_region"]:
                err("grid_region", "grid_region.empty")
        elif activity in ("landfill", "biological", "wastewater"):
            prefix = {"landfill": "III.1", "biological": "III.2", "wastewater": "III.4"}[activity]
            if ref in schema.index and sub != prefix:
                err("gpc_ref", "gpc_ref.waste", value=ref, activity=activity, prefix=prefix)
            if dim not in (None, "mass"):
                err("unit", "unit.not_mass", value=unit)
            if activity == "landfill":
                for column, choices in (
                    ("waste_type", waste_types),
                    ("site_type", site_types),
                    ("climate_zone", zones),
                ):
                    if row[column] not in choices:
                        err(
                            column,
                            "value.not_in_choices",
                            value=row[column][:200],
                            choices=", ".join(sorted(choices)),
                        )
                deposit = _year(row["deposit_year"]) if row["deposit_year"] else year
                if deposit is None or (year is not None and deposit > year):
                    err("deposit_year", "deposit_year.invalid", value=row["deposit_year"][:200],
                        min=YEAR_MIN)  # fmt: skip
                row["deposit_year"] = deposit
            if activity == "wastewater":
                mcf = _float(row["mcf"])
                if mcf is None or not 0 <= mcf <= 1:
                    err("mcf", "mcf.invalid", value=row["mcf"][:200])
        elif activity == "direct":
            if row["gas"] not in GASES:
                err("gas", "value.not_in_choices", value=row["gas"][:200], choices=", ".join(GASES))
            if dim not in (None, "mass"):
                err("unit", "unit.not_mass", value=unit)
        elif activity == "renewable_generation" and dim not in (None, "energy"):
            err("unit", "unit.not_energy", value=unit)
        out.append(
            {
                **row,
                "activity": activity,
                "year": year,
                "notation_key": "",
                "amount": amount,
                "source_row": line,
            }
        )

    if errors:
        raise ValidationFailed(errors)
    if not out:
        raise ValidationFailed([RowError(file, None, "(file)", "file.no_rows")])
    clean = pd.DataFrame(out)
    clean["source_file"] = file
    clean["data_quality"] = clean["data_quality"].str.lower().replace("", "unrated")
    return ActivityData(frame=clean, file=file, sha256=sha256, comments=list(comments or []))


def _year(text: Any) -> int | None:
    """Return an integer year within the accepted range, else None."""
    try:
        value = float(str(text))
    except (ValueError, OverflowError):
        return None
    if not value.is_integer() or not YEAR_MIN <= value <= YEAR_MAX:
        return None
    return int(value)


def _float(text: Any) -> float | None:
    """Return a finite number, else None."""
    try:
        value = float(str(text))
    except (ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None
