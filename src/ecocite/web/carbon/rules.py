"""Rules of the carbon app: who uploads an activity file, who saves and changes scenarios."""

from __future__ import annotations

from ecocite.web.accounts.predicates import is_administrator, is_city_assessor, is_city_official

# The people who write a city's carbon data: its officials and assessors, and administrators.
city_carbon_writer = is_administrator | is_city_official | is_city_assessor

RULES = {
    "carbon.add_inventory": city_carbon_writer,
    # Asked about a city or an inventory of it (the object resolves to its city).
    "carbon.add_scenario": city_carbon_writer,
    # Rename, describe, recompute or delete a saved scenario of the city.
    "carbon.change_scenario": city_carbon_writer,
    "carbon.delete_scenario": city_carbon_writer,
}
