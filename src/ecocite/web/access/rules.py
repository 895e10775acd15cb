"""Rules of the access app: who attaches an extract to a city, runs the analysis and imports it."""

from __future__ import annotations

from ecocite.web.accounts.predicates import is_administrator, is_city_assessor, is_city_official

RULES = {
    "access.add_run": is_administrator | is_city_official | is_city_assessor,
    "access.import_values": is_administrator | is_city_official | is_city_assessor,
}
