"""Throttle sign-in: after N failures for one name from one address, refuse for a while."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.lower()}|{address}".encode()).hexdigest()[:32]
    return f"ecocite:signin-failures:{digest}"


def is_locked(username: str, address: str) -> bool:
    """Tell whether this account and address are locked after too many failures."""
    return int(cache.get(_key(username, address), 0)) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str, address: str) -> None:
    """Count one failed sign-in for this account and address."""
    key = _key(username, address)
    cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW_S)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_S)


def clear(username: str, address: str) -> None:
    """Forget the failures of this account and address."""
    cache.delete(_key(username, address))
