"""Rules of the assessments app: who runs (or reruns) an assessment of a city."""

from __future__ import annotations

from ecocite.web.accounts.predicates import is_administrator, is_city_assessor, is_city_official

RULES = {
    "assessments.add_assessment": is_administrator | is_city_official | is_city_assessor,
}
