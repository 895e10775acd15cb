"""Demo consultations: a standing body and three processes at three scales, all illustrative.

Jingzhou (territory), a pilot site of Jingzhou (development operation) and Las Palmas de Gran
Canaria (the real municipal boundary from ``shared/data/las-palmas`` when present). Proposals,
comments, supports and answers are written in French, Chinese and English; every row is marked
illustrative and the pages say so. Phases are dated from today, so the ideas phase is running.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from ecocite.web.cities.models import City
from ecocite.web.consultations.models import (
    Body,
    Membership,
    PlanAction,
    Process,
    Proposal,
    StatusChange,
)
from ecocite.web.consultations.services import standard_phases
from ecocite.web.core.models import Phase
from ecocite.web.interactions.models import Comment, Support

BODY_SLUG = "jingzhou-forum"

# Vegueta, the historic district of Las Palmas (approximate outline, illustrative).
VEGUETA = {
    "type": "Polygon",
    "coordinates": [
        [[-15.4185, 28.0985], [-15.4105, 28.0985], [-15.4105, 28.1045], [-15.4185, 28.1045],
         [-15.4185, 28.0985]]
    ],
}  # fmt: skip


def _point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def _las_palmas() -> City:
    from ecocite.web.access.config import demo_folder

    boundary = None
    folder = demo_folder()
    if folder is not None and (folder / "municipality_boundary.geojson").exists():
        collection = json.loads((folder / "municipality_boundary.geojson").read_text())
        boundary = collection["features"][0]["geometry"]
    city, _ = City.objects.get_or_create(
        slug="las-palmas",
        defaults={
            "name_fr": "Las Palmas de Gran Canaria",
            "name_zh": "大加那利岛拉斯帕尔马斯",
            "name_en": "Las Palmas de Gran Canaria",
            "country": "ES",
            "boundary": boundary,
            "boundary_source": "CNIG (IGN), municipal boundary" if boundary else "",
        },
    )
    return city


def _people() -> list[Any]:
    users = []
    for name in ("demo-amina", "demo-wei", "demo-lucia", "demo-paul"):
        user, created = get_user_model().objects.get_or_create(
            username=name, defaults={"email": f"{name}@example.org"}
        )
        if created:
            user.set_unusable_password()  # demo authors: no one signs in as them
            user.save()
        users.append(user)
    return users


def _phases(process: Process, start_days_ago: int) -> None:
    kind = ContentType.objects.get_for_model(Process)
    start = timezone.now() - timedelta(days=start_days_ago)
    for position, spec in enumerate(standard_phases(start), start=1):
        Phase.objects.create(
            process_type=kind,
            process_id=process.pk,
            position=position,
            name=spec.name,
            starts_at=spec.starts_at,
            ends_at=spec.ends_at,
            actions=list(spec.actions),
        )


def _proposal(process: Process, author: Any, **fields: Any) -> Proposal:
    return Proposal.objects.create(process=process, author=author, illustrative=True, **fields)


def _answer(proposal: Proposal, status: str, answer: str) -> None:
    StatusChange.objects.create(
        proposal=proposal, old_status=proposal.status, new_status=status, reason=answer
    )
    proposal.status, proposal.answer, proposal.answered_at = status, answer, timezone.now()
    proposal.save()


def load_consultations_demo(log: Callable[[str], None] = print) -> None:
    """Create the demo body, processes and participation once (skipped if already there)."""
    jingzhou = City.objects.filter(slug="jingzhou").first()
    if jingzhou is None or Body.objects.filter(slug=BODY_SLUG).exists():
        return
    with transaction.atomic():
        amina, wei, lucia, paul = _people()
        body = Body.objects.create(
            slug=BODY_SLUG,
            city=jingzhou,
            name_fr="Forum citoyen de Jingzhou",
            name_zh="荆州市民论坛",
            name_en="Jingzhou citizens' forum",
            territory="Jingzhou",
            charter_fr="Imaginer la ville ensemble, en amont des décisions, dans le respect du "
            "patrimoine local ; les données sont un bien commun.",
            charter_zh="在决策之前共同构想城市，尊重地方文化遗产；数据是公共财富。",
            charter_en="Imagine the city together, upstream of decisions, respecting local "
            "heritage; data is a common good.",
            illustrative=True,
        )
        for name, college in (
            ("Amina", "residents"), ("Association du vieux Jingzhou", "associations"),
            ("Wei, ingénieur", "professionals"), ("Université du Yangtsé", "universities"),
            ("Conseil municipal", "decision_makers"),
        ):  # fmt: skip
            Membership.objects.create(body=body, name=name, college=college)
        today = timezone.now().date()
        territory = Process.objects.create(
            slug="jingzhou-territory", body=body, city=jingzhou, scale="territory",
            title_fr="Jingzhou 2035 : quelle ville bas carbone ?",
            title_zh="荆州2035：怎样的低碳城市？",
            title_en="Jingzhou 2035: which low-carbon city?",
            description_fr="Diagnostic partagé et idées pour le plan territorial.",
            description_zh="共同诊断并为地域规划征集创意。",
            decision_fr="Plan territorial bas carbone", decision_zh="低碳地域规划",
            decision_en="Low-carbon territorial plan",
            decision_planned_on=today + timedelta(days=200),
            categories=["mobilité", "énergie", "nature", "patrimoine"],
            support_threshold=3, illustrative=True,
        )  # fmt: skip
        site = Process.objects.create(
            slug="jingzhou-old-town", body=body, city=jingzhou, scale="operation",
            title_fr="Îlot pilote de la vieille ville", title_zh="古城试点街区",
            title_en="Old-town pilot block",
            decision_fr="Plan d'aménagement de l'îlot", decision_en="Block development plan",
            decision_planned_on=today + timedelta(days=120),
            site={"type": "Polygon", "coordinates": [[[112.17, 30.34], [112.20, 30.34],
                  [112.20, 30.36], [112.17, 30.36], [112.17, 30.34]]]},
            stance_enabled=True, support_limit=3, illustrative=True,
        )  # fmt: skip
        palmas = Process.objects.create(
            slug="las-palmas-vegueta", city=_las_palmas(), scale="programme",
            title_fr="Vegueta : patrimoine et fraîcheur", title_zh="维格塔：遗产与清凉",
            title_en="Vegueta: heritage and shade",
            decision_fr="Programme d'espaces publics de Vegueta",
            decision_en="Vegueta public-space programme",
            decision_planned_on=today + timedelta(days=90),
            site=VEGUETA, categories=["ombre", "patrimoine", "mobilité"], illustrative=True,
        )  # fmt: skip
        _phases(territory, 40)
        _phases(site, 35)
        _phases(palmas, 80)  # ideas closed: co-design runs
        p1 = _proposal(
            territory, amina, title="Des pistes cyclables le long des digues",
            body="Relier les quartiers par les **digues du Yangtsé**.", category="mobilité",
            geometry=_point(112.24, 30.33),
        )  # fmt: skip
        p2 = _proposal(
            territory, wei, title="屋顶光伏合作社",
            body="由居民共同投资公共建筑屋顶的**光伏**。", category="énergie",
        )  # fmt: skip
        p3 = _proposal(
            site, lucia, title="Keep the old city wall walk open",
            body="The wall walk is the heart of the block; keep it *car-free*.",
            heritage="monument", geometry=_point(112.185, 30.35),
        )  # fmt: skip
        p4 = _proposal(
            palmas, paul, title="Toldos y árboles en la calle Obispo Codina",
            body="Sombra para caminar: árboles y toldos.", category="ombre",
            heritage="historic_district", geometry=_point(-15.4150, 28.1010),
        )  # fmt: skip
        p5 = _proposal(
            palmas, lucia, title="Fête des patios ouverts",
            body="Ouvrir les patios une fois par mois.", category="patrimoine",
            heritage="intangible", geometry=_point(-15.4138, 28.1022),
        )  # fmt: skip
        kind = ContentType.objects.get_for_model(Proposal)
        supported = ((p1, [wei, lucia, paul]), (p2, [amina]), (p3, [amina, wei]), (p4, [amina]))
        for proposal, supporters in supported:
            for user in supporters:
                Support.objects.create(user=user, target_type=kind, target_id=proposal.pk)
        first = Comment.objects.create(
            content_object=p1, author=wei, text="Oui, et des stationnements vélo aux gares."
        )
        Comment.objects.create(content_object=p1, author=amina, parent=first, text="同意！")
        Comment.objects.create(content_object=p4, author=amina, text="Yes, the street is too hot.")
        _answer(p1, "under_study", "Étude de faisabilité lancée avec le bureau des digues.")
        _answer(p4, "accepted", "Aceptada: primera fase en 2027.")
        _answer(p5, "rejected", "Rejected: the patios are private; a guided-tour day instead.")
        action = PlanAction.objects.create(
            city=palmas.city, code="EP-3", title_fr="Ombrer les rues de Vegueta",
            title_en="Shade the streets of Vegueta", progress=20, illustrative=True,
        )  # fmt: skip
        p4.plan_action = action
        p4.save(update_fields=["plan_action"])
    log("  consultations: 1 body, 3 processes, 5 proposals (illustrative)")
