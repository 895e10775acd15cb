"""Rules of the community app: profiles, organisations, calls, answers, cases, theme follows.

A process's organisers (administrators, the city's officials, the process's moderators) publish
calls for it, decide on the answers and publish it as a case once it is closed; anyone signed in
answers an open call or follows a theme; a person edits only their own profile, and only an
administrator verifies that someone belongs to an institution. Organisations are kept by the
platform's administrators in the admin site.
"""

from __future__ import annotations

from typing import Any

import rules

from ecocite.web.accounts.predicates import is_administrator, is_city_official, is_moderator


def _signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_signed_in(user: Any) -> bool:
    """Tell whether the person is signed in."""
    return _signed_in(user)


@rules.predicate
def is_profile_owner(user: Any, profile: Any) -> bool:
    """Tell whether ``profile`` is the person's own."""
    return _signed_in(user) and profile is not None and profile.user_id == user.pk


@rules.predicate
def is_call_open(user: Any, call: Any) -> bool:
    """Tell whether ``call`` still takes answers."""
    return call is not None and call.closed_at is None


@rules.predicate
def is_process_closed(user: Any, process: Any) -> bool:
    """Tell whether every phase of ``process`` has ended (a case tells a finished story)."""
    from ecocite.web.community.services import process_closed

    return process is not None and process_closed(process)


@rules.predicate
def is_case_publisher(user: Any, case: Any) -> bool:
    """Tell whether the person published ``case``."""
    return _signed_in(user) and case is not None and case.published_by_id == user.pk


is_organiser = is_administrator | is_city_official | is_moderator

RULES = {
    # asked about the profile
    "community.change_profile": is_profile_owner,
    "community.verify_profile": is_administrator,
    # asked about the process
    "community.add_call": is_organiser,
    "community.publish_case": is_organiser & is_process_closed,
    # asked about the call
    "community.change_call": is_organiser,
    "community.answer_call": is_signed_in & is_call_open,
    # asked about the answer
    "community.decide_answer": is_organiser,
    # asked about the case
    "community.change_case": is_administrator | is_case_publisher | is_city_official,
    # asked about nothing
    "community.follow_theme": is_signed_in,
}
