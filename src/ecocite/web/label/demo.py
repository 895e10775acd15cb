"""Demo label programme: the 2017–2018 Sino-French pilot eco-city programme and its cities.

Real where public: the cities selected in 2017 (Jingzhou, Jilin, Panshi, Qingyun; Foshan added)
and the first labels awarded in April 2018 (CSTB, March 2018 news item; see
``shared/reference/seeds_context.md``). Everything else — the people, reviews, votes, action
plans, consultations, pilot-site outlines, later stages and Caidian's application — is
illustrative: the applications are flagged ``illustrative`` and every page says so. Each step
goes through the same services as the pages, dated as the chronology says, so the decision log
of the demo verifies like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import transaction

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.assessments.models import AssessmentRun
from ecocite.web.assessments.models import Status as RunStatus
from ecocite.web.cities.models import City
from ecocite.web.consultations.models import Process
from ecocite.web.frameworks.registry import default_framework_key, framework_by_key
from ecocite.web.label import services
from ecocite.web.label.models import Application, Call, Deadline, Member, Programme

SLUG = "sino-french-2017"
# a one-page PDF saying what it is (the real charters are not public)
CHARTER = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"% EcoCite demo: illustrative charter, not the signed original\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# city → (stage to reach, day of the award or of the last step); April 2018 is the real date
CITIES: dict[str, tuple[str, date]] = {
    "jingzhou": ("confirmed", date(2018, 4, 20)),
    "jilin": ("labelled", date(2018, 4, 20)),
    "panshi": ("monitoring", date(2018, 4, 20)),
    "qingyun": ("labelled", date(2018, 4, 20)),
    "foshan": ("labelled", date(2018, 11, 15)),  # "then Foshan": month illustrative
    "caidian": ("co_construction", date(2019, 9, 1)),  # later applicant, illustrative
}


@contextmanager
def _at(day: date) -> Iterator[None]:
    moment = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _user(name: str) -> Any:
    user, created = get_user_model().objects.get_or_create(
        username=name, defaults={"email": f"{name}@example.org"}
    )
    if created:
        user.set_unusable_password()  # demo people: no one signs in as them
        user.save()
    return user


def _square(city: City) -> dict[str, Any] | None:
    """Return a small square near the middle of the city (an illustrative pilot site)."""
    points: list[list[float]] = []

    def walk(value: Any) -> None:
        if isinstance(value, list) and value and isinstance(value[0], int | float):
            points.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    outline = city.map_outline or city.boundary
    walk(outline.get("coordinates") if isinstance(outline, dict) else None)
    if not points:
        return None
    lon = (min(p[0] for p in points) + max(p[0] for p in points)) / 2
    lat = (min(p[1] for p in points) + max(p[1] for p in points)) / 2
    d = 0.02
    ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _programme() -> tuple[Programme, dict[str, Any]]:
    key = default_framework_key()
    programme = Programme.objects.create(
        slug=SLUG,
        name_fr="Prix Éco-cité pilote franco-chinoise 2017–2018",
        name_zh="中法生态示范城市 2017–2018",
        name_en="Sino-French Pilot Eco-City Prize 2017–2018",
        framework_key=key,
        assessment_stage="planning_design",
        quorum=3,
        validity_years=3,
    )
    for stage, day in (
        ("commitment", date(2017, 9, 30)),
        ("diagnostic", date(2017, 11, 30)),
        ("co_construction", date(2018, 2, 28)),
        ("expert_review", date(2018, 3, 31)),
        ("jury", date(2018, 4, 30)),
        ("monitoring", date(2019, 12, 31)),
    ):
        Deadline.objects.create(programme=programme, stage=stage, due_on=day)
    people = {"secretariat": _user("demo-label-secretariat")}
    Role.objects.create(user=people["secretariat"], kind=RoleKind.SECRETARIAT, scope=programme)
    for side in ("fr", "cn"):
        for n in (1, 2, 3):
            name = f"demo-assessor-{side}-{n}"
            people[name] = _user(name)
            Member.objects.create(
                programme=programme, user=people[name], kind="assessor", side=side
            )
    for name, kind in (
        ("demo-jury-chair", "chair"),
        *((f"demo-jury-{n}", "juror") for n in (1, 2, 3)),
    ):
        people[name] = _user(name)
        Member.objects.create(programme=programme, user=people[name], kind=kind)
    Call.objects.create(
        programme=programme, slug=f"{SLUG}-call", title_fr="Sélection des villes pilotes 2017",
        title_zh="2017年试点城市遴选", title_en="Selection of the pilot cities, 2017",
        opens_on=date(2017, 3, 1), closes_on=date(2017, 9, 30),
    )  # fmt: skip
    Call.objects.create(
        programme=programme, slug=f"{SLUG}-call-2019", title_fr="Appel 2019 (illustratif)",
        title_zh="2019年申请（示意）", title_en="2019 call (illustrative)",
        opens_on=date(2019, 1, 1), closes_on=date(2019, 12, 31),
    )  # fmt: skip
    return programme, people


def _run(city: City, programme: Programme) -> AssessmentRun | None:
    return (
        AssessmentRun.objects.filter(
            city=city,
            status=RunStatus.FINISHED,
            framework_key=programme.framework_key,
            stage=programme.assessment_stage,
        )
        .order_by("-year", "-pk")
        .first()
    )


def _drive(
    programme: Programme, people: dict[str, Any], city: City, until: str, day: date, n: int
) -> Application | None:
    official = _user(f"demo-official-{city.slug}")
    Role.objects.get_or_create(user=official, kind=RoleKind.CITY_OFFICIAL, city=city)
    run = _run(city, programme)
    site = _square(city)
    if run is None or site is None:
        return None
    later = city.slug == "caidian"
    call = programme.calls.get(slug=f"{SLUG}-call-2019" if later else f"{SLUG}-call")
    start = date(day.year, 3, 1) if later else date(2017, 7, 1)
    sec, chair = people["secretariat"], people["demo-jury-chair"]
    fr, cn = people[f"demo-assessor-fr-{n % 3 + 1}"], people[f"demo-assessor-cn-{n % 3 + 1}"]
    with _at(start):
        app = services.apply(
            call, city, user=official, motivation="Illustrative motivation (demo).",
            contacts="Illustrative contact (demo)", pilot_site_name="Pilot site (illustrative)",
            pilot_site=site, charter=CHARTER, illustrative=True,
        )  # fmt: skip
        app = services.move(app, "diagnostic", sec)
        services.set_assessment(app, run, monitoring=False)
    if until == "diagnostic":
        return app
    with _at(date(2017, 12, 1) if not later else day):
        app = services.move(app, "co_construction", sec)
    if until == "co_construction":
        return app
    with _at(date(2018, 2, 1)):
        for scale, kind in (("city", "territory"), ("pilot_site", "operation")):
            process = Process.objects.create(
                slug=f"label-{city.slug}-{scale}", city=city, scale=kind,
                title_fr=f"Co-construction {city.name_fr} ({'ville' if scale == 'city' else 'site pilote'})",
                decision_fr="Plan d'action du label (illustratif)", illustrative=True,
                site=site if scale == "pilot_site" else None,
            )  # fmt: skip
            services.link_process(app, process, scale)
        for title, indicator, value, year in (
            ("Parcs éponges du site pilote", "sponge_city_area_share", 40, 2025),
            ("Bâtiments verts neufs", "green_building_share_new", 100, 2025),
        ):
            services.add_action(
                app, title=title, indicator=indicator, target_value=value, target_year=year,
                owner="Illustrative bureau", budget=50_000_000, illustrative=True,
            )  # fmt: skip
        services.assign_assessor(app, fr, "fr", by=sec)
        services.assign_assessor(app, cn, "cn", by=sec)
        app = services.move(app, "expert_review", sec)
    level = run.level or framework_by_key(programme.framework_key).grading.levels[0].id
    with _at(date(2018, 3, 20) if day.year == 2018 and day.month == 4 else day):
        for review in app.reviews.all():
            services.submit_review(
                review, findings={}, site_visit="Illustrative site-visit report (demo).",
                recommended_level=level,
            )  # fmt: skip
        app = services.move(app, "jury", sec)
    with _at(day):
        for name in ("demo-jury-chair", "demo-jury-1", "demo-jury-2"):
            services.declare(app, people[name], no_conflict=True)
            services.cast_vote(app, people[name], vote="award", comment="Illustrative.")
        app = services.move(
            app, "labelled", chair, reasons="Illustrative reasons (demo).", level=level
        )
    if until == "labelled":
        return app
    with _at(date(2019, 5, 1)):
        app = services.move(app, "monitoring", sec)
    if until == "monitoring":
        return app
    with _at(date(2019, 6, 1)):
        services.set_assessment(app, run, monitoring=True)
        for name in ("demo-jury-chair", "demo-jury-1", "demo-jury-3"):
            services.declare(app, people[name], no_conflict=True)
            services.cast_vote(app, people[name], vote="award", comment="Illustrative.")
        app = services.move(app, until, chair, reasons="Illustrative reasons (demo).", level=level)
    return app


def load_label_demo(log: Callable[[str], None] = print) -> None:
    """Create the demo programme and drive its cities to their stages (once)."""
    if Programme.objects.filter(slug=SLUG).exists():
        return
    with transaction.atomic():
        programme, people = _programme()
        done = []
        for n, (slug, (until, day)) in enumerate(CITIES.items()):
            city = City.objects.filter(slug=slug).first()
            if city is None:
                continue
            app = _drive(programme, people, city, until, day, n)
            if app is not None:
                done.append(f"{slug} {app.stage}")
    log(f"  label: {programme.slug}: {', '.join(done)} (people, reviews and votes illustrative)")
