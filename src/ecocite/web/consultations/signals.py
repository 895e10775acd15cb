"""Signals the consultations services send, for moderation, notifications and indicators.

Every signal is sent by a service in :mod:`ecocite.web.consultations.services` after its
transaction commits (``transaction.on_commit``), so a listener never sees a rolled-back write.
The ``sender`` is the model class; keyword arguments are listed beside each signal.
"""

from __future__ import annotations

from django.dispatch import Signal

# proposal, user (None for an anonymous participant)
proposal_submitted = Signal()
# proposal, user
proposal_edited = Signal()
# proposal, user, answer (the official answer text), status
proposal_answered = Signal()
# proposal, user (None when the support threshold moved it), old_status, new_status, reason
proposal_status_changed = Signal()
# proposal, user, count (supports after the act)
proposal_supported = Signal()
# proposal, user, count
support_withdrawn = Signal()
# proposal, comment, user, stance ("" / "pro" / "contra")
comment_added = Signal()
# process, user
process_created = Signal()
# process, phase (the phase whose dates or actions changed), user
phase_changed = Signal()
# proposal, plan_action, user
proposal_linked_to_plan = Signal()
# action ("hide", "restore", "dismiss", "block"), process (None: platform-wide block),
# target (the proposal or comment; None for a block), person (its author, or the person
# blocked; None for an anonymous participant), reason, user (the moderator)
content_moderated = Signal()
