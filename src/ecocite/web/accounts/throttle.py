"""One throttle for every way of authenticating, and limits on password-reset mails.

Failed sign-ins are counted in the shared cache under three keys, each in its own window:

- the account and the client address (``LOGIN_FAILURE_LIMIT``, 5 per 15 minutes): one person
  mistyping, or one machine guessing one password;
- the account alone (``LOGIN_ACCOUNT_FAILURE_LIMIT``): guesses spread over many addresses;
- the client address alone (``LOGIN_ADDRESS_FAILURE_LIMIT``): password spraying, one common
  password tried on many user names from one machine.

The sign-in form, Django's admin and the API token endpoint all authenticate through
:class:`ecocite.web.accounts.backends.ThrottledModelBackend`, which consults these counters, so no
way in has a more generous limit than another. The client address is the connection's peer
unless ``ECOCITE_NUM_PROXIES`` says how many reverse proxies in front append to
``X-Forwarded-For``: only the entries they added are trusted, so a client cannot choose its own
address by sending the header.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache

SIGN_IN = "signin-failures"
RESET = "password-reset"


def client_address(request: Any) -> str:
    """Return the real client address: ``REMOTE_ADDR``, or the entry the outermost trusted proxy saw."""
    if request is None:
        return ""
    meta = request.META
    remote = str(meta.get("REMOTE_ADDR", ""))
    proxies = int(getattr(settings, "NUM_PROXIES", 0) or 0)
    forwarded = str(meta.get("HTTP_X_FORWARDED_FOR", ""))
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    # Each of the N proxies appends the address it received the request from; the last one's
    # peer is REMOTE_ADDR. The entry N from the right is what the outermost proxy saw.
    return hops[-min(proxies, len(hops))]


def _key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"ecocite:{kind}:{digest}"


def _count(key: str) -> int:
    return int(cache.get(key, 0))


def _bump(key: str, window_s: int) -> None:
    cache.add(key, 0, timeout=window_s)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_s)


def _sign_in_keys(username: str, address: str) -> list[tuple[str, int]]:
    name = username.strip().lower()
    return [
        (_key(SIGN_IN, "pair", name, address), settings.LOGIN_FAILURE_LIMIT),
        (_key(SIGN_IN, "account", name), settings.LOGIN_ACCOUNT_FAILURE_LIMIT),
        (_key(SIGN_IN, "address", address), settings.LOGIN_ADDRESS_FAILURE_LIMIT),
    ]


def is_locked(username: str, address: str) -> bool:
    """Whether a sign-in for this name from this address is refused for now."""
    return any(_count(key) >= limit for key, limit in _sign_in_keys(username, address))


def record_failure(username: str, address: str) -> None:
    """Count one failed sign-in for this name, this account and this address."""
    for key, _limit in _sign_in_keys(username, address):
        _bump(key, settings.LOGIN_FAILURE_WINDOW_S)


def clear(username: str, address: str) -> None:
    """Forget this name's failures from this address after a success.

    The account and address counters are left to expire: a success on an account of one's own
    must not reset the count of names sprayed from the same address.
    """
    cache.delete(_sign_in_keys(username, address)[0][0])


def allow_reset_mail(email: str, address: str) -> bool:
    """Count one password-reset request; False once the account or the address has had its share.

    Counted per address given (whether or not an account has it, so the answer reveals nothing)
    and per client address, within ``PASSWORD_RESET_WINDOW_S``.
    """
    keys = [
        (_key(RESET, "account", email.strip().lower()), settings.PASSWORD_RESET_ACCOUNT_LIMIT),
        (_key(RESET, "address", address), settings.PASSWORD_RESET_ADDRESS_LIMIT),
    ]
    if any(_count(key) >= limit for key, limit in keys):
        return False
    for key, _limit in keys:
        _bump(key, settings.PASSWORD_RESET_WINDOW_S)
    return True
