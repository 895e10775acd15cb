"""The permission matrix: every declared rule × every kind of person, against a written table.

The cases are generated from the declared rules (``rule_set()``): a rule added without its row
in ``EXPECTED`` fails ``test_the_matrix_covers_every_declared_rule``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.carbon.models import CarbonInventory, CarbonScenario
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.core.models import Phase
from ecocite.web.core.permissions import rule_set
from ecocite.web.datasets.services import import_upload
from ecocite.web.interactions.models import Comment
from ecocite.web.surveys.models import Survey

PEOPLE = [
    "anonymous", "resident", "author", "official_here", "official_elsewhere", "assessor_here",
    "jury_here", "moderator", "process_moderator", "facilitator", "admin",
]  # fmt: skip
SIGNED_IN = set(PEOPLE) - {"anonymous"}
CITY_WRITERS = {"official_here", "assessor_here", "admin"}
STEWARDS = {"moderator", "process_moderator", "admin"}

# rule → (the object asked about, who is allowed). The process is a dataset put to consultation
# with one open phase opening comments and supports (not proposals, so not attachments).
EXPECTED: dict[str, tuple[str, set[str]]] = {
    "access.add_run": ("city", CITY_WRITERS),
    "access.import_values": ("city", CITY_WRITERS),
    "accounts.change_role": ("nothing", {"admin"}),
    "accounts.sit_on_jury": ("city", {"jury_here"}),
    "assessments.add_assessment": ("city", CITY_WRITERS),
    "carbon.add_inventory": ("city", CITY_WRITERS),
    "carbon.add_scenario": ("inventory", CITY_WRITERS),
    "carbon.change_scenario": ("scenario", CITY_WRITERS),
    "carbon.delete_scenario": ("scenario", CITY_WRITERS),
    "cities.add_city": ("nothing", {"admin"}),
    "cities.change_city": ("city", {"official_here", "admin"}),
    "datasets.add_dataset": ("city", CITY_WRITERS),
    "frameworks.add_framework": ("nothing", {"admin"}),
    "interactions.add_comment": ("process", SIGNED_IN),
    "interactions.change_comment": ("comment", {"author"}),
    "interactions.delete_comment": ("comment", {"author"} | STEWARDS),
    "interactions.add_support": ("process", SIGNED_IN),
    "interactions.add_report": ("comment", SIGNED_IN),
    "interactions.add_attachment": ("process", {"facilitator"} | STEWARDS),
    # consultations: "consultation" is a process whose open phase opens proposing
    "consultations.add_body": ("nothing", {"admin"}),
    "consultations.change_body": ("nothing", {"admin"}),
    "consultations.add_process": ("city", {"official_here", "admin"}),
    "consultations.change_process": ("consultation", {"official_here", "moderator", "admin"}),
    "consultations.add_proposal": ("consultation", SIGNED_IN),
    "consultations.change_proposal": ("proposal", {"author", "moderator", "admin"}),
    "consultations.answer_proposal": ("proposal", {"official_here", "admin"}),
    "consultations.add_plan_action": ("city", {"official_here", "admin"}),
    # surveys: "survey" hangs on a process whose open phase opens answering (signed-in only)
    "surveys.add_survey": ("consultation", {"official_here", "moderator", "admin"}),
    "surveys.change_survey": ("survey", {"official_here", "moderator", "admin"}),
    "surveys.answer_survey": ("survey", SIGNED_IN),
    "surveys.view_results": ("survey", {"official_here", "moderator", "admin"}),
}


@pytest.fixture
def world(
    make_user: Any,
    city: Any,
    other_city: Any,
    good_csv: bytes,
    framework_key: str,
    monkeypatch: Any,
) -> dict[str, Any]:
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 4, 1, 12, tzinfo=UTC))
    process = import_upload("a.csv", good_csv, city=city, framework_key=framework_key, user=None)
    Phase.objects.create(
        process=process, position=1, name="consultation", actions=["comment", "support"],
        starts_at=datetime(2026, 3, 1, tzinfo=UTC), ends_at=datetime(2026, 5, 1, tzinfo=UTC),
    )  # fmt: skip
    people: dict[str, Any] = {
        "anonymous": AnonymousUser(),
        "resident": make_user("resident", (RoleKind.RESIDENT, None)),
        "author": make_user("author", (RoleKind.RESIDENT, None)),
        "official_here": make_user("official_here", (RoleKind.CITY_OFFICIAL, city)),
        "official_elsewhere": make_user("official_elsewhere", (RoleKind.CITY_OFFICIAL, other_city)),
        "assessor_here": make_user("assessor_here", (RoleKind.ASSESSOR, city, "fr")),
        "jury_here": make_user("jury_here", (RoleKind.JURY, city)),
        "moderator": make_user("moderator", (RoleKind.MODERATOR, None)),
        "process_moderator": make_user("process_moderator"),
        "facilitator": make_user("facilitator"),
        "admin": make_user("admin", (RoleKind.ADMINISTRATOR, None)),
    }
    Role.objects.create(user=people["process_moderator"], kind=RoleKind.MODERATOR, scope=process)
    Role.objects.create(user=people["facilitator"], kind=RoleKind.FACILITATOR, scope=process)
    comment = Comment.objects.create(
        content_object=process, author=people["author"], text="A question."
    )
    consultation = Process.objects.create(
        slug="c", city=city, scale="territory", title_fr="Consultation", decision_fr="Plan"
    )
    Phase.objects.create(
        process=consultation, position=1, name="idées", actions=["propose", "comment"],
        starts_at=datetime(2026, 3, 1, tzinfo=UTC), ends_at=datetime(2026, 5, 1, tzinfo=UTC),
    )  # fmt: skip
    proposal = Proposal.objects.create(
        process=consultation, author=people["author"], title="Idée", body="Texte"
    )
    surveyed = Process.objects.create(
        slug="s", city=city, scale="territory", title_fr="Enquête", decision_fr="Plan"
    )
    Phase.objects.create(
        process=surveyed, position=1, name="enquête", actions=["answer_survey"],
        starts_at=datetime(2026, 3, 1, tzinfo=UTC), ends_at=datetime(2026, 5, 1, tzinfo=UTC),
    )  # fmt: skip
    survey = Survey.objects.create(process=surveyed, title_fr="Mobilité")
    inventory = CarbonInventory.objects.create(
        city=city, file="carbon/a.csv", original_name="a.csv", sha256="0" * 64, gwp_set="ar6",
        year=2020, basic_co2e_t=1.0, basic_plus_co2e_t=1.0,
    )  # fmt: skip
    scenario = CarbonScenario.objects.create(
        city=city, inventory=inventory, name="Plan", draws=100, seed=1, inventory_sha256="0" * 64
    )
    objects = {
        "nothing": None, "city": city, "process": process, "comment": comment,
        "consultation": consultation, "proposal": proposal, "inventory": inventory,
        "scenario": scenario, "survey": survey,
    }  # fmt: skip
    return {"people": people, "objects": objects}


def test_the_matrix_covers_every_declared_rule() -> None:
    assert set(EXPECTED) == set(rule_set())


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_rule_matrix(rule: str, world: dict[str, Any]) -> None:
    where, allowed = EXPECTED[rule]
    obj = world["objects"][where]
    answers = {who: world["people"][who].has_perm(rule, obj) for who in PEOPLE}
    assert {who for who, yes in answers.items() if yes} == allowed
