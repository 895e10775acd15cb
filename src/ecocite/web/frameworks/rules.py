"""Rules of the frameworks app: who uploads a reference framework."""

from __future__ import annotations

from ecocite.web.accounts.predicates import is_administrator

RULES = {
    "frameworks.add_framework": is_administrator,
}
