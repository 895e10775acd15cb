"""Rules of the cities app: who adds a city and who edits one."""

from __future__ import annotations

from ecocite.web.accounts.predicates import is_administrator, is_city_official

RULES = {
    "cities.add_city": is_administrator,
    "cities.change_city": is_administrator | is_city_official,
}
