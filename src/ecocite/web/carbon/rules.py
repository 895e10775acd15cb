"""Rules of the carbon app: who uploads an activity file to build a city's inventory."""

from __future__ import annotations

from ecocite.web.accounts.predicates import is_administrator, is_city_assessor, is_city_official

RULES = {
    "carbon.add_inventory": is_administrator | is_city_official | is_city_assessor,
}
