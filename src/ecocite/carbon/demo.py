"""Illustrative demo inventories for the programme's cities (labelled illustrative everywhere).

The activity files are invented to be of the same order as published totals (CEADs, see the
carbon reference sheet §5.2); they are not statistics. Every output made from them says so.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ecocite.carbon.activity import read_activity
from ecocite.carbon.context import CityContext, read_contexts
from ecocite.carbon.indicators import indicator_values
from ecocite.carbon.inventory import Inventory, combine, compute_inventory
from ecocite.carbon.library import DATA, FactorLibrary

DEMO_CITIES = ("jingzhou", "jilin", "panshi", "qingyun", "foshan", "caidian")
DEMO_YEAR = 2020


def demo_activity_path(city: str) -> str:
    """Path of a demo city's illustrative activity file."""
    if city not in DEMO_CITIES:
        raise KeyError(f"no demo data for {city!r}; demo cities are {', '.join(DEMO_CITIES)}")
    return str(DATA / "demo" / f"{city}_activity_{DEMO_YEAR}_illustrative.csv")


def demo_contexts() -> dict[str, CityContext]:
    """Return the population, GDP and 2005 baselines of the demo cities (mostly illustrative)."""
    return read_contexts(str(DATA / "demo" / f"cities_{DEMO_YEAR}_illustrative.csv"))


@lru_cache(maxsize=4)
def _demo_inventory(gwp_set: str) -> Inventory:
    lib = FactorLibrary()
    return combine(
        [
            compute_inventory(read_activity(demo_activity_path(c)), library=lib, gwp_set=gwp_set)
            for c in DEMO_CITIES
        ]
    )


def demo_inventory(gwp_set: str = "ar5") -> Inventory:
    """Return the six demo inventories in one (illustrative)."""
    return _demo_inventory(gwp_set)


def demo_indicator_values(gwp_set: str = "ar5") -> pd.DataFrame:
    """Tidy indicator values of the demo cities, every row's source marked illustrative."""
    return indicator_values(demo_inventory(gwp_set), demo_contexts())
