"""Carbon: GPC v1.1 greenhouse-gas inventory, emission-factor library, pathways to 2060.

Typical use::

    from ecocite.carbon import read_activity, compute_inventory, FactorLibrary
    inv = compute_inventory(read_activity("jingzhou_2020.csv"), gwp_set="ar6")
    inv.totals("basic")                     # t CO2, CH4, N2O, CO2e by city and year
    inv.summary("jingzhou", 2020)           # sector × scope with notation keys

    base = pathway_base(inv, CityContext("jingzhou", 2020, population=5.23e6, gdp_wan_cny=2.37e7))
    path = run_pathway(base, levers={"grid_decarbonisation": 0.9})
    fan = monte_carlo(base, draws=10_000, seed=1)
"""

from ecocite.carbon.activity import ActivityData, read_activity, validate_activity
from ecocite.carbon.context import CityContext, read_contexts
from ecocite.carbon.demo import (
    DEMO_CITIES,
    demo_activity_path,
    demo_contexts,
    demo_indicator_values,
    demo_inventory,
)
from ecocite.carbon.errors import RowError, ValidationFailed
from ecocite.carbon.export import (
    inventory_json,
    inventory_tables,
    pathway_tables,
    summary_matrix,
    write_inventory_csv,
    write_inventory_xlsx,
    write_tables,
)
from ecocite.carbon.indicators import indicator_values
from ecocite.carbon.inventory import Inventory, combine, compute_inventory
from ecocite.carbon.library import FactorLibrary, gwp, known_fuels, read_local_factors
from ecocite.carbon.pathways import (
    LEVERS,
    MonteCarlo,
    Pathway,
    PathwayBase,
    monte_carlo,
    pathway_base,
    run_pathway,
    simulate,
)
from ecocite.carbon.svg import fan_chart_svg, wedge_chart_svg

__all__ = [
    "DEMO_CITIES",
    "LEVERS",
    "ActivityData",
    "CityContext",
    "FactorLibrary",
    "Inventory",
    "MonteCarlo",
    "Pathway",
    "PathwayBase",
    "RowError",
    "ValidationFailed",
    "combine",
    "compute_inventory",
    "demo_activity_path",
    "demo_contexts",
    "demo_indicator_values",
    "demo_inventory",
    "fan_chart_svg",
    "gwp",
    "indicator_values",
    "inventory_json",
    "inventory_tables",
    "known_fuels",
    "monte_carlo",
    "pathway_base",
    "pathway_tables",
    "read_activity",
    "read_contexts",
    "read_local_factors",
    "run_pathway",
    "simulate",
    "summary_matrix",
    "validate_activity",
    "wedge_chart_svg",
    "write_inventory_csv",
    "write_inventory_xlsx",
    "write_tables",
]
