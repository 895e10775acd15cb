"""What a city's carbon figures are divided by: residents, GDP, and its 2005 baseline."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ecocite.carbon.errors import RowError, ValidationFailed


@dataclass(frozen=True)
class CityContext:
    """Socio-economic figures of one city and year.

    Parameters
    ----------
    city, year:
        Registry id and year the figures refer to.
    population:
        Residents (persons).
    gdp_wan_cny:
        GDP in 10^4 CNY (wan CNY), in the price basis used for ``gdp_2005_wan_cny``.
    co2_2005_t, gdp_2005_wan_cny:
        Energy-related CO2 (t) and GDP (10^4 CNY, same price basis) in 2005, for the CO2-per-GDP
        reduction target; leave None when unknown (the indicator is then not produced).
    grid_renewable_share:
        Share (0–1) of grid electricity from renewables, for the renewable-energy share; None
        counts grid electricity as non-renewable.
    source:
        Where these figures come from.
    illustrative:
        True when any figure is not a sourced fact.
    """

    city: str
    year: int
    population: float
    gdp_wan_cny: float
    co2_2005_t: float | None = None
    gdp_2005_wan_cny: float | None = None
    grid_renewable_share: float | None = None
    source: str = ""
    illustrative: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Return the context as a plain dictionary."""
        return asdict(self)


_NUMBERS = ("population", "gdp_wan_cny", "co2_2005_t", "gdp_2005_wan_cny", "grid_renewable_share")


def read_contexts(path: str | Path) -> dict[str, CityContext]:
    """Read a CSV of city contexts (columns of :class:`CityContext`), keyed by city id."""
    path = Path(path)
    text = path.read_text(encoding="utf-8").splitlines()
    body = [line for line in text if not line.lstrip().startswith("#")]
    from io import StringIO

    frame = pd.read_csv(StringIO("\n".join(body)), dtype=str, keep_default_na=False)
    return contexts_from_frame(frame, file=path.name, header_line=len(text) - len(body) + 1)


def contexts_from_frame(
    frame: pd.DataFrame, *, file: str = "city data", header_line: int = 1
) -> dict[str, CityContext]:
    """Read city contexts (population, GDP, baselines) from a frame, by city id."""
    errors: list[RowError] = []
    out: dict[str, CityContext] = {}
    for col in ("city", "year", "population", "gdp_wan_cny"):
        if col not in frame.columns:
            errors.append(
                RowError.described(
                    file, header_line, col, "column missing", "city, year, population, gdp_wan_cny"
                )
            )
    if errors:
        raise ValidationFailed(errors)
    for i, rec in enumerate(frame.to_dict("records")):
        line = header_line + 1 + i
        values: dict[str, float | None] = {}
        for col in _NUMBERS:
            raw = str(rec.get(col, "") or "").strip()
            if not raw:
                values[col] = None
                continue
            try:
                values[col] = float(raw)
            except ValueError:
                errors.append(
                    RowError.described(file, line, col, f"not a number: {raw!r}", "a number")
                )
                continue
            if values[col] < 0:  # type: ignore[operator]
                errors.append(
                    RowError.described(file, line, col, f"negative value {raw}", "a value >= 0")
                )
        for col in ("population", "gdp_wan_cny"):
            if col in values and not values[col]:
                errors.append(
                    RowError.described(file, line, col, "empty or zero", "a positive number")
                )
        try:
            year = int(str(rec["year"]))
        except ValueError:
            errors.append(
                RowError.described(
                    file, line, "year", f"not a year: {rec['year']!r}", "an integer year"
                )
            )
            continue
        if str(rec["city"]) in out:
            errors.append(
                RowError.described(
                    file,
                    line,
                    "city",
                    f"second row for {rec['city']!r}",
                    "one row per city (one file per year)",
                )
            )
        if errors:
            continue
        out[str(rec["city"])] = CityContext(
            city=str(rec["city"]),
            year=year,
            population=float(values["population"] or 0),
            gdp_wan_cny=float(values["gdp_wan_cny"] or 0),
            co2_2005_t=values.get("co2_2005_t"),
            gdp_2005_wan_cny=values.get("gdp_2005_wan_cny"),
            grid_renewable_share=values.get("grid_renewable_share"),
            source=str(rec.get("source", "")),
            illustrative="illustrative" in str(rec.get("source", "")).lower()
            or str(rec.get("illustrative", "")).lower() in ("yes", "true", "1"),
        )
    if errors:
        raise ValidationFailed(errors)
    return out
