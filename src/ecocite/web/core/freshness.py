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
from django.db.models import Count, Max

FRAGMENTS = "fragments"


def fragments() -> BaseCache:
    return caches[FRAGMENTS]


def data_version() -> str:
    from ecocite.web.assessments.models import AssessmentRun, Status
    from ecocite.web.cities.models import City
    from ecocite.web.datasets.models import Dataset

    cities = City.objects.aggregate(n=Count("pk"), last=Max("pk"), edited=Max("updated_at"))
    runs = AssessmentRun.objects.filter(status=Status.FINISHED).aggregate(
        n=Count("pk"), last=Max("finished_at")
    )
    datasets = Dataset.objects.aggregate(last=Max("pk"))
    raw = f"{cities}|{runs}|{datasets}"
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:16]
