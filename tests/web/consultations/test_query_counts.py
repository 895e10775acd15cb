"""Consultation pages cost a fixed number of queries, whatever the number of proposals, comments,
supports, participants, answers and plan actions (no N+1: Decidim's most reported defect)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import services
from ecocite.web.consultations.models import PlanAction, Process, Proposal

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)
POINT = {"type": "Point", "coordinates": [112.2, 30.3]}


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: Any) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture
def process(make_user: Any, city: Any) -> Process:
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    start = NOW - timedelta(days=40)
    return services.create_process(
        admin, city, services.standard_phases(start), slug="centre", scale="territory",
        title_fr="Cœur de ville", decision_fr="Plan guide",
        decision_planned_on=(start + timedelta(days=105)).date(),
        categories=["mobilité", "nature"], stance_enabled=True,
    )  # fmt: skip


class Grow:
    """Adds proposals, each by a new participant, supported and commented on by others."""

    def __init__(self, process: Process, make_user: Any) -> None:
        self.process = process
        self.make_user = make_user
        self.users = 0
        self.official = make_user("olga", (RoleKind.CITY_OFFICIAL, process.city))

    def person(self) -> Any:
        self.users += 1
        return self.make_user(f"p{self.users}", (RoleKind.RESIDENT, None))

    def proposals(self, n: int) -> list[Proposal]:
        made = []
        for i in range(n):
            author = self.person()
            proposal = services.submit_proposal(
                author, self.process, title=f"P{i}", body="b", category="nature",
                heritage="landscape" if i % 2 else "", geometry=POINT,
            )  # fmt: skip
            for _ in range(2):
                services.support_proposal(self.person(), proposal)
            self.comments(proposal, 2)
            if i % 2:
                services.answer_proposal(self.official, proposal, "Oui", "accepted")
                action = PlanAction.objects.create(
                    city=self.process.city, code=f"A{proposal.pk}", title_fr="Action"
                )
                Proposal.objects.filter(pk=proposal.pk).update(plan_action=action)
            made.append(proposal)
        return made

    def comments(self, proposal: Proposal, n: int) -> None:
        for j in range(n):
            first = services.comment_on(self.person(), proposal, f"c{j}", stance="pro")
            services.comment_on(self.person(), proposal, "réponse", parent=first, stance="contra")


def _queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in captured.captured_queries]


PROCESS_PAGES: dict[str, Callable[[Process], str]] = {
    "process page": lambda p: reverse("consultations:process", args=[p.slug]),
    "filtered process page": lambda p: (
        reverse("consultations:process", args=[p.slug]) + "?heritage=landscape&q=P"
    ),
    "map data": lambda p: reverse("consultations:map", args=[p.slug]),
    "accountability": lambda p: reverse("consultations:accountability", args=[p.slug]),
    "proposals CSV": lambda p: reverse("consultations:proposals_csv", args=[p.slug]),
    "proposals GeoJSON": lambda p: reverse("consultations:proposals_geojson", args=[p.slug]),
    "comments CSV": lambda p: reverse("consultations:comments_csv", args=[p.slug]),
    "proposal list (API)": lambda p: f"/api/v1/proposals/?process={p.slug}",
    "comment list (API)": lambda p: "/api/v1/proposal-comments/",
}


@pytest.mark.parametrize("page", list(PROCESS_PAGES))
@pytest.mark.parametrize("signed_in", [False, True])
def test_process_pages_cost_the_same_queries_for_2_or_10_proposals(
    process: Process, make_user: Any, page: str, signed_in: bool
) -> None:
    grow = Grow(process, make_user)
    client = Client()
    if signed_in:
        client.force_login(grow.person())
    url = PROCESS_PAGES[page](process)
    grow.proposals(2)
    few = _queries(client, url)
    grow.proposals(8)
    many = _queries(client, url)
    assert len(many) == len(few), "\n".join(many)


@pytest.mark.parametrize("signed_in", [False, True])
def test_proposal_page_costs_the_same_queries_for_2_or_10_comments(
    process: Process, make_user: Any, signed_in: bool
) -> None:
    grow = Grow(process, make_user)
    (proposal,) = grow.proposals(1)
    client = Client()
    if signed_in:
        client.force_login(grow.person())
    url = reverse("consultations:proposal", args=[proposal.pk])
    few = _queries(client, url)
    grow.comments(proposal, 4)  # 2 → 10 comments, each by another participant, with stances
    for _ in range(8):
        services.support_proposal(grow.person(), proposal)
    services.answer_proposal(grow.official, proposal, "Non", "rejected")
    many = _queries(client, url)
    assert len(many) == len(few), "\n".join(many)


def test_cached_list_and_map_show_a_support_and_a_comment_at_once(
    process: Process, make_user: Any
) -> None:
    grow = Grow(process, make_user)
    (proposal,) = grow.proposals(1)
    client = Client()
    map_url = reverse("consultations:map", args=[process.slug])
    page_url = reverse("consultations:process", args=[process.slug])

    def counts() -> tuple[int, int]:
        (feature,) = client.get(map_url).json()["features"]
        return feature["properties"]["supports"], feature["properties"]["comments"]

    assert counts() == (2, 4)
    assert b'<td class="num">2</td>' in client.get(page_url).content
    services.support_proposal(grow.person(), proposal)
    assert counts() == (3, 4)
    assert b'<td class="num">3</td>' in client.get(page_url).content
    services.comment_on(grow.person(), proposal, "encore")
    assert counts() == (3, 5)
    supporter = grow.person()
    services.support_proposal(supporter, proposal)
    services.withdraw_support(supporter, proposal)
    assert counts() == (3, 5)
    services.answer_proposal(grow.official, proposal, "Non", "rejected")
    (feature,) = client.get(map_url).json()["features"]
    assert feature["properties"]["status"] == "rejected"
    # Gzip for clients that accept it, the same data.
    zipped = client.get(map_url, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"


def test_the_proposal_list_is_paged(process: Process, make_user: Any) -> None:
    author = make_user("rosa", (RoleKind.RESIDENT, None))
    for i in range(55):
        services.submit_proposal(author, process, title=f"Idée {i:02d}", body="b")
    url = reverse("consultations:process", args=[process.slug])
    first = Client().get(url, {"q": "Idée"}).content.decode()
    assert first.count('href="/consultations/proposals/') == 50
    assert 'rel="next"' in first and "page=2" in first and "q=Id" in first
    second = Client().get(url, {"q": "Idée", "page": "2"}).content.decode()
    assert second.count('href="/consultations/proposals/') == 5 and 'rel="prev"' in second
