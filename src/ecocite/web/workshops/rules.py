"""Rules of the workshops app: who plans, runs, joins a workshop, and who sees its video link.

A workshop hangs on its process: the process's organisers (administrators, the city's officials,
its moderators) plan workshops; they and the facilitators of the process or of the workshop run
them (attendance, contributions typed in the room, minutes). People register while the phase
opens ``join_workshop`` and registration is open.
"""

from __future__ import annotations

from typing import Any

import rules

from ecocite.web.accounts.predicates import (
    is_administrator,
    is_city_official,
    is_facilitator,
    is_moderator,
)
from ecocite.web.core.phases import is_signed_in, phase_allows


@rules.predicate
def takes_registrations(user: Any, workshop: Any) -> bool:
    """Tell whether the workshop is open for registration and not closed."""
    return workshop is not None and workshop.registration_open and workshop.closed_at is None


@rules.predicate
def is_registered(user: Any, workshop: Any) -> bool:
    """Tell whether the person holds a seat (not waiting, not cancelled)."""
    if not (user and user.is_authenticated) or workshop is None:
        return False
    return workshop.registrations.filter(user=user, status="registered").exists()


@rules.predicate
def link_is_public(user: Any, workshop: Any) -> bool:
    """Tell whether the organiser shows the video link to everyone."""
    return workshop is not None and not workshop.video_for_registered_only


is_organiser = is_administrator | is_city_official | is_moderator
runs_it = is_organiser | is_facilitator

RULES = {
    # asked about the process
    "workshops.add_workshop": is_organiser,
    # asked about the workshop
    "workshops.change_workshop": runs_it,
    "workshops.run_workshop": runs_it,
    "workshops.join_workshop": is_signed_in & takes_registrations & phase_allows("join_workshop"),
    "workshops.see_video_link": link_is_public | is_registered | runs_it,
}
