"""A label programme with its people, and a city with a frozen assessment, for label tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.assessments.services import assess_now
from ecocite.web.consultations.models import Process
from ecocite.web.datasets.services import import_upload
from ecocite.web.label import services
from ecocite.web.label.models import Application, Call, Member, Programme

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SITE = {
    "type": "Polygon",
    "coordinates": [[[112.2, 30.3], [112.3, 30.3], [112.3, 30.4], [112.2, 30.4], [112.2, 30.3]]],
}


@pytest.fixture
def today(monkeypatch: Any) -> date:
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2018, 3, 1, 9, tzinfo=UTC))
    return date(2018, 3, 1)


@pytest.fixture
def label(
    today: date, make_user: Any, city: Any, other_city: Any, framework_key: str
) -> dict[str, Any]:
    """Programme, open call, secretariat, pool (two per side), jury of four with its chair."""
    programme = Programme.objects.create(
        slug="sfe-2017",
        name_fr="Éco-cité pilote franco-chinoise",
        name_zh="中法生态示范城市",
        name_en="Sino-French pilot eco-city",
        framework_key=framework_key,
        assessment_stage="planning_design",
        quorum=3,
    )
    call = Call.objects.create(
        programme=programme,
        slug="call-2017",
        title_fr="Appel 2017",
        opens_on=date(2017, 6, 1),
        closes_on=date(2018, 12, 31),
    )
    people: dict[str, Any] = {
        "admin": make_user("admin", (RoleKind.ADMINISTRATOR, None)),
        "secretariat": make_user("secretariat"),
        "official": make_user("official", (RoleKind.CITY_OFFICIAL, city)),
        "official_elsewhere": make_user("official_elsewhere", (RoleKind.CITY_OFFICIAL, other_city)),
        "resident": make_user("resident", (RoleKind.RESIDENT, None)),
    }
    Role.objects.create(user=people["secretariat"], kind=RoleKind.SECRETARIAT, scope=programme)
    for name, side in (("fr1", "fr"), ("fr2", "fr"), ("cn1", "cn"), ("cn2", "cn")):
        people[name] = make_user(name)
        Member.objects.create(programme=programme, user=people[name], kind="assessor", side=side)
    for name in ("chair", "j1", "j2", "j3"):
        people[name] = make_user(name)
        Member.objects.create(
            programme=programme, user=people[name], kind="chair" if name == "chair" else "juror"
        )
    return {"programme": programme, "call": call, "people": people, "city": city}


@pytest.fixture
def frozen_run(city: Any, good_csv: bytes, framework_key: str) -> Any:
    import_upload("a.csv", good_csv, city=city, framework_key=framework_key, user=None)
    run = assess_now(city, framework_key=framework_key, stage="planning_design", year=2020)
    assert run.is_frozen
    return run


@pytest.fixture
def processes(city: Any) -> dict[str, Process]:
    return {
        scale: Process.objects.create(
            slug=f"p-{scale}", city=city, scale="territory", title_fr=scale, decision_fr="Plan"
        )
        for scale in ("city", "pilot_site")
    }


FINDINGS = {"land_use": "Compact centre.", "ecological_environment": "Wetlands kept."}


def to_stage(
    world: dict[str, Any], until: str, *, run: Any, processes: dict[str, Any]
) -> Application:
    """Apply, then move step by step until ``until`` (``labelled`` at the latest)."""
    p = world["people"]
    app = services.apply(
        world["call"], world["city"], user=p["official"], motivation="Eco-city", contacts="Bureau",
        pilot_site_name="Lake district", pilot_site=SITE, charter=PDF,
    )  # fmt: skip
    order = ["diagnostic", "co_construction", "expert_review", "jury", "labelled"]
    for target in order:
        if app.stage == until:
            return app
        if target == "co_construction":
            services.set_assessment(app, run, monitoring=False)
        if target == "expert_review":
            for scale, process in processes.items():
                services.link_process(app, process, scale)
            services.add_action(
                app, title="Sponge parks", indicator="sponge_city_area_share", target_value=40,
                target_year=2025, owner="Water bureau", budget=1_000_000,
            )  # fmt: skip
            services.assign_assessor(app, p["fr1"], "fr", by=p["secretariat"])
            services.assign_assessor(app, p["cn1"], "cn", by=p["secretariat"])
        if target == "jury":
            for review in app.reviews.all():
                services.submit_review(
                    review, findings=FINDINGS, site_visit="Visited.", recommended_level="two_star",
                    files=[(f"visit-{review.side}.pdf", PDF + review.side.encode())],
                )  # fmt: skip
        if target == "labelled":
            for name in ("chair", "j1", "j2"):
                services.declare(app, p[name], no_conflict=True)
                services.cast_vote(app, p[name], vote="award", comment="Convincing.")
        who = p["chair"] if target == "labelled" else p["secretariat"]
        decided = {"reasons": "Well founded.", "level": "one_star"} if target == "labelled" else {}
        app = services.move(app, target, who, **decided)
    return app


@pytest.fixture
def drive(label: dict[str, Any], frozen_run: Any, processes: dict[str, Any]) -> Any:
    """``drive(until)``: a new application of Jingzhou moved to stage ``until``."""
    return lambda until: to_stage(label, until, run=frozen_run, processes=processes)
