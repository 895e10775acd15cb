"""Voting load on PostgreSQL: 10,000 votes from 200 concurrent clients, none lost, latest wins.

A live server on the loopback interface with a bounded pool of request threads (as gunicorn's
threads, each request with its own database connection), 200 client threads each sending 50
votes through the API: 40 statements once, then 10 of them again with another value. Every
(participant, statement) must end with exactly one row holding the client's last value; the map
job is queued once, not run in the requests. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import http.client
import json
import os
import socketserver
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from wsgiref.simple_server import WSGIServer

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import connection, connections

from ecocite.web.accounts.models import User
from ecocite.web.conversations import services
from ecocite.web.conversations.models import Conversation, Participant, Statement, Vote

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CLIENTS = int(os.environ.get("ECOCITE_LOAD_CLIENTS", "200"))
VOTES_EACH = 50
STATEMENTS = 40
SERVER_THREADS = 16


class _Handler(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class PooledServer(socketserver.ThreadingMixIn, WSGIServer):
    """A WSGI server handing each connection to a bounded pool of threads."""

    request_queue_size = 512
    daemon_threads = True

    def __init__(self, *args: Any, threads: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pool = ThreadPoolExecutor(max_workers=threads)

    def process_request(self, request: Any, client_address: Any) -> None:
        self.pool.submit(self.process_request_thread, request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            connections.close_all()  # one connection per request: at most `threads` open


@pytest.fixture
def server(transactional_db: Any) -> Any:
    httpd = PooledServer(("127.0.0.1", 0), _Handler, threads=SERVER_THREADS)
    httpd.set_app(WSGIHandler())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address
    httpd.shutdown()
    httpd.pool.shutdown(wait=True)
    httpd.server_close()


def _value(client: int, statement: int, second: bool) -> int:
    first = (client + statement) % 3 - 1
    return ((first + 2) % 3 - 1) if second else first  # the second vote always differs


@pytest.mark.skipif(connection.vendor != "postgresql", reason="load test on PostgreSQL")
def test_10000_votes_from_200_clients_are_all_stored_once_latest_wins(
    server: Any, admin: Any, process: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from rest_framework.authtoken.models import Token

    conversation = Conversation.objects.create(process=process, topic_fr="Charge")
    statements = Statement.objects.bulk_create(
        [Statement(conversation=conversation, text=f"S{i}", moderated=1) for i in range(STATEMENTS)]
    )
    users = User.objects.bulk_create([User(username=f"load{i}") for i in range(CLIENTS)])
    tokens = Token.objects.bulk_create(
        [Token(user=u, key=f"{i:040d}") for i, u in enumerate(users)]
    )
    host, port = server
    failures: list[str] = []
    start = threading.Barrier(CLIENTS)

    def client(i: int) -> None:
        plan = [(s, False) for s in range(STATEMENTS)]
        plan += [(s, True) for s in range(VOTES_EACH - STATEMENTS)]
        start.wait()
        for s, second in plan:
            body = json.dumps({"statement": statements[s].pk, "vote": _value(i, s, second)})
            for attempt in range(3):
                try:
                    conn = http.client.HTTPConnection(host, port, timeout=120)
                    conn.request(
                        "POST",
                        "/api/v1/conversation-votes/",
                        body,
                        {
                            "Content-Type": "application/json",
                            "Authorization": f"Token {tokens[i].key}",
                            "Connection": "close",
                        },
                    )
                    response = conn.getresponse()
                    response.read()
                    conn.close()
                    if response.status != 201:
                        failures.append(f"client {i}: {response.status}")
                    break
                except OSError as err:  # a refused connect is retried, never a sent vote
                    if attempt == 2:
                        failures.append(f"client {i}: {err}")
                    time.sleep(0.2)

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    print(
        f"\n{CLIENTS * VOTES_EACH} votes from {CLIENTS} clients in {elapsed:.1f} s "
        f"({CLIENTS * VOTES_EACH / elapsed:.0f} votes/s)"
    )
    assert failures == []
    rows = list(
        Vote.objects.filter(statement__conversation=conversation).values_list(
            "participant__user__username", "statement_id", "value"
        )
    )
    assert len(rows) == CLIENTS * STATEMENTS
    index = {s.pk: n for n, s in enumerate(statements)}
    expected = {
        (f"load{i}", statements[s].pk): _value(i, s, s < VOTES_EACH - STATEMENTS)
        for i in range(CLIENTS)
        for s in range(STATEMENTS)
    }
    assert {(u, s): v for u, s, v in rows} == expected
    assert all(index[s] < STATEMENTS for _u, s, _v in rows)
    assert Participant.objects.filter(conversation=conversation).count() == CLIENTS
    conversation.refresh_from_db()
    assert conversation.map_queued and conversation.new_votes == CLIENTS * VOTES_EACH
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.count() == 1  # one map job queued, none run in a request
    services.compute_map(conversation.pk)
    conversation.refresh_from_db()
    assert conversation.new_votes == 0
