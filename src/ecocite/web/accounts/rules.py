"""Rules of the accounts app: granting roles and sitting on a city's jury."""

from __future__ import annotations

from ecocite.web.accounts.predicates import is_administrator, is_city_assessor, is_city_juror

RULES = {
    "accounts.change_role": is_administrator,
    # Independence: an assessor of a city never judges it (also a model rule on Role).
    "accounts.sit_on_jury": is_city_juror & ~is_city_assessor,
}
