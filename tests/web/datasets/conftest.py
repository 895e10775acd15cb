"""Upload tests: background jobs run at once after each commit, as with ECOCITE_TASKS=immediate."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest


@pytest.fixture
def jobs(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> Iterator[Callable[[], AbstractContextManager[Any]]]:
    """Return a context manager: the jobs queued inside it run when it exits (after "commit").

    The worker itself is exercised by ``run_jobs`` (tests/web/conftest.py) in the worker test.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    yield lambda: django_capture_on_commit_callbacks(execute=True)
