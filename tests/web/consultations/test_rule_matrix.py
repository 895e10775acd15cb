"""Who may write in a consultation, by role and by phase (open or closed): a written table.

The process has one phase opening proposals, comments and supports from March to May 2026; the
"open" column asks on 1 April, the "closed" column on 1 June (no phase runs).

Two levels: the rules themselves (``has_perm``), and every write page and API endpoint of the
app, each tied to the rule it answers by, requested by every person: a refused person gets 403
(a page sends an anonymous visitor to sign in, the API answers 401), an allowed one does not.
``test_every_write_endpoint_is_in_the_matrix`` fails when a page or API action is added
without its row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from rest_framework.test import APIClient

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.consultations.models import Body, Process, Proposal
from ecocite.web.core.capabilities import capabilities
from ecocite.web.core.models import Phase
from ecocite.web.interactions.models import Block, Comment

PEOPLE = [
    "anonymous", "resident", "author", "professional", "official_here", "official_elsewhere",
    "moderator", "process_moderator", "admin", "blocked",
]  # fmt: skip
SIGNED_IN = set(PEOPLE) - {"anonymous"}
PARTICIPANTS = SIGNED_IN - {"blocked"}
STEWARDS = {"moderator", "process_moderator", "admin"}
CITY = {"official_here", "admin"}
OPEN = datetime(2026, 4, 1, 12, tzinfo=UTC)
CLOSED = datetime(2026, 6, 1, 12, tzinfo=UTC)

# (rule, object) → (allowed while the phase is open, allowed once it closed)
EXPECTED: dict[tuple[str, str], tuple[set[str], set[str]]] = {
    ("consultations.add_body", "nothing"): ({"admin"},) * 2,
    ("consultations.change_body", "body"): ({"admin"},) * 2,
    ("consultations.add_process", "city"): (CITY,) * 2,
    ("consultations.change_process", "process"): ({"official_here"} | STEWARDS,) * 2,
    ("consultations.add_proposal", "process"): (PARTICIPANTS, STEWARDS),
    ("consultations.change_proposal", "proposal"): ({"author"} | STEWARDS, STEWARDS),
    ("consultations.answer_proposal", "proposal"): (CITY,) * 2,
    ("consultations.add_plan_action", "city"): (CITY,) * 2,
    ("consultations.moderate_process", "process"): (STEWARDS,) * 2,
    ("consultations.hide_proposal", "proposal"): (STEWARDS,) * 2,
    ("interactions.add_comment", "proposal"): (PARTICIPANTS, STEWARDS),
    ("interactions.change_comment", "comment"): ({"author"},) * 2,
    ("interactions.delete_comment", "comment"): ({"author"} | STEWARDS,) * 2,
    ("interactions.hide_comment", "comment"): (STEWARDS,) * 2,
    ("interactions.add_support", "proposal"): (PARTICIPANTS, set()),
    ("interactions.add_report", "proposal"): (PARTICIPANTS,) * 2,
    ("interactions.add_report", "comment"): (PARTICIPANTS,) * 2,
    ("interactions.block_user", "process"): (STEWARDS,) * 2,
    ("consultations.import_indicators", "city"): (CITY,) * 2,
    ("notifications.add_follow", "proposal"): (SIGNED_IN, SIGNED_IN),
}


@pytest.fixture
def world(make_user: Any, city: Any, other_city: Any) -> dict[str, Any]:
    process = Process.objects.create(
        slug="c", city=city, scale="territory", title_fr="Consultation", decision_fr="Plan"
    )
    Phase.objects.create(
        process=process, position=1, name="idées", actions=["propose", "comment", "support"],
        starts_at=datetime(2026, 3, 1, tzinfo=UTC), ends_at=datetime(2026, 5, 1, tzinfo=UTC),
    )  # fmt: skip
    people: dict[str, Any] = {
        "anonymous": AnonymousUser(),
        "resident": make_user("resident", (RoleKind.RESIDENT, None)),
        "author": make_user("author", (RoleKind.RESIDENT, None)),
        "professional": make_user("professional", (RoleKind.PROFESSIONAL, None)),
        "official_here": make_user("official_here", (RoleKind.CITY_OFFICIAL, city)),
        "official_elsewhere": make_user("official_elsewhere", (RoleKind.CITY_OFFICIAL, other_city)),
        "moderator": make_user("moderator", (RoleKind.MODERATOR, None)),
        "process_moderator": make_user("process_moderator"),
        "admin": make_user("admin", (RoleKind.ADMINISTRATOR, None)),
        "blocked": make_user("blocked", (RoleKind.RESIDENT, None)),
    }
    Role.objects.create(user=people["process_moderator"], kind=RoleKind.MODERATOR, scope=process)
    Block.objects.create(user=people["blocked"], scope=process, reason="spam")
    spammer = make_user("spammer", (RoleKind.RESIDENT, None))
    other_block = Block.objects.create(user=spammer, scope=process, reason="spam")
    proposal = Proposal.objects.create(
        process=process, author=people["author"], title="Idée", body="Texte"
    )
    comment = Comment.objects.create(content_object=proposal, author=people["author"], text="Oui")
    body = Body.objects.create(slug="forum", name_fr="Forum")
    objects = {
        "nothing": None, "body": body,
        "city": city, "process": process, "proposal": proposal, "comment": comment,
        "block": other_block, "spammer": spammer,
    }  # fmt: skip
    return {"people": people, "objects": objects}


@pytest.mark.parametrize("moment", ["open", "closed"])
@pytest.mark.parametrize(("rule", "where"), sorted(EXPECTED))
def test_consultation_rule_matrix(
    rule: str, where: str, moment: str, world: dict[str, Any], monkeypatch: Any
) -> None:
    now = OPEN if moment == "open" else CLOSED
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    allowed = EXPECTED[(rule, where)][0 if moment == "open" else 1]
    obj = world["objects"][where]
    answers = {who: world["people"][who].has_perm(rule, obj) for who in PEOPLE}
    assert {who for who, yes in answers.items() if yes} == allowed


# --- every write page and API endpoint ------------------------------------------------------

Objects = dict[str, Any]


@dataclass(frozen=True)
class Endpoint:
    """A write (or moderation) page or API action, the rule it answers by, and a request."""

    kind: str  # "page" or "api"
    name: str  # the url name (pages) or "<api prefix> <action>" (API)
    method: str
    url: Callable[[Objects], str]
    rule: tuple[str, str] | None  # None: any signed-in person
    data: Callable[[Objects], dict[str, Any]] = field(default=lambda o: {})


def _page(name: str, where: str) -> Callable[[Objects], str]:
    def url(o: Objects) -> str:
        obj = o[where]
        return reverse(f"consultations:{name}", args=[getattr(obj, "slug", None) or obj.pk])

    return url


def _reason(o: Objects) -> dict[str, Any]:
    return {"reason": "Une raison publique."}


def _phases(o: Objects) -> dict[str, Any]:
    return {
        "phases-TOTAL_FORMS": "2", "phases-INITIAL_FORMS": "0",
        "phases-0-name": "Idées", "phases-0-starts_at": "2026-03-01T00:00",
        "phases-0-ends_at": "2026-05-01T00:00", "phases-0-actions": ["propose", "comment"],
        "phases-0-ORDER": "1",
        "phases-1-name": "Suivi", "phases-1-starts_at": "2026-05-01T00:00",
        "phases-1-ends_at": "2026-09-01T00:00", "phases-1-ORDER": "2",
    }  # fmt: skip


def _body(slug: str) -> Callable[[Objects], dict[str, Any]]:
    return lambda o: {
        "slug": slug, "name_fr": "Forum citoyen",
        "members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0",
        "members-0-name": "Association du quartier", "members-0-college": "associations",
    }  # fmt: skip


def _process_data(slug: str) -> Callable[[Objects], dict[str, Any]]:
    return lambda o: {
        "slug": slug,
        "scale": "territory",
        "title_fr": "Titre",
        "decision_fr": "Décision",
    }


ENDPOINTS = [
    Endpoint("page", "body_new", "post", lambda o: reverse("consultations:body_new"),
             ("consultations.add_body", "nothing"), _body("nouveau")),
    Endpoint("page", "body_edit", "post", _page("body_edit", "body"),
             ("consultations.change_body", "body"), _body("forum")),
    Endpoint("page", "indicators", "post", _page("indicators", "city"),
             ("consultations.import_indicators", "city"),
             lambda o: {"year": "2026", "population": "2000", "population_source": "census"}),
    Endpoint("page", "process_new", "post", _page("process_new", "city"),
             ("consultations.add_process", "city"), _process_data("nouvelle")),
    Endpoint("page", "process_edit", "post", _page("process_edit", "process"),
             ("consultations.change_process", "process"), _process_data("c")),
    Endpoint("page", "phases", "post", _page("phases", "process"),
             ("consultations.change_process", "process"), _phases),
    Endpoint("page", "propose", "post", _page("propose", "process"),
             ("consultations.add_proposal", "process"), lambda o: {"title": "T", "body": "B"}),
    Endpoint("page", "support", "post", _page("support", "proposal"),
             ("interactions.add_support", "proposal")),
    Endpoint("page", "comment", "post", _page("comment", "proposal"),
             ("interactions.add_comment", "proposal"), lambda o: {"text": "Bien."}),
    Endpoint("page", "answer", "post", _page("answer", "proposal"),
             ("consultations.answer_proposal", "proposal"),
             lambda o: {"status": "accepted", "answer": "Oui."}),
    Endpoint("page", "report_proposal", "post", _page("report_proposal", "proposal"),
             ("interactions.add_report", "proposal"), lambda o: {"reason": "spam"}),
    Endpoint("page", "moderate_proposal", "post", _page("moderate_proposal", "proposal"),
             ("consultations.hide_proposal", "proposal"),
             lambda o: {"action": "hide", "reason": "Hors sujet."}),
    Endpoint("page", "comment_edit", "post", _page("comment_edit", "comment"),
             ("interactions.change_comment", "comment"), lambda o: {"text": "Mieux."}),
    Endpoint("page", "comment_delete", "post", _page("comment_delete", "comment"),
             ("interactions.delete_comment", "comment")),
    Endpoint("page", "report_comment", "post", _page("report_comment", "comment"),
             ("interactions.add_report", "comment"), lambda o: {"reason": "spam"}),
    Endpoint("page", "moderate_comment", "post", _page("moderate_comment", "comment"),
             ("interactions.hide_comment", "comment"),
             lambda o: {"action": "hide", "reason": "Hors sujet."}),
    Endpoint("page", "moderation", "get", _page("moderation", "process"),
             ("consultations.moderate_process", "process")),
    Endpoint("page", "block", "post", _page("block", "process"),
             ("interactions.block_user", "process"),
             lambda o: {"user": o["spammer"].pk, "reason": "Spam."}),
    Endpoint("page", "unblock", "post",
             lambda o: reverse("consultations:unblock", args=["c", o["block"].pk]),
             ("consultations.moderate_process", "process"), _reason),
    # the API
    Endpoint("api", "proposals create", "post", lambda o: "/api/v1/proposals/",
             ("consultations.add_proposal", "process"),
             lambda o: {"process": "c", "title": "T", "body": "B"}),
    Endpoint("api", "proposals answer", "post",
             lambda o: f"/api/v1/proposals/{o['proposal'].pk}/answer/",
             ("consultations.answer_proposal", "proposal"),
             lambda o: {"status": "accepted", "answer": "Oui."}),
    Endpoint("api", "proposals report", "post",
             lambda o: f"/api/v1/proposals/{o['proposal'].pk}/report/",
             ("interactions.add_report", "proposal"), lambda o: {"reason": "spam"}),
    *(
        Endpoint("api", f"proposals {act}", "post",
                 lambda o, act=act: f"/api/v1/proposals/{o['proposal'].pk}/{act}/",
                 ("consultations.hide_proposal", "proposal"), _reason)
        for act in ("hide", "restore", "dismiss")
    ),
    Endpoint("api", "proposal-comments create", "post", lambda o: "/api/v1/proposal-comments/",
             ("interactions.add_comment", "proposal"),
             lambda o: {"proposal": o["proposal"].pk, "text": "Bien."}),
    Endpoint("api", "proposal-comments partial_update", "patch",
             lambda o: f"/api/v1/proposal-comments/{o['comment'].pk}/",
             ("interactions.change_comment", "comment"), lambda o: {"text": "Mieux."}),
    Endpoint("api", "proposal-comments destroy", "delete",
             lambda o: f"/api/v1/proposal-comments/{o['comment'].pk}/",
             ("interactions.delete_comment", "comment")),
    Endpoint("api", "proposal-comments report", "post",
             lambda o: f"/api/v1/proposal-comments/{o['comment'].pk}/report/",
             ("interactions.add_report", "comment"), lambda o: {"reason": "spam"}),
    *(
        Endpoint("api", f"proposal-comments {act}", "post",
                 lambda o, act=act: f"/api/v1/proposal-comments/{o['comment'].pk}/{act}/",
                 ("interactions.hide_comment", "comment"), _reason)
        for act in ("hide", "restore", "dismiss")
    ),
    Endpoint("api", "proposal-supports create", "post", lambda o: "/api/v1/proposal-supports/",
             ("interactions.add_support", "proposal"), lambda o: {"proposal": o["proposal"].pk}),
    # withdrawing one's support: any signed-in person (there may be nothing to withdraw)
    Endpoint("api", "proposal-supports destroy", "delete",
             lambda o: f"/api/v1/proposal-supports/{o['proposal'].pk}/", None),
    Endpoint("api", "moderation-reports list", "get",
             lambda o: "/api/v1/moderation-reports/?process=c",
             ("consultations.moderate_process", "process")),
    Endpoint("api", "moderation-log list", "get", lambda o: "/api/v1/moderation-log/?process=c",
             ("consultations.moderate_process", "process")),
    Endpoint("api", "moderation-blocks list", "get",
             lambda o: "/api/v1/moderation-blocks/?process=c",
             ("consultations.moderate_process", "process")),
    Endpoint("api", "moderation-blocks create", "post", lambda o: "/api/v1/moderation-blocks/",
             ("interactions.block_user", "process"),
             lambda o: {"user": "spammer", "process": "c", "reason": "Spam."}),
    Endpoint("api", "moderation-blocks lift", "post",
             lambda o: f"/api/v1/moderation-blocks/{o['block'].pk}/lift/",
             ("interactions.block_user", "process"), _reason),
]  # fmt: skip

# Pages that only read (anyone may open them).
READ_PAGES = {
    "index", "schema", "process", "accountability", "map", "proposals_csv", "proposals_geojson",
    "comments_csv", "proposal", "body",
}  # fmt: skip
# The consultations API's read-only actions.
READ_API = {"list", "retrieve"}


def _allowed(endpoint: Endpoint, moment: str) -> set[str]:
    if endpoint.rule is None:
        return SIGNED_IN
    return EXPECTED[endpoint.rule][0 if moment == "open" else 1]


def _request(endpoint: Endpoint, who: str, people: dict[str, Any], objects: Objects) -> Any:
    person = people[who]
    client: Any = APIClient() if endpoint.kind == "api" else Client()
    if who != "anonymous":
        client.force_login(person)
    call = getattr(client, endpoint.method)
    if endpoint.kind == "api":
        return call(endpoint.url(objects), endpoint.data(objects), format="json")
    return call(endpoint.url(objects), endpoint.data(objects))


def _refused(endpoint: Endpoint, who: str, response: Any) -> bool:
    if who == "anonymous":
        if endpoint.kind == "api":
            return response.status_code == 401
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    return response.status_code == 403


@pytest.mark.parametrize("moment", ["open", "closed"])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.kind}:{e.name}")
def test_every_write_endpoint_answers_as_its_rule(
    endpoint: Endpoint, moment: str, world: dict[str, Any], monkeypatch: Any
) -> None:
    now = OPEN if moment == "open" else CLOSED
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    allowed = _allowed(endpoint, moment)
    wrong = []
    for who in PEOPLE:
        with transaction.atomic():  # each person meets the same world
            response = _request(endpoint, who, world["people"], world["objects"])
            transaction.set_rollback(True)
        assert response.status_code < 500, (who, response.status_code)
        if _refused(endpoint, who, response) == (who in allowed):
            wrong.append((who, response.status_code))
    assert wrong == []


def test_every_write_endpoint_is_in_the_matrix() -> None:
    pages = {
        p.name
        for p in get_resolver("ecocite.web.consultations.urls").url_patterns
        if isinstance(p, URLPattern)
    }
    listed = {e.name for e in ENDPOINTS if e.kind == "page"}
    assert pages - READ_PAGES - listed == set(), "pages without a row in ENDPOINTS"
    consultations = next(c for c in capabilities() if c.key == "consultations")
    actions: set[str] = set()
    for route in consultations.api:
        view = route.view
        names = {"create", "update", "partial_update", "destroy", "list", "retrieve"}
        found = {n for n in names if hasattr(view, n)}
        found |= {a.__name__ for a in getattr(view, "get_extra_actions", list)()}
        actions |= {f"{route.prefix} {n}" for n in found}
    api_listed = {e.name for e in ENDPOINTS if e.kind == "api"}
    unlisted = {a for a in actions - api_listed if a.split()[1] not in READ_API}
    assert unlisted == set(), "API actions without a row in ENDPOINTS"
    # moderation lists are not public reads: they are in the table
    assert "moderation-reports list" in api_listed
