"""Load the demo community (illustrative).

A university, an association, French and Chinese professionals, two closed consultations
published as cases, one answered call and one open call.

Everything here is invented for the demonstration and marked ``illustrative``; the cities are the
demo's real cities.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from ecocite.web.cities.models import City
from ecocite.web.community import services
from ecocite.web.community.models import (
    AnswerStatus,
    Call,
    CallAnswer,
    Organisation,
    Profile,
)
from ecocite.web.consultations.models import Process, Proposal, StatusChange
from ecocite.web.consultations.services import standard_phases
from ecocite.web.core.models import Phase
from ecocite.web.interactions.models import Comment, Support

UNIVERSITY = "yangtze-university-demo"


def _user(name: str, language: str) -> Any:
    user, created = get_user_model().objects.get_or_create(
        username=name, defaults={"email": f"{name}@example.org", "preferred_language": language}
    )
    if created:
        user.set_unusable_password()  # demo people: nobody signs in as them
        user.save()
    return user


def _closed_process(slug: str, city: City, days_ago: int, **fields: Any) -> Process:
    process = Process.objects.create(slug=slug, city=city, illustrative=True, **fields)
    kind = ContentType.objects.get_for_model(Process)
    start = timezone.now() - timedelta(days=days_ago)
    for position, spec in enumerate(standard_phases(start), start=1):
        Phase.objects.create(
            process_type=kind, process_id=process.pk, position=position, name=spec.name,
            starts_at=spec.starts_at, ends_at=spec.ends_at, actions=list(spec.actions),
        )  # fmt: skip
    return process


def _decided(process: Process, author: Any, title: str, status: str, answer: str) -> Proposal:
    proposal = Proposal.objects.create(
        process=process, author=author, title=title, body=title, illustrative=True
    )
    StatusChange.objects.create(
        proposal=proposal, old_status=proposal.status, new_status=status, reason=answer
    )
    proposal.status, proposal.answer = status, answer
    proposal.answered_at = proposal.created_at + timedelta(days=21)
    proposal.save()
    return proposal


def load_community_demo(log: Callable[[str], None] = print) -> None:
    """Create the demo community once (skipped if already there or without the demo cities)."""
    jingzhou = City.objects.filter(slug="jingzhou").first()
    palmas = City.objects.filter(slug="las-palmas").first()
    if jingzhou is None or palmas is None or Organisation.objects.filter(slug=UNIVERSITY).exists():
        return
    with transaction.atomic():
        uni = Organisation.objects.create(
            slug=UNIVERSITY, kind="university", city=jingzhou, country="CN",
            name_fr="Université du Yangtsé (démo)", name_zh="长江大学（演示）",
            name_en="Yangtze University (demo)",
            description_fr="Un atelier d'urbanisme d'étudiants de master.",
            description_zh="城市规划硕士生工作室。",
            description_en="A studio of master's students in urban planning.",
            illustrative=True,
        )  # fmt: skip
        Organisation.objects.create(
            slug="old-jingzhou-association-demo", kind="association", city=jingzhou, country="CN",
            name_fr="Association du vieux Jingzhou (démo)", name_zh="荆州古城协会（演示）",
            name_en="Old Jingzhou association (demo)", illustrative=True,
        )  # fmt: skip
        li, claire, wei, marta = (
            _user("demo-li", "zh-hans"), _user("demo-claire", "fr"),
            _user("demo-wei", "zh-hans"), _user("demo-marta", "en"),
        )  # fmt: skip
        now = timezone.now()
        for user, fields in (
            (li, {"display_name": "李娜", "discipline": "geography", "career_stage": "student",
                  "languages": ["zh", "fr"], "institution": uni, "city": jingzhou,
                  "verified_at": now,
                  "public_fields": ["discipline", "career_stage", "languages", "institution",
                                    "city"]}),
            (claire, {"display_name": "Claire Martin", "discipline": "urban_planning",
                      "career_stage": "young_professional", "languages": ["fr", "zh", "en"],
                      "skills": "facilitation, cartographie participative",
                      "lon": 2.35, "lat": 48.85,
                      "public_fields": ["discipline", "career_stage", "languages", "skills"]}),
            (wei, {"display_name": "王伟", "discipline": "engineering",
                   "career_stage": "professional", "languages": ["zh", "en"],
                   "institution": uni, "city": jingzhou,
                   "public_fields": ["discipline", "languages", "city"]}),
            (marta, {"display_name": "Marta Suárez", "discipline": "architecture",
                     "career_stage": "young_professional", "languages": ["es", "fr", "en"],
                     "city": palmas, "bio": "Arquitecta; patios y sombra en Vegueta.",
                     "public_fields": ["discipline", "career_stage", "languages", "city", "bio"]}),
        ):  # fmt: skip
            Profile.objects.create(user=user, illustrative=True, **fields)

        riverside = _closed_process(
            "jingzhou-riverside-2025", jingzhou, 420, scale="operation",
            title_fr="Berges du Jingzhou : un parc inondable", title_zh="荆州滨江：可淹没公园",
            title_en="Jingzhou riverside: a floodable park",
            decision_fr="Programme du parc des berges", decision_zh="滨江公园方案",
            decision_en="Riverside park programme",
            decision_planned_on=(now - timedelta(days=160)).date(),
        )  # fmt: skip
        guiniguada = _closed_process(
            "las-palmas-guiniguada-2024", palmas, 500, scale="territory",
            title_fr="Barranco Guiniguada : un axe vert", title_zh="吉尼瓜达峡谷：绿色走廊",
            title_en="Guiniguada ravine: a green axis",
            decision_fr="Plan directeur du Guiniguada", decision_en="Guiniguada master plan",
            decision_planned_on=(now - timedelta(days=240)).date(),
        )  # fmt: skip
        people = [li, claire, wei, marta]
        a = _decided(riverside, li, "Des jardins de pluie le long des berges", "accepted",
                     "Retenu : trois jardins de pluie au budget 2026.")  # fmt: skip
        _decided(riverside, wei, "禁止在堤岸停车", "rejected", "堤岸需要应急通道。")
        b = _decided(guiniguada, marta, "Un sendero continuo del puerto a Tafira",
                     "accepted_with_changes", "Aceptado por tramos.")  # fmt: skip
        kind = ContentType.objects.get_for_model(Proposal)
        for proposal in (a, b):
            for person in people:
                Support.objects.create(user=person, target_type=kind, target_id=proposal.pk)
        Comment.objects.create(
            author=claire, target_type=kind, target_id=a.pk,
            text="Les jardins de pluie ont marché à Lyon ; prévoir l'entretien.",
        )  # fmt: skip

        answered = Call.objects.create(
            process=riverside, help_kind="facilitation", illustrative=True,
            title_fr="Animer deux ateliers sur les berges", title_zh="主持两场滨江工作坊",
            title_en="Facilitate two riverside workshops",
            disciplines=["geography", "urban_planning"], languages=["zh", "fr"],
            themes=["water", "green_space"], grants_facilitator=True,
            starts_on=(now - timedelta(days=380)).date(),
            ends_on=(now - timedelta(days=300)).date(), place="Jingzhou",
            closed_at=now - timedelta(days=300),
        )  # fmt: skip
        CallAnswer.objects.create(
            call=answered, person=li, organisation=uni, status=AnswerStatus.ACCEPTED,
            message="Notre atelier de master peut animer les deux séances, en chinois et en français.",
            decided_at=now - timedelta(days=370),
        )  # fmt: skip
        territory = Process.objects.filter(slug="jingzhou-territory").first()
        if territory is not None:
            Call.objects.create(
                process=territory, help_kind="translation", illustrative=True,
                title_fr="Traduire la synthèse du diagnostic (chinois → français)",
                title_zh="翻译诊断综述（中译法）", title_en="Translate the diagnostic summary",
                languages=["zh", "fr"], themes=["energy", "mobility"], online=True,
                starts_on=now.date(), ends_on=(now + timedelta(days=30)).date(),
            )  # fmt: skip
        services.create_case(
            riverside,
            {"themes": ["water", "green_space"], "population": 5_231_180,
             "population_source": "2020 census (Jingzhou prefecture)",
             "question_fr": "Comment faire des berges un parc qui accepte les crues ?",
             "question_zh": "如何让滨江成为能接纳洪水的公园？",
             "lessons_fr": "Les ateliers bilingues ont fait venir les étudiants ; "
                           "annoncer les réponses plus tôt.",
             "lessons_zh": "双语工作坊吸引了学生；应更早公布答复。"},
            extra_methods=["workshop_in_person"],
        )  # fmt: skip
        services.create_case(
            guiniguada,
            {"themes": ["green_space", "mobility", "heritage"], "heritage": True,
             "question_en": "Can the ravine become a continuous green walk?",
             "question_fr": "Le barranco peut-il devenir une promenade verte continue ?",
             "lessons_en": "Phasing the path made a yes possible.",
             "lessons_fr": "Découper le sentier en tronçons a rendu le oui possible."},
            extra_methods=["survey"],
        )  # fmt: skip
    log("community: 1 university, 4 profiles, 2 calls, 2 published cases (illustrative)")
