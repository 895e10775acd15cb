"""The emission-factor library: versioned data files, user local factors that override them.

Every factor lives in ``data/`` with a ``source`` and a confidence mark (V verified, S secondary,
U unverified, as in the project's carbon reference sheet). Factors are looked up through an ordered
list of factor sets (``local`` first, then ``china_default``, then ``ipcc2006`` by default), so a
city's own figure always wins and every result row can say which factor it used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ecocite.carbon.errors import RowError, ValidationFailed

DATA = resources.files("ecocite.carbon") / "data"

GASES = ("CO2", "CH4", "N2O")
LOCAL_KINDS = ("ncv", "combustion", "electricity", "heat", "biological")
LOCAL_COLUMNS = (
    "factor_id",
    "kind",
    "fuel",
    "sector_group",
    "grid_region",
    "year",
    "gas",
    "value",
    "unit",
    "source",
    "quality",
)


@dataclass(frozen=True)
class Factor:
    """One factor as used by a result row."""

    factor_id: str
    value: float
    unit: str
    source: str
    quality: str
    confidence: str
    oxidation: float = 1.0
    year: int | None = None


def _read_csv(name: str) -> pd.DataFrame:
    with resources.as_file(DATA / name) as path:
        return pd.read_csv(path, dtype={"factor_id": str})


@lru_cache(maxsize=1)
def manifest() -> dict[str, Any]:
    """Return the library manifest (name, version, file list)."""
    return dict(yaml.safe_load((DATA / "library.yaml").read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def waste_defaults() -> dict[str, Any]:
    """IPCC 2006 solid-waste and wastewater defaults with their sources."""
    return dict(yaml.safe_load((DATA / "waste_defaults.yaml").read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def gpc_subsectors() -> pd.DataFrame:
    """GPC v1.1 reference numbers with sector, scope, reporting level and pathway segment."""
    return _read_csv("gpc_subsectors.csv").set_index("gpc_ref", drop=False)


@lru_cache(maxsize=1)
def gwp_table() -> pd.DataFrame:
    """GWP100 values by set (ar5, ar6) and gas."""
    return _read_csv("gwp.csv")


def gwp(gwp_set: str = "ar5") -> dict[str, float]:
    """GWP100 of CO2, CH4 and N2O for ``gwp_set`` ("ar5" or "ar6")."""
    table = gwp_table()
    rows = table[table["gwp_set"] == gwp_set.lower()]
    if rows.empty:
        raise ValueError(
            f"unknown GWP set {gwp_set!r}; expected one of {sorted(set(table['gwp_set']))}"
        )
    return {str(g): float(v) for g, v in zip(rows["gas"], rows["value"], strict=True)}


@lru_cache(maxsize=256)
def fuel_group_of(fuel: str) -> str | None:
    """Return the IPCC fuel group (coal, oil, natural_gas …) of a fuel id, or None if unknown."""
    props = _read_csv_cached("fuel_properties.csv")
    hit = props[props["fuel"] == fuel]
    return None if hit.empty else str(hit["fuel_group"].iloc[0])


@lru_cache(maxsize=8)
def _read_csv_cached(name: str) -> pd.DataFrame:
    return _read_csv(name)


def known_fuels() -> list[str]:
    """Return the fuel ids the library knows."""
    return sorted(set(_read_csv_cached("fuel_properties.csv")["fuel"]))


@dataclass
class FactorLibrary:
    """Default factors plus a city's local factors, searched in ``factor_sets`` order.

    Parameters
    ----------
    local:
        Local factors in the long format of :data:`LOCAL_COLUMNS` (``kind`` one of ncv, combustion,
        electricity, heat, biological); they belong to the factor set ``"local"``.
    factor_sets:
        Search order of factor sets; the first set that has a factor wins.
    grid_series:
        Which official grid series to use: ``"mee_nbs_location"`` (MEE/NBS location-based, the
        default for consumption accounting) or ``"mee_ets_national"`` (the carbon-market figure).
    """

    local: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(LOCAL_COLUMNS)))
    factor_sets: tuple[str, ...] = ("local", "china_default", "ipcc2006")
    grid_series: str = "mee_nbs_location"
    local_file: str = "local factors"

    def __post_init__(self) -> None:
        self.fuels = _read_csv_cached("fuel_properties.csv")
        self.ch4_n2o = _read_csv_cached("combustion_ch4_n2o.csv")
        self.grid = _read_csv_cached("grid_electricity_china.csv")
        self.biogenic_fuels = frozenset(
            self.fuels.loc[self.fuels["biogenic"].astype(int) == 1, "fuel"]
        )
        self.local = _validate_local(self.local, self.local_file)
        # Lookups repeat for every row of a fuel/region: memoise them (factors are immutable).
        self._memo: dict[tuple[Any, ...], Factor | None] = {}

    def _cached(self, key: tuple[Any, ...], find: Any) -> Factor | None:
        if key not in self._memo:
            self._memo[key] = find()
        return self._memo[key]

    @property
    def version(self) -> str:
        """Return the version of the emission-factor library."""
        return str(manifest()["version"])

    def _local(self, kind: str, **keys: Any) -> pd.DataFrame:
        if "local" not in self.factor_sets or self.local.empty:
            return self.local.iloc[0:0]
        rows = self.local[self.local["kind"] == kind]
        for key, value in keys.items():
            if value is None:
                continue
            col = rows[key]
            rows = rows[col.isna() | (col.astype(str) == str(value))]
        return rows

    @staticmethod
    def _local_factor(row: pd.Series) -> Factor:
        year = row.get("year")
        return Factor(
            factor_id=str(row["factor_id"]),
            value=float(row["value"]),
            unit=str(row["unit"]),
            source=str(row["source"]),
            quality=str(row.get("quality") or "high"),
            confidence="local",
            year=None if pd.isna(year) else int(year),
        )

    def ncv(self, fuel: str) -> Factor | None:
        """Net calorific value of ``fuel`` from the first factor set that has one."""
        return self._cached(("ncv", fuel), lambda: self._ncv(fuel))

    def _ncv(self, fuel: str) -> Factor | None:
        for fs in self.factor_sets:
            if fs == "local":
                rows = self._local("ncv", fuel=fuel)
                if not rows.empty:
                    return self._local_factor(rows.iloc[-1])
                continue
            rows = self.fuels[(self.fuels["factor_set"] == fs) & (self.fuels["fuel"] == fuel)]
            if not rows.empty:
                r = rows.iloc[0]
                return Factor(
                    f"{r['factor_id']}:ncv",
                    float(r["ncv"]),
                    str(r["ncv_unit"]),
                    str(r["source"]),
                    str(r["quality"]),
                    str(r["confidence"]),
                )
        return None

    def combustion(self, fuel: str, gas: str, sector_group: str) -> Factor | None:
        """Emission factor of ``gas`` when burning ``fuel`` in ``sector_group``."""
        return self._cached(
            ("comb", fuel, gas, sector_group), lambda: self._combustion(fuel, gas, sector_group)
        )

    def _combustion(self, fuel: str, gas: str, sector_group: str) -> Factor | None:
        group = fuel_group_of(fuel)
        for fs in self.factor_sets:
            if fs == "local":
                rows = self._local("combustion", fuel=fuel, gas=gas, sector_group=sector_group)
                if not rows.empty:
                    return self._local_factor(rows.iloc[-1])
                continue
            if gas == "CO2":
                rows = self.fuels[(self.fuels["factor_set"] == fs) & (self.fuels["fuel"] == fuel)]
                if not rows.empty:
                    r = rows.iloc[0]
                    return Factor(
                        str(r["factor_id"]),
                        float(r["co2_ef"]),
                        str(r["co2_ef_unit"]),
                        str(r["source"]),
                        str(r["quality"]),
                        str(r["confidence"]),
                        oxidation=float(r["oxidation"]),
                    )
                continue
            table = self.ch4_n2o[
                (self.ch4_n2o["factor_set"] == fs) & (self.ch4_n2o["sector_group"] == sector_group)
            ]
            for key in (fuel, group):
                rows = table[table["fuel_key"] == key]
                if not rows.empty:
                    r = rows.iloc[0]
                    return Factor(
                        f"{r['factor_id']}:{gas}",
                        float(r[gas.lower()]),
                        str(r["unit"]),
                        str(r["source"]),
                        str(r["quality"]),
                        str(r["confidence"]),
                    )
        return None

    def electricity(self, grid_region: str, year: int) -> Factor | None:
        """Grid CO2 factor of ``grid_region`` for ``year``: exact vintage, else the closest one.

        Official vintages lag two years behind, so an inventory year without its own factor takes
        the nearest published year (latest earlier one first); the factor records the vintage.
        """
        return self._cached(
            ("elec", grid_region, year), lambda: self._electricity(grid_region, year)
        )

    def _electricity(self, grid_region: str, year: int) -> Factor | None:
        if "local" in self.factor_sets:
            rows = self._local("electricity", grid_region=grid_region)
            if not rows.empty:
                exact = rows[rows["year"].isna() | (rows["year"] == year)]
                return self._local_factor((exact if not exact.empty else rows).iloc[-1])
        rows = self.grid[
            (self.grid["series"] == self.grid_series) & (self.grid["grid_region"] == grid_region)
        ]
        if rows.empty:
            return None
        years = rows["data_year"].astype(int)
        earlier = years[years <= year]
        pick = int(earlier.max()) if not earlier.empty else int(years.min())
        r = rows[years == pick].iloc[0]
        return Factor(
            str(r["factor_id"]),
            float(r["co2"]),
            str(r["unit"]),
            str(r["source"]),
            str(r["quality"]),
            str(r["confidence"]),
            year=pick,
        )

    def local_only(self, kind: str, gas: str, **keys: Any) -> Factor | None:
        """Factors with no default in the library (district heat, composting): local only."""
        key = ("local", kind, gas, *sorted(keys.items()))
        return self._cached(key, lambda: self._local_only(kind, gas, **keys))

    def _local_only(self, kind: str, gas: str, **keys: Any) -> Factor | None:
        rows = self._local(kind, gas=gas, **keys)
        return None if rows.empty else self._local_factor(rows.iloc[-1])

    def grid_regions(self) -> list[str]:
        """Return the grid regions of the selected electricity series."""
        return sorted(set(self.grid.loc[self.grid["series"] == self.grid_series, "grid_region"]))


def _validate_local(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    """Check a local-factor table; all errors at once, row numbers as in the file (header = 1)."""
    from ecocite.carbon.units import unit_error

    frame = frame.copy()
    for col in LOCAL_COLUMNS:
        if col not in frame.columns:
            if col in ("factor_id", "kind", "value", "unit", "source"):
                raise ValidationFailed(
                    [RowError.described(file, 1, col, "column missing", f"columns {LOCAL_COLUMNS}")]
                )
            frame[col] = pd.NA
    errors: list[RowError] = []
    for i, row in frame.reset_index(drop=True).iterrows():
        line = int(str(i)) + 2
        if str(row["kind"]) not in LOCAL_KINDS:
            errors.append(
                RowError.described(
                    file, line, "kind", f"unknown kind {row['kind']!r}", f"one of {LOCAL_KINDS}"
                )
            )
        if pd.isna(row["factor_id"]) or not str(row["factor_id"]).strip():
            errors.append(
                RowError.described(file, line, "factor_id", "empty", "a unique factor id")
            )
        if pd.isna(row["source"]) or not str(row["source"]).strip():
            errors.append(
                RowError.described(file, line, "source", "empty", "where the factor comes from")
            )
        try:
            value = float(row["value"])
            if value < 0:
                errors.append(
                    RowError.described(
                        file, line, "value", f"negative factor {value}", "a value >= 0"
                    )
                )
        except (TypeError, ValueError):
            errors.append(
                RowError.described(
                    file, line, "value", f"not a number: {row['value']!r}", "a number"
                )
            )
        problem = unit_error(str(row["unit"]))
        if problem:
            errors.append(
                RowError.described(
                    file, line, "unit", problem, "a pint unit such as kg/TJ or t/MWh"
                )
            )
        if row["kind"] != "ncv" and str(row["gas"]) not in GASES:
            errors.append(
                RowError.described(
                    file, line, "gas", f"unknown gas {row['gas']!r}", f"one of {GASES}"
                )
            )
        if not pd.isna(row["quality"]) and str(row["quality"]) not in ("high", "medium", "low"):
            errors.append(
                RowError.described(
                    file, line, "quality", f"{row['quality']!r}", "high, medium or low"
                )
            )
    if errors:
        raise ValidationFailed(errors)
    frame["factor_set"] = "local"
    return frame


def read_local_factors(path: str | Path) -> pd.DataFrame:
    """Read a local-factor CSV or XLSX (columns :data:`LOCAL_COLUMNS`)."""
    path = Path(path)
    try:
        frame = (
            pd.read_excel(path) if path.suffix.lower() in (".xlsx", ".xls") else pd.read_csv(path)
        )
    except (OSError, ValueError) as exc:
        raise ValidationFailed(
            [RowError.described(str(path), 0, "-", f"cannot read file: {exc}", "CSV or XLSX")]
        ) from exc
    _validate_local(frame, path.name)
    return frame
