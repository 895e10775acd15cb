"""Rate limits on writing: proposals, comments, supports and reports, per person and per address.

Each kind of write has two counters in the shared cache (as the sign-in throttle,
:mod:`ecocite.web.accounts.throttle`): one for the signed-in person, one for the client
address, both within ``WRITE_RATE_WINDOW_S`` and bounded by ``WRITE_RATE_LIMITS[kind]``
(settings). Pages and the API use the same :func:`limit`; past a limit both answer 429 with the
same message. Only successful writes count.

Privacy: the client address is never written to the database; it exists only hashed, inside a
cache key that expires with the window. Anonymous contributions therefore keep no address
beyond the rate-limit window.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ecocite.web.accounts.throttle import _bump, _count, _key, client_address

KINDS = ("proposal", "comment", "support", "report")


class RateLimited(Exception):
    """Too many writes of one kind in the window; ``message`` says so, ``retry_after`` in s."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.retry_after = int(settings.WRITE_RATE_WINDOW_S)
        minutes = max(1, round(self.retry_after / 60))
        self.message = ngettext(
            "You are writing faster than this site allows. Please wait %(minutes)d minute "
            "and try again.",
            "You are writing faster than this site allows. Please wait %(minutes)d minutes "
            "and try again.",
            minutes,
        ) % {"minutes": minutes}
        super().__init__(self.message)


def _keys(request: Any, kind: str) -> list[tuple[str, int]]:
    if kind not in KINDS:
        raise KeyError(f"unknown write kind {kind!r}; known: {KINDS}")
    per_user, per_address = settings.WRITE_RATE_LIMITS[kind]
    keys = [(_key(f"write-{kind}", "address", client_address(request)), per_address)]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        keys.append((_key(f"write-{kind}", "user", str(user.pk)), per_user))
    return keys


def check(request: Any, kind: str) -> None:
    """Raise :class:`RateLimited` if the person or the address used up ``kind`` for now."""
    if any(_count(key) >= bound for key, bound in _keys(request, kind)):
        raise RateLimited(kind)


def record(request: Any, kind: str) -> None:
    """Count one write of ``kind`` for the person and the address."""
    for key, _bound in _keys(request, kind):
        _bump(key, settings.WRITE_RATE_WINDOW_S)


@contextmanager
def limit(request: Any, kind: str) -> Iterator[None]:
    """Check before the write, count it once it succeeded (an exception inside counts nothing)."""
    check(request, kind)
    yield
    record(request, kind)


def refused_message() -> str:
    """Say that a form was refused (a filled honeypot), without saying why."""
    return _("Your contribution could not be accepted. Please try again.")
