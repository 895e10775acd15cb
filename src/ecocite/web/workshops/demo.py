"""Load the demo workshops (illustrative).

One of each kind on the demo processes: an in-person workshop in Jingzhou's old town already
held and closed with its minutes, a hybrid one coming on the territory process, an online one on
Las Palmas.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.workshops.models import Registration, Workshop


def load_workshops_demo(log: Callable[[str], None] = print) -> None:
    """Create the demo workshops once (skipped without the demo processes or if present)."""
    processes = {p.slug: p for p in Process.objects.filter(slug__in=[
        "jingzhou-territory", "jingzhou-old-town", "las-palmas-vegueta"])}  # fmt: skip
    if len(processes) < 3 or Workshop.objects.filter(process__in=processes.values()).exists():
        return
    now = timezone.now()
    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="demo-")}
    with transaction.atomic():
        held = Workshop.objects.create(
            process=processes["jingzhou-old-town"], kind="in_person", illustrative=True,
            title_fr="Marche exploratoire sur le rempart", title_zh="城墙步行踏勘",
            title_en="Exploratory walk on the city wall",
            address="Porte de l'Est (Binyang), Jingzhou", time_zone="Asia/Shanghai",
            place={"type": "Point", "coordinates": [112.196, 30.352]},
            starts_at=now - timedelta(days=10, hours=3), ends_at=now - timedelta(days=10),
            capacity=30, registration_open=False, closed_at=now - timedelta(days=9),
            agenda=["Accueil", "Marche sur le rempart", "Cartes collectives"],
            minutes_fr="Vingt-deux personnes ont marché sur le rempart. Priorités : garder la "
            "promenade sans voitures, ombrager les accès, rouvrir la poterne nord.",
            minutes_zh="二十二人参加了城墙踏勘。优先事项：保持步道无车、为入口遮阴、重开北侧小门。",
            attendance_by_college={"residents": 14, "associations": 4, "universities": 3,
                                   "decision_makers": 1},
        )  # fmt: skip
        held.outcomes.set(Proposal.objects.filter(process=processes["jingzhou-old-town"]))
        for name in ("demo-amina", "demo-wei"):
            if name in users:
                Registration.objects.create(
                    workshop=held, user=users[name], attended_at=held.starts_at
                )
        Workshop.objects.create(
            process=processes["jingzhou-territory"], kind="hybrid", illustrative=True,
            title_fr="Atelier bas carbone : mobilités", title_zh="低碳工作坊：出行",
            title_en="Low-carbon workshop: mobility",
            address="Hôtel de ville de Jingzhou, salle 3", time_zone="Asia/Shanghai",
            video_url="https://meet.example.org/jingzhou-mobilite",
            starts_at=now + timedelta(days=12), ends_at=now + timedelta(days=12, hours=2),
            capacity=40, agenda=["Diagnostic partagé", "Cartes des trajets", "Priorités"],
        )  # fmt: skip
        Workshop.objects.create(
            process=processes["las-palmas-vegueta"], kind="online", illustrative=True,
            title_fr="Sombra en Vegueta : atelier en ligne", title_en="Shade in Vegueta: online workshop",
            title_zh="维格塔遮阴：线上工作坊",
            video_url="https://meet.example.org/vegueta", time_zone="Atlantic/Canary",
            starts_at=now + timedelta(days=5), ends_at=now + timedelta(days=5, hours=1, minutes=30),
            video_for_registered_only=True,
        )  # fmt: skip
    log("workshops: 3 illustrative workshops (one closed with its minutes)")
