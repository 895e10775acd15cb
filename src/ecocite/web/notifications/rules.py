"""Rules of the notifications app: who may follow an object.

One's own notifications and settings need only a signed-in account (the views show the signed-in
person's own rows, never someone else's); following is a rule so that a later app can restrict
what may be followed.
"""

from __future__ import annotations

from ecocite.web.core.phases import is_signed_in

RULES = {
    # asked about the followed object (a process or a proposal)
    "notifications.add_follow": is_signed_in,
}
