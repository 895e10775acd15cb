"""Rules of the conversations app: who starts a conversation, votes, writes and moderates statements.

Voting and writing statements follow the process's active phase (``vote_statements``, open to
people without an account where the phase says so); moderators of the process (or everywhere)
and administrators moderate; the city's officials start conversations and turn statements into
proposals, as they answer proposals.
"""

from __future__ import annotations

from ecocite.web.accounts.predicates import is_administrator, is_city_official, is_moderator
from ecocite.web.core.phases import may_take_part

is_steward = is_moderator | is_administrator

RULES = {
    # asked about the process
    "conversations.add_conversation": is_steward | is_city_official,
    # asked about the conversation
    "conversations.vote_statement": may_take_part("vote_statements"),
    "conversations.add_statement": may_take_part("vote_statements"),
    "conversations.moderate_statement": is_steward,
    # asked about the statement
    "conversations.propose_statement": is_steward | is_city_official,
}
