"""The permission matrix: every declared rule × every kind of person, against a written table.

The cases are generated from the declared rules (``rule_set()``): a rule added without its row
in ``EXPECTED`` fails ``test_the_matrix_covers_every_declared_rule``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from ecocite.scenario.site import bundled_site
from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.carbon.models import CarbonInventory, CarbonScenario
from ecocite.web.community.models import Call, CallAnswer, Profile
from ecocite.web.community.services import create_case
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.conversations.models import Conversation, Statement
from ecocite.web.core.models import Phase
from ecocite.web.core.permissions import rule_set
from ecocite.web.datasets.services import import_upload
from ecocite.web.interactions.models import Comment
from ecocite.web.label.models import Application, Member, Programme, Review
from ecocite.web.label.models import Call as LabelCall
from ecocite.web.sliders.models import SliderSite
from ecocite.web.surveys.models import Survey
from ecocite.web.workshops.models import Workshop

PEOPLE = [
    "anonymous", "resident", "author", "official_here", "official_elsewhere", "assessor_here",
    "jury_here", "moderator", "process_moderator", "facilitator", "admin",
    "secretariat", "label_assessor", "label_juror", "label_chair",
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
    "datasets.change_dataset": ("process", CITY_WRITERS),  # "process" is a dataset
    "frameworks.add_framework": ("nothing", {"admin"}),
    "interactions.add_comment": ("process", SIGNED_IN),
    "interactions.change_comment": ("comment", {"author"}),
    "interactions.delete_comment": ("comment", {"author"} | STEWARDS),
    "interactions.add_support": ("process", SIGNED_IN),
    "interactions.add_report": ("comment", SIGNED_IN),
    "interactions.add_attachment": ("process", {"facilitator"} | STEWARDS),
    "interactions.hide_comment": ("comment", STEWARDS),
    "interactions.block_user": ("process", STEWARDS),
    # consultations: "consultation" is a process whose open phase opens proposing
    "consultations.add_body": ("nothing", {"admin"}),
    "consultations.change_body": ("nothing", {"admin"}),
    "consultations.add_process": ("city", {"official_here", "admin"}),
    "consultations.change_process": ("consultation", {"official_here", "moderator", "admin"}),
    "consultations.add_proposal": ("consultation", SIGNED_IN),
    "consultations.change_proposal": ("proposal", {"author", "moderator", "admin"}),
    "consultations.hide_proposal": ("proposal", {"moderator", "admin"}),
    "consultations.moderate_process": ("consultation", {"moderator", "admin"}),
    "consultations.answer_proposal": ("proposal", {"official_here", "admin"}),
    "consultations.add_plan_action": ("city", {"official_here", "admin"}),
    # community: calls on the open consultation, a case of a closed one, the author's profile
    "community.change_profile": ("profile", {"author"}),
    "community.verify_profile": ("profile", {"admin"}),
    "community.add_call": ("consultation", {"official_here", "moderator", "admin"}),
    "community.publish_case": ("closed_consultation", {"official_here", "moderator", "admin"}),
    "community.change_call": ("call", {"official_here", "moderator", "admin"}),
    "community.answer_call": ("call", SIGNED_IN),
    "community.decide_answer": ("answer", {"official_here", "moderator", "admin"}),
    "community.change_case": ("case", {"official_here", "admin"}),
    "community.follow_theme": ("nothing", SIGNED_IN),
    # workshops: a hybrid workshop of the open consultation (its phase opens joining workshops)
    "workshops.add_workshop": ("consultation", {"official_here", "moderator", "admin"}),
    "workshops.change_workshop": ("workshop", {"official_here", "moderator", "admin"}),
    "workshops.run_workshop": ("workshop", {"official_here", "moderator", "admin"}),
    "workshops.join_workshop": ("workshop", SIGNED_IN),
    "workshops.see_video_link": ("workshop", {"official_here", "moderator", "admin"}),
    # sliders: a scenario site of the open consultation (its phase opens proposing)
    "sliders.add_site": ("consultation", {"official_here", "moderator", "admin"}),
    "sliders.add_vision": ("slider_site", SIGNED_IN),
    "sliders.view_visions": ("slider_site", {"official_here", "moderator", "admin"}),
    "consultations.import_indicators": ("city", {"official_here", "admin"}),
    "notifications.add_follow": ("consultation", SIGNED_IN),
    # conversations: in the consultation, whose open phase also opens statement voting
    "conversations.add_conversation": ("consultation", {"official_here", "moderator", "admin"}),
    "conversations.vote_statement": ("conversation", SIGNED_IN),
    "conversations.add_statement": ("conversation", SIGNED_IN),
    "conversations.moderate_statement": ("conversation", {"moderator", "admin"}),
    "conversations.propose_statement": ("statement", {"official_here", "moderator", "admin"}),
    # label: "programme" has a secretariat, a jury (label_juror, label_chair) and an assessor
    # (label_assessor) who reviews "application" (Jingzhou's); reviews not yet both submitted
    "label.add_programme": ("nothing", {"admin"}),
    "label.change_programme": ("programme", {"secretariat", "admin"}),
    "label.view_dashboard": ("programme", {"secretariat", "admin"}),
    "label.add_application": ("city", {"official_here", "admin"}),
    "label.view_application": (
        "application",
        {"official_here", "secretariat", "admin", "label_assessor", "label_juror", "label_chair"},
    ),
    "label.change_application": ("application", {"official_here", "secretariat", "admin"}),
    "label.move_application": ("application", {"secretariat", "admin"}),
    "label.assign_assessor": ("application", {"secretariat", "admin"}),
    "label.vote_application": ("application", {"label_juror", "label_chair"}),
    "label.decide_application": ("application", {"label_chair"}),
    "label.submit_review": ("review", {"label_assessor"}),
    "label.view_review": ("review", {"label_assessor", "secretariat", "admin"}),
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
        **{name: make_user(name) for name in ("secretariat", "label_assessor", "label_juror")},
        "label_chair": make_user("label_chair"),
    }
    programme = Programme.objects.create(
        slug="p", name_fr="Programme", framework_key=framework_key, assessment_stage="x"
    )
    Role.objects.create(user=people["secretariat"], kind=RoleKind.SECRETARIAT, scope=programme)
    for who, kind, side in (
        ("label_assessor", "assessor", "fr"), ("label_juror", "juror", ""),
        ("label_chair", "chair", ""),
    ):  # fmt: skip
        Member.objects.create(programme=programme, user=people[who], kind=kind, side=side)
    label_call = LabelCall.objects.create(
        programme=programme, slug="c", title_fr="Appel", opens_on=date(2026, 1, 1),
        closes_on=date(2026, 12, 31),
    )  # fmt: skip
    application = Application.objects.create(call=label_call, city=city, stage="expert_review")
    review = Review.objects.create(
        application=application, assessor=people["label_assessor"], side="fr"
    )
    Role.objects.create(user=people["process_moderator"], kind=RoleKind.MODERATOR, scope=process)
    Role.objects.create(user=people["facilitator"], kind=RoleKind.FACILITATOR, scope=process)
    comment = Comment.objects.create(
        content_object=process, author=people["author"], text="A question."
    )
    consultation = Process.objects.create(
        slug="c", city=city, scale="territory", title_fr="Consultation", decision_fr="Plan"
    )
    Phase.objects.create(
        process=consultation, position=1, name="idées",
        actions=["propose", "comment", "join_workshop", "vote_statements"],
        starts_at=datetime(2026, 3, 1, tzinfo=UTC), ends_at=datetime(2026, 5, 1, tzinfo=UTC),
    )  # fmt: skip
    proposal = Proposal.objects.create(
        process=consultation, author=people["author"], title="Idée", body="Texte"
    )
    conversation = Conversation.objects.create(process=consultation, topic_fr="Question")
    statement = Statement.objects.create(conversation=conversation, text="Oui", moderated=1)
    objects: dict[str, Any] = {
        "nothing": None, "city": city, "process": process, "comment": comment,
        "consultation": consultation, "proposal": proposal, "conversation": conversation,
        "statement": statement, "programme": programme, "application": application,
        "review": review,
    }  # fmt: skip
    # carbon
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
    objects.update(inventory=inventory, scenario=scenario)
    # community: a closed consultation (its case), a call on the open one, the author's profile
    closed = Process.objects.create(
        slug="closed", city=city, scale="operation", title_fr="Close", decision_fr="Plan"
    )
    Phase.objects.create(
        process=closed, position=1, name="idées", actions=["propose"],
        starts_at=datetime(2025, 3, 1, tzinfo=UTC), ends_at=datetime(2025, 5, 1, tzinfo=UTC),
    )  # fmt: skip
    call = Call.objects.create(
        process=consultation, help_kind="mapping", title_fr="Cartographier",
        starts_on=date(2026, 4, 1), ends_on=date(2026, 5, 1),
    )  # fmt: skip
    answer = CallAnswer.objects.create(call=call, person=people["author"], message="Oui")
    case = create_case(closed, {"question_fr": "Q", "lessons_fr": "L"})
    profile = Profile.objects.create(user=people["author"], display_name="Auteur")
    objects.update(closed_consultation=closed, call=call, answer=answer, case=case, profile=profile)
    # workshops: a hybrid workshop of the open consultation
    workshop = Workshop.objects.create(
        process=consultation, kind="hybrid", title_fr="Atelier", address="Mairie",
        video_url="https://video.example.org/a", time_zone="Asia/Shanghai",
        starts_at=datetime(2026, 4, 10, 9, tzinfo=UTC), ends_at=datetime(2026, 4, 10, 11, tzinfo=UTC),
    )  # fmt: skip
    objects.update(workshop=workshop)
    # sliders: the bundled demo site offered on the open consultation
    slider_site = SliderSite.objects.create(
        process=consultation, title_fr="Site", sliders=["density"],
        definition=bundled_site("vegueta").read_text(encoding="utf-8"),
    )  # fmt: skip
    objects.update(slider_site=slider_site)
    objects.update(survey=survey)
    return {"people": people, "objects": objects}


def test_the_matrix_covers_every_declared_rule() -> None:
    assert set(EXPECTED) == set(rule_set())


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_rule_matrix(rule: str, world: dict[str, Any]) -> None:
    where, allowed = EXPECTED[rule]
    obj = world["objects"][where]
    answers = {who: world["people"][who].has_perm(rule, obj) for who in PEOPLE}
    assert {who for who, yes in answers.items() if yes} == allowed
