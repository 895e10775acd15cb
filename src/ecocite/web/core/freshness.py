"""A fingerprint of the portfolio's data, to cache rendered pages until something changes.

Pages of the portfolio are read far more often than the data behind them changes (an upload, a
finished assessment, an edited city). Rendered fragments are cached per process under keys that
include this fingerprint and the language, so a change shows at once and nothing is invalidated
by hand.
"""

from __future__ import annotations

import hashlib

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import connection

FRAGMENTS = "fragments"


def fragments() -> BaseCache:
    return caches[FRAGMENTS]


def data_version() -> str:
    """A short hash that changes whenever a city, a finished assessment or a dataset changes.

    One SQL statement of index-only sub-selects (it runs on every portfolio page, so it is
    written out rather than built by the ORM three times)."""
    from ecocite.web.assessments.models import AssessmentRun, Status
    from ecocite.web.cities.models import City
    from ecocite.web.datasets.models import Dataset

    city, run, dataset = (m._meta.db_table for m in (City, AssessmentRun, Dataset))
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {city}), (SELECT MAX(id) FROM {city}),"
        f" (SELECT MAX(updated_at) FROM {city}),"
        f" (SELECT COUNT(*) FROM {run} WHERE status = %s),"
        f" (SELECT MAX(finished_at) FROM {run} WHERE status = %s),"
        f" (SELECT MAX(id) FROM {dataset})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [str(Status.FINISHED), str(Status.FINISHED)])
        row = cursor.fetchone()
    return hashlib.sha1(repr(row).encode(), usedforsecurity=False).hexdigest()[:16]
