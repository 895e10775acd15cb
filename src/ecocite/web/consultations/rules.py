"""Rules of the consultations app: who runs bodies and processes, proposes, answers.

What a participant may do follows the active phase of the process (``may_take_part``) and the
person's roles there; the city's officials answer; moderators of the process steward it.
Comments and supports on proposals are the ``interactions`` rules (they follow the same phases).
Moderators of the process (or of the platform) and administrators moderate: a person they
block there proposes nothing more.
"""

from __future__ import annotations

from typing import Any

import rules

from ecocite.web.accounts.predicates import is_administrator, is_city_official, is_moderator
from ecocite.web.core.phases import may_take_part, phase_allows
from ecocite.web.interactions.rules import not_blocked


@rules.predicate
def is_proposal_author(user: Any, proposal: Any) -> bool:
    """Tell whether ``user`` wrote ``proposal``."""
    return bool(
        user and user.is_authenticated and proposal is not None and proposal.author_id == user.pk
    )


is_steward = is_moderator | is_administrator

RULES = {
    "consultations.add_body": is_administrator,
    "consultations.change_body": is_administrator,
    # asked about the city the process runs in
    "consultations.add_process": is_administrator | is_city_official,
    "consultations.change_process": is_administrator | is_city_official | is_moderator,
    # asked about the process
    "consultations.add_proposal": (may_take_part("propose") & not_blocked) | is_steward,
    # asked about the process: its moderation queue, hidden items, blocks and log
    "consultations.moderate_process": is_steward,
    # asked about the proposal
    "consultations.change_proposal": (is_proposal_author & phase_allows("propose") & not_blocked)
    | is_steward,
    "consultations.hide_proposal": is_steward,
    "consultations.answer_proposal": is_administrator | is_city_official,
    "consultations.add_plan_action": is_administrator | is_city_official,
    # asked about the city: import its participation indicators as a dataset
    "consultations.import_indicators": is_administrator | is_city_official,
}
