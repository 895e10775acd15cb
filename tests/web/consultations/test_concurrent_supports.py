"""Supports under concurrency: 2,000 distinct participants support the same proposals from 50
concurrent clients, some twice at once, some withdrawing one, against the platform's default
server (``ecocite-web serve``: gunicorn, 2 workers × 4 threads, production settings) on the
loopback interface; the stored counts equal the distinct supporters — nothing lost, nothing
counted twice. Runs on the configured database: SQLite by default, PostgreSQL with
``DATABASE_URL`` (the server is pointed at the test database)."""

from __future__ import annotations

import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ecocite.web.accounts.models import RoleKind, User
from ecocite.web.consultations import services
from ecocite.web.consultations.models import Proposal
from ecocite.web.interactions.models import Support

pytestmark = [pytest.mark.slow]

PARTICIPANTS = 2000
CLIENTS = 50
PROPOSALS = 3


def _participants(n: int) -> list[str]:
    """``n`` signed-up participants with an API token each (written in bulk)."""
    users = User.objects.bulk_create(
        [User(username=f"part{i:04d}", email=f"part{i:04d}@example.org") for i in range(n)]
    )
    if not users[0].pk:  # backends that do not return keys from a bulk insert
        users = list(User.objects.filter(username__startswith="part").order_by("username"))
    tokens = [Token(user=u, key=secrets.token_hex(20)) for u in users]
    Token.objects.bulk_create(tokens)
    return [t.key for t in tokens]


def _call(base: str, method: str, path: str, token: str, body: dict[str, Any] | None) -> int:
    request = urllib.request.Request(
        base + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def server(transactional_db: Any) -> Iterator[str]:
    """The default server on a free loopback port, on the test database; its address."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    home = tempfile.mkdtemp(prefix="ecocite-concurrency-")
    (Path(home) / "first-start-done").write_text("1")
    log = Path(home) / "server.log"
    env = {k: v for k, v in os.environ.items() if k != "ECOCITE_DEBUG"}
    env.update(ECOCITE_DATA_DIR=home, DATABASE_URL=_database_url())
    # Every simulated participant comes from 127.0.0.1: the per-address write limit (a guard
    # against one machine flooding the site) would refuse them, as it should; lift it here.
    env.update(ECOCITE_WRITE_LIMIT_SUPPORT="1000", ECOCITE_WRITE_LIMIT_SUPPORT_ADDRESS="1000000")
    process = subprocess.Popen(
        [sys.executable, "-m", "ecocite.web", "serve", "--no-demo", "--no-worker",
         "--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--threads", "4"],
        env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(base + "/api/v1/", timeout=10).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log.read_text(errors="replace")) from None
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_concurrent_supports_are_counted_once_each(server: str, make_user: Any, city: Any) -> None:
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    # The ideas phase (support open) runs now, on the server's own clock.
    start = timezone.now() - timedelta(days=40)
    process = services.create_process(
        admin, city, services.standard_phases(start), slug="load", scale="territory",
        title_fr="Charge", decision_fr="Plan",
    )  # fmt: skip
    author = make_user("rosa", (RoleKind.RESIDENT, None))
    proposals = [
        services.submit_proposal(author, process, title=f"P{i}", body="b").pk
        for i in range(PROPOSALS)
    ]
    tokens = _participants(PARTICIPANTS)
    rng = random.Random(7)
    # Each participant supports every proposal in its own order; one in ten sends one support
    # twice at once, one in twenty withdraws its support of the first proposal afterwards.
    plans = []
    for token in tokens:
        order = rng.sample(proposals, len(proposals))
        twice = order[0] if rng.random() < 0.1 else None
        withdraw = proposals[0] if rng.random() < 0.05 else None
        plans.append((token, order, twice, withdraw))

    def act(plan: tuple[str, list[int], int | None, int | None]) -> list[int]:
        token, order, twice, withdraw = plan
        codes = []
        for pk in order:
            codes.append(_call(server, "POST", "/api/v1/proposal-supports/", token,
                               {"proposal": pk}))  # fmt: skip
        if twice is not None:
            codes.append(_call(server, "POST", "/api/v1/proposal-supports/", token,
                               {"proposal": twice}))  # fmt: skip
        if withdraw is not None:
            codes.append(_call(server, "DELETE",
                               f"/api/v1/proposal-supports/{withdraw}/", token, None))  # fmt: skip
        return codes

    # Bounded: 50 clients at a time, on the loopback interface only.
    assert server.startswith("http://127.0.0.1:")
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        codes = Counter(code for result in pool.map(act, plans) for code in result)
    assert set(codes) <= {200, 201}, codes

    withdrawn = sum(1 for plan in plans if plan[3] is not None)
    expected = {pk: PARTICIPANTS - (withdrawn if pk == proposals[0] else 0) for pk in proposals}
    kind = ContentType.objects.get_for_model(Proposal)
    stored = Counter(
        Support.objects.filter(target_type=kind, target_id__in=proposals).values_list(
            "target_id", flat=True
        )
    )
    assert dict(stored) == expected, connection.vendor
    distinct = Support.objects.filter(target_type=kind).values("user_id", "target_id").distinct()
    assert distinct.count() == sum(expected.values())
    # And what the pages and the API show is that same count.
    listed = services.proposals_of(process)
    assert {p.pk: p.supports for p in listed} == expected
