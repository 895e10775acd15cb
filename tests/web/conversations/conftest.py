"""Shared fixtures: a process whose running phase opens statement voting, and a conversation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import services as consultations
from ecocite.web.consultations.models import Process
from ecocite.web.conversations import services
from ecocite.web.conversations.models import Conversation

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: Any) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture(autouse=True)
def immediate_jobs(settings: Any) -> None:
    """Map jobs run at once (as with ECOCITE_TASKS=immediate); the worker is tested apart."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.OPINION_MAP_EVERY_VOTES = 5
    settings.OPINION_MAP_EVERY_SECONDS = 3600


@pytest.fixture
def admin(make_user: Any) -> Any:
    return make_user("ada", (RoleKind.ADMINISTRATOR, None))


def make_process(
    admin: Any, city: Any, *, anonymous: bool = False, slug: str = "centre", now: datetime = NOW
) -> Process:
    start = now - timedelta(days=10)
    return consultations.create_process(
        admin,
        city,
        [
            consultations.PhaseSpec(
                "Conversation",
                start,
                start + timedelta(days=30),
                ("vote_statements", "propose"),
                anonymous_allowed=anonymous,
            )
        ],
        slug=slug,
        scale="territory",
        title_fr="Cœur de ville",
        title_en="Town centre",
        decision_fr="Plan guide",
    )


@pytest.fixture(name="make_process")
def _make_process() -> Any:
    return make_process


@pytest.fixture(name="client_for")
def _client_for() -> Any:
    return client_for


@pytest.fixture
def process(admin: Any, city: Any) -> Process:
    return make_process(admin, city)


@pytest.fixture
def conversation(admin: Any, process: Process) -> Conversation:
    return services.create_conversation(
        admin, process, topic_fr="La rue", topic_en="The street", moderation="before"
    )


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
