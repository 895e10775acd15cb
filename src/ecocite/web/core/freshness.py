"""A fingerprint of the portfolio's data, to cache rendered pages until something changes.

Pages of the portfolio are read far more often than the data behind them changes (an upload, a
finished assessment, an edited city). Rendered fragments are cached per process under keys that
include this fingerprint and the language, so a change shows at once and nothing is invalidated
by hand.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connection

from ecocite.web.core.capabilities import Watch, capabilities

FRAGMENTS = "fragments"


def fragments() -> BaseCache:
    """Return the cache of rendered page fragments."""
    return caches[FRAGMENTS]


def _sub_selects(watch: Watch) -> tuple[list[str], list[Any]]:
    """Return the index-friendly sub-selects for one watched table, and their parameters."""
    meta = watch.model._meta
    table = connection.ops.quote_name(meta.db_table)
    where, params = "", []
    if watch.where:
        conditions = []
        for name, value in watch.where.items():
            column = connection.ops.quote_name(meta.get_field(name).column)
            conditions.append(f"{column} = %s")
            params.append(str(value))
        where = " WHERE " + " AND ".join(conditions)
    parts = [f"(SELECT COUNT(*) FROM {table}{where})"] if watch.count else []
    for name in watch.latest:
        column = connection.ops.quote_name(meta.get_field(name).column)
        parts.append(f"(SELECT MAX({column}) FROM {table}{where})")
    return parts, params * len(parts) if watch.where else []


@lru_cache(maxsize=1)
def _statement() -> tuple[str, tuple[Any, ...]]:
    parts: list[str] = []
    params: list[Any] = []
    for capability in capabilities():
        for watch in capability.watches:
            more, values = _sub_selects(watch)
            parts += more
            params += values
    return "SELECT " + ", ".join(parts or ["0"]), tuple(params)


def data_version() -> str:
    """Return a short hash that changes whenever a watched table (manifests' ``watches``) changes.

    One SQL statement of index-only sub-selects (it runs on every portfolio page, so it is
    written out rather than built by the ORM once per table).
    """
    sql, params = _statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        row = cursor.fetchone()
    return hashlib.sha1(repr(row).encode(), usedforsecurity=False).hexdigest()[:16]
