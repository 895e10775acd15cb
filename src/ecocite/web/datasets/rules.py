"""Rules of the datasets app: who uploads indicator values for a city."""

from __future__ import annotations

from ecocite.web.accounts.predicates import is_administrator, is_city_assessor, is_city_official

RULES = {
    "datasets.add_dataset": is_administrator | is_city_official | is_city_assessor,
    # Replace a dataset by a corrected file, or withdraw it with a reason (never delete it).
    "datasets.change_dataset": is_administrator | is_city_official | is_city_assessor,
}
