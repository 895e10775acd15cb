"""Who may write in a consultation, by role and by phase (open or closed): a written table.

The process has one phase opening proposals, comments and supports from March to May 2026; the
"open" column asks on 1 April, the "closed" column on 1 June (no phase runs).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.core.models import Phase

PEOPLE = [
    "anonymous", "resident", "author", "professional", "official_here", "official_elsewhere",
    "moderator", "process_moderator", "admin",
]  # fmt: skip
SIGNED_IN = set(PEOPLE) - {"anonymous"}
STEWARDS = {"moderator", "process_moderator", "admin"}
OPEN = datetime(2026, 4, 1, 12, tzinfo=UTC)
CLOSED = datetime(2026, 6, 1, 12, tzinfo=UTC)

# (rule, object) → (allowed while the phase is open, allowed once it closed)
EXPECTED: dict[tuple[str, str], tuple[set[str], set[str]]] = {
    ("consultations.add_process", "city"): ({"official_here", "admin"},) * 2,
    ("consultations.change_process", "process"): ({"official_here"} | STEWARDS,) * 2,
    ("consultations.add_proposal", "process"): (SIGNED_IN, STEWARDS),
    ("consultations.change_proposal", "proposal"): ({"author"} | STEWARDS, STEWARDS),
    ("consultations.answer_proposal", "proposal"): ({"official_here", "admin"},) * 2,
    ("consultations.add_plan_action", "city"): ({"official_here", "admin"},) * 2,
    ("consultations.import_indicators", "city"): ({"official_here", "admin"},) * 2,
    ("notifications.add_follow", "proposal"): (SIGNED_IN, SIGNED_IN),
    ("interactions.add_comment", "proposal"): (SIGNED_IN, STEWARDS),
    ("interactions.add_support", "proposal"): (SIGNED_IN, set()),
    ("interactions.add_report", "proposal"): (SIGNED_IN, SIGNED_IN),
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
    }
    Role.objects.create(user=people["process_moderator"], kind=RoleKind.MODERATOR, scope=process)
    proposal = Proposal.objects.create(
        process=process, author=people["author"], title="Idée", body="Texte"
    )
    return {"people": people, "objects": {"city": city, "process": process, "proposal": proposal}}


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
