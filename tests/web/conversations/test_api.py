"""The conversations API answers as the pages do: same rules, same identity, same results."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from rest_framework.test import APIClient

from ecocite.web.accounts.models import RoleKind
from ecocite.web.conversations import services
from ecocite.web.conversations.models import Statement, Vote

pytestmark = pytest.mark.django_db


def _api(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_vote_write_moderate_and_read_results(
    conversation: Any, admin: Any, make_user: Any
) -> None:
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    listed = _api().get("/api/v1/conversations/", {"process": "centre"}).json()["results"]
    assert [c["id"] for c in listed] == [conversation.pk]
    made = _api(rosa).post(
        "/api/v1/conversation-statements/", {"conversation": conversation.pk, "text": "Des arbres"}
    )
    assert made.status_code == 201 and made.json()["moderated"] == 0
    sid = made.json()["id"]
    # waiting statements: moderators see them, others do not
    url = f"/api/v1/conversation-statements/?conversation={conversation.pk}"
    assert _api(rosa).get(url).json()["count"] == 0
    assert _api(admin).get(url).json()["count"] == 1
    assert (
        _api(rosa)
        .post(
            "/api/v1/conversation-statements/moderate/",
            {"conversation": conversation.pk, "statements": [sid], "decision": "accept"},
            format="json",
        )
        .status_code
        == 403
    )
    done = _api(admin).post(
        "/api/v1/conversation-statements/moderate/",
        {"conversation": conversation.pk, "statements": [sid], "decision": "accept"},
        format="json",
    )
    assert done.json() == {"changed": 1}
    assert _api(rosa).get(url).json()["count"] == 1
    for value in (1, -1):
        voted = _api(rosa).post("/api/v1/conversation-votes/", {"statement": sid, "vote": value})
        assert voted.status_code == 201
    assert Vote.objects.get().value == -1
    mine = _api(rosa).get("/api/v1/conversation-votes/", {"conversation": conversation.pk})
    assert mine.json() == [{"statement": sid, "vote": -1}]
    bad = _api(rosa).post("/api/v1/conversation-votes/", {"statement": sid, "vote": 2})
    assert bad.status_code == 400 and "vote" in bad.json()
    assert _api().get(f"/api/v1/conversations/{conversation.pk}/results/").json()["votes"] == 0
    services.compute_map(conversation.pk)  # the background job (on commit, outside this test)
    results = _api().get(f"/api/v1/conversations/{conversation.pk}/results/").json()
    assert results["votes"] == 1 and results["statements"][str(sid)] == "Des arbres"
    assert results["result"]["participants"] == 1


def test_anonymous_api_follows_the_phase(admin: Any, city: Any, make_process: Any) -> None:
    closed = make_process(admin, city, slug="closed")
    conversation = services.create_conversation(admin, closed, topic_fr="Q")
    s = services.add_statement(admin, conversation, "A")
    services.moderate(admin, conversation, [s.pk], 1)
    refused = _api().post("/api/v1/conversation-votes/", {"statement": s.pk, "vote": 1})
    assert refused.status_code == 401
    opened = make_process(admin, city, anonymous=True, slug="open")
    conversation = services.create_conversation(admin, opened, topic_fr="Q")
    s = services.add_statement(admin, conversation, "A")
    services.moderate(admin, conversation, [s.pk], 1)
    visitor = _api()
    assert (
        visitor.post("/api/v1/conversation-votes/", {"statement": s.pk, "vote": 1}).status_code
        == 201
    )
    assert (
        visitor.post("/api/v1/conversation-votes/", {"statement": s.pk, "vote": 0}).status_code
        == 201
    )
    assert list(Vote.objects.values_list("value", flat=True)) == [0]
    assert _api().post(
        "/api/v1/conversations/",
        {"process": "open", "topic_fr": "Autre"},
    ).status_code in (401, 403)


def test_the_schema_documents_the_endpoints(db: Any) -> None:
    schema = yaml.safe_load(APIClient().get("/api/v1/schema/").content)
    paths = schema["paths"]
    for path in (
        "/api/v1/conversations/",
        "/api/v1/conversations/{id}/results/",
        "/api/v1/conversation-statements/",
        "/api/v1/conversation-statements/moderate/",
        "/api/v1/conversation-votes/",
    ):
        assert path in paths, path
    assert Statement.MAX_CHARS == 280
