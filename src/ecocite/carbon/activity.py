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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ecocite.carbon.errors import RowError, ValidationFailed
from ecocite.carbon.library import GASES, gpc_subsectors, known_fuels, waste_defaults
from ecocite.carbon.units import dimension_of, unit_error

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


def read_activity(path: str | Path) -> ActivityData:
    """Read and validate an activity file (CSV or XLSX); raises :class:`ValidationFailed`."""
    path = Path(path)
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed(
            [RowError(name, 0, "-", f"cannot read file: {exc.strerror}", "a readable file")]
        ) from exc
    digest = hashlib.sha256(raw).hexdigest()
    comments: list[str] = []
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            frame = pd.read_excel(path, sheet_name=0, dtype=object)
            header_line = 1
        else:
            lines = raw.decode("utf-8-sig").splitlines()
            while lines and lines[0].lstrip().startswith("#"):
                comments.append(lines.pop(0).lstrip("# ").rstrip())
            header_line = len(comments) + 1
            from io import StringIO

            frame = pd.read_csv(StringIO("\n".join(lines)), dtype=str, keep_default_na=False)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            [RowError(name, 0, "-", f"unreadable: {exc}", "UTF-8 CSV or XLSX")]
        ) from exc
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
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValidationFailed(
            [
                RowError(file, header_line, c, "column missing", f"columns {', '.join(REQUIRED)}")
                for c in missing
            ]
        )
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

        def err(fld: str, problem: str, expected: str, line: int = line) -> None:
            errors.append(RowError(file, line, fld, problem, expected))

        if not row["city"]:
            err("city", "empty", "a city registry id")
        year = _int(row["year"])
        if year is None:
            err("year", f"not a year: {row['year']!r}", "an integer year such as 2020")
        ref = row["gpc_ref"]
        if ref not in schema.index:
            err(
                "gpc_ref",
                f"unknown GPC sector {ref!r}",
                "a GPC v1.1 reference number such as I.1.1 or III.1.1",
            )
        key = row["notation_key"].upper()
        if key and key not in NOTATION_KEYS:
            err("notation_key", f"unknown notation key {key!r}", "NO, IE, NE or C")
        quality = row["data_quality"].lower()
        if quality and quality not in QUALITIES:
            err("data_quality", f"{row['data_quality']!r}", "high, medium or low")
        if key:
            if row["amount"]:
                err(
                    "amount",
                    "an amount together with a notation key",
                    "an empty amount when a notation key is given",
                )
            if key in ("IE", "NE") and not row["explanation"]:
                err(
                    "explanation",
                    f"notation key {key} without explanation",
                    "where it is included / why not estimated",
                )
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
                f"unknown activity {row['activity']!r}",
                f"one of {', '.join(ACTIVITIES)}",
            )
        amount = _float(row["amount"])
        if amount is None:
            err(
                "amount",
                f"not a number: {row['amount']!r}",
                "a number (or a notation key with an empty amount)",
            )
        elif amount < 0:
            err("amount", f"negative activity {amount:g}", "an amount >= 0")
        problem = unit_error(row["unit"])
        dim = None
        if problem:
            err("unit", problem, "a pint unit such as t, 10000 m**3, MWh, GJ")
        else:
            dim = dimension_of(row["unit"])
        sub = ref.rsplit(".", 1)[0] if ref.count(".") == 2 else ref
        scope = int(schema.loc[ref, "scope"]) if ref in schema.index else None

        if activity == "fuel":
            if row["fuel"] not in fuels:
                err("fuel", f"unknown fuel {row['fuel']!r}", f"one of {', '.join(sorted(fuels))}")
            if ref in schema.index and (scope != 1 or not ref.startswith(_FUEL_SUBSECTORS)):
                err(
                    "gpc_ref",
                    f"fuel combustion cannot be reported in {ref}",
                    "a scope-1 combustion sub-sector (I.1.1 … II.5.1, III.3.1)",
                )
            if dim not in (None, "energy", "mass", "volume"):
                err(
                    "unit",
                    f"{row['unit']!r} is not a fuel quantity",
                    "a mass, volume or energy unit",
                )
        elif activity in ("electricity", "heat"):
            if ref in schema.index and (scope not in (2, 3) or ref[0:2] not in ("I.", "II")):
                err(
                    "gpc_ref",
                    f"grid {activity} cannot be reported in {ref}",
                    "a scope-2 or scope-3 energy sub-sector (I.1.2, II.1.2 …)",
                )
            if dim not in (None, "energy"):
                err(
                    "unit",
                    f"{row['unit']!r} does not convert to energy",
                    "an energy unit such as MWh, kWh or GJ",
                )
            if activity == "electricity" and not row["grid_region"]:
                err("grid_region", "empty", "a grid region such as hubei, jilin, national")
        elif activity in ("landfill", "biological", "wastewater"):
            prefix = {"landfill": "III.1", "biological": "III.2", "wastewater": "III.4"}[activity]
            if ref in schema.index and sub != prefix:
                err(
                    "gpc_ref", f"{activity} cannot be reported in {ref}", f"a {prefix}.x sub-sector"
                )
            if dim not in (None, "mass"):
                err(
                    "unit",
                    f"{row['unit']!r} does not convert to mass",
                    "a mass unit such as t or kg",
                )
            if activity == "landfill":
                if row["waste_type"] not in waste_types:
                    err(
                        "waste_type",
                        f"unknown waste type {row['waste_type']!r}",
                        f"one of {', '.join(sorted(waste_types))}",
                    )
                if row["site_type"] not in site_types:
                    err(
                        "site_type",
                        f"unknown site type {row['site_type']!r}",
                        f"one of {', '.join(sorted(site_types))}",
                    )
                if row["climate_zone"] not in zones:
                    err(
                        "climate_zone",
                        f"unknown climate zone {row['climate_zone']!r}",
                        f"one of {', '.join(sorted(zones))}",
                    )
                deposit = _int(row["deposit_year"]) if row["deposit_year"] else year
                if deposit is None or (year is not None and deposit > year):
                    err(
                        "deposit_year",
                        f"{row['deposit_year']!r}",
                        "a year not after the inventory year",
                    )
                row["deposit_year"] = deposit
            if activity == "wastewater":
                mcf = _float(row["mcf"])
                if mcf is None or not 0 <= mcf <= 1:
                    err("mcf", f"{row['mcf']!r}", "a methane correction factor between 0 and 1")
        elif activity == "direct":
            if row["gas"] not in GASES:
                err("gas", f"unknown gas {row['gas']!r}", f"one of {', '.join(GASES)}")
            if dim not in (None, "mass"):
                err("unit", f"{row['unit']!r} does not convert to mass", "a mass unit such as t")
        elif activity == "renewable_generation" and dim not in (None, "energy"):
            err(
                "unit",
                f"{row['unit']!r} does not convert to energy",
                "an energy unit such as MWh",
            )
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
        raise ValidationFailed(
            [RowError(file, header_line, "-", "no data rows", "at least one activity row")]
        )
    clean = pd.DataFrame(out)
    clean["source_file"] = file
    clean["data_quality"] = clean["data_quality"].str.lower().replace("", "unrated")
    return ActivityData(frame=clean, file=file, sha256=sha256, comments=list(comments or []))


def _int(text: Any) -> int | None:
    try:
        value = float(str(text))
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def _float(text: Any) -> float | None:
    try:
        value = float(str(text))
    except ValueError:
        return None
    return None if pd.isna(value) else value
