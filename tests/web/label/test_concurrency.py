"""Concurrent appends to the decision log (PostgreSQL): serialised on the head row, the chain
verifies and no two entries share a position."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from ecocite.web.label import services
from ecocite.web.label.models import LogRow


@pytest.mark.postgres
def test_concurrent_appends_keep_one_chain(transactional_db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; this checks PostgreSQL's row lock")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for k in range(15):
                services.append_log("transition", "secretariat", {"writer": n, "k": k})
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert LogRow.objects.count() == 90
    assert sorted(LogRow.objects.values_list("seq", flat=True)) == list(range(90))
    assert services.verify_database().ok
