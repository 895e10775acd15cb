"""The framework's carbon indicators as tidy indicator values with provenance.

Definitions (indicator ids shared with the ``sino-french-ecocity`` framework):

* ``co2_per_capita`` (t/person): energy-related fossil CO2 — GPC sectors I (stationary energy) and
  II (transportation), scopes 1 and 2 of BASIC — per resident.
* ``co2_per_gdp`` (t/wan_CNY): the same CO2 per 10^4 CNY of GDP.
* ``co2_intensity_reduction_2005`` (%): 1 − (CO2/GDP) / (CO2/GDP in 2005), only when the city's 2005
  CO2 and GDP (same price basis) are known.
* ``renewable_energy_share`` (%): renewable final energy (biomass fuels, local renewable
  generation, and the renewable share of grid electricity when given) over final energy (fuels,
  grid electricity, local renewable generation), sectors I and II.
* ``ghg_per_capita`` (t/person): GPC BASIC CO2e per resident.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

import ecocite
from ecocite.carbon.context import CityContext
from ecocite.carbon.inventory import Inventory
from ecocite.data.contract import TIDY_REQUIRED_COLUMNS

# The one tidy-values contract (``ecocite.data.contract``): required columns, then provenance.
COLUMNS = [*TIDY_REQUIRED_COLUMNS, "provenance"]
_ORDER = {"low": 0, "medium": 1, "high": 2}


def _quality(rows: pd.DataFrame, illustrative: bool) -> str:
    if illustrative:
        return "low"
    rated = [q for q in [*rows["data_quality"], *rows["factor_quality"]] if q in _ORDER]
    return min(rated, key=_ORDER.__getitem__) if rated else "low"


def indicator_values(
    inventory: Inventory,
    contexts: Mapping[str, CityContext] | Iterable[CityContext],
    *,
    level: str = "basic",
) -> pd.DataFrame:
    """Tidy indicator values for every city-year of ``inventory`` that has a context.

    Parameters
    ----------
    inventory:
        A computed GPC inventory.
    contexts:
        Population, GDP (10^4 CNY) and optional 2005 baseline per city and year
        (``CityContext``); a city-year without its context gets no indicator values.
    level:
        GPC reporting level of ``ghg_per_capita``: ``basic`` (framework default) or ``basic+``.
    """
    items = contexts.values() if isinstance(contexts, Mapping) else contexts
    # A context holds the population and GDP of one year: it only serves that city-year.
    ctx = {(c.city, int(c.year)): c for c in items}
    rows = inventory.select(level)
    basic = inventory.select("basic")
    energy = {
        (str(r["city"]), int(r["year"])): r for r in inventory.energy("basic").to_dict("records")
    }
    out: list[dict[str, Any]] = []
    for city, year in inventory.cities():
        c = ctx.get((city, int(year)))
        if c is None:
            continue
        mine = basic[(basic["city"] == city) & (basic["year"] == year)]
        energy_rows = mine[mine["sector"].isin(["I", "II"]) & (mine["notation_key"] == "")]
        co2 = float(energy_rows["co2_t"].sum())
        co2e = float(rows.loc[(rows["city"] == city) & (rows["year"] == year), "co2e_t"].sum())
        illustrative = inventory.illustrative or c.illustrative
        quality = _quality(energy_rows, illustrative)
        tag = " (illustrative)" if illustrative else ""
        provenance = {
            "engine": "ecocite.carbon.indicators",
            "version": ecocite.__version__,
            # only the input files that hold this city's activity data
            "inputs": [
                i for i in inventory.provenance.get("inputs", []) if city in i.get("cities", [city])
            ],
            "parameters": {
                "gwp": inventory.gwp_set,
                "factor_library": inventory.factor_library_version,
                "factor_sets": inventory.provenance.get("factor_sets"),
                "grid_series": inventory.provenance.get("grid_series"),
                "reporting_level": level,
            },
            "context": c.as_dict(),
            "illustrative": illustrative,
        }
        prov = json.dumps(provenance, ensure_ascii=False, default=str)
        src = (
            f"EcoCité GPC inventory {year}, factor library {inventory.factor_library_version}{tag}"
        )

        def add(
            indicator: str,
            value: float,
            unit: str,
            source: str,
            q: str = quality,
            prov: str = prov,
            city: str = city,
            year: int = year,
        ) -> None:
            out.append(
                {
                    "city": city,
                    "year": int(year),
                    "indicator": indicator,
                    "value": float(value),
                    "unit": unit,
                    "source": source,
                    "quality": q,
                    "verified": False,
                    "provenance": prov,
                }
            )

        add(
            "co2_per_capita",
            co2 / c.population,
            "t/person",
            f"{src}: energy CO2 (I+II, BASIC) / residents",
        )
        add(
            "co2_per_gdp",
            co2 / c.gdp_wan_cny,
            "t/wan_CNY",
            f"{src}: energy CO2 (I+II, BASIC) / GDP",
        )
        if c.co2_2005_t and c.gdp_2005_wan_cny:
            ref = c.co2_2005_t / c.gdp_2005_wan_cny
            add(
                "co2_intensity_reduction_2005",
                (1.0 - (co2 / c.gdp_wan_cny) / ref) * 100.0,
                "%",
                f"{src}: CO2/GDP vs the 2005 baseline given in the city context",
                q="low" if illustrative else "medium",
            )
        if (city, year) in energy:
            e = {str(k): v for k, v in energy[(city, year)].items()}
            grid_tj = float(e["electricity_mwh"]) * 0.0036
            local_tj = float(e["local_renewable_mwh"]) * 0.0036
            final = float(e["fuel_tj"]) + grid_tj + local_tj
            share = c.grid_renewable_share or 0.0
            renewable = float(e["biomass_tj"]) + local_tj + grid_tj * share
            note = (
                ""
                if c.grid_renewable_share is not None
                else "; grid electricity counted as non-renewable (share unknown)"
            )
            if final > 0:
                add(
                    "renewable_energy_share",
                    renewable / final * 100.0,
                    "%",
                    f"{src}: renewable / final energy{note}",
                )
        label = "BASIC" if level == "basic" else "BASIC+"
        add(
            "ghg_per_capita",
            co2e / c.population,
            "t/person",
            f"{src}: GPC {label} CO2e ({inventory.gwp_set.upper()}) / residents",
        )
    return pd.DataFrame(out, columns=COLUMNS)
