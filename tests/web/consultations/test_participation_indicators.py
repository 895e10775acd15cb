"""Participation indicators from the consultations, imported as a dataset of the city."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import indicators, services
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.datasets.models import IndicatorValue
from ecocite.web.frameworks.registry import default_framework_key

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)
START = NOW - timedelta(days=50)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: Any) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture
def world(make_user: Any, city: Any) -> dict[str, Any]:
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    official = make_user("olga", (RoleKind.CITY_OFFICIAL, city))
    # ideas close START + 75 days = 2026-05-05; decision planned 2026-07-04: upstream
    process = services.create_process(
        admin,
        city,
        services.standard_phases(START, days=(30, 45, 30, 30, 180)),
        slug="centre",
        scale="operation",
        title_fr="Cœur de ville",
        decision_fr="Plan guide",
        decision_planned_on=(START + timedelta(days=135)).date(),
    )
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    li = make_user("li", (RoleKind.RESIDENT, None))
    first = services.submit_proposal(rosa, process, title="Jardin", body="Texte")
    second = services.submit_proposal(rosa, process, title="Bancs", body="Texte")
    services.support_proposal(li, first)
    services.comment_on(li, second, "Oui.")
    # answered 4 days after its submission (timezone.now is frozen: move the record by hand)
    services.answer_proposal(official, first, "Retenu.", "accepted")
    Proposal.objects.filter(pk=first.pk).update(created_at=NOW - timedelta(days=4))
    return {"process": process, "official": official, "rosa": rosa, "city": city}


def test_values_are_computed_from_the_consultations(world: dict[str, Any]) -> None:
    computed = indicators.compute_values(world["city"], 2026, 2000, "census 2020")
    values = dict(zip(computed.values["indicator"], computed.values["value"], strict=True))
    assert values["participants_per_1000_residents"] == pytest.approx(1.0)  # rosa, li / 2,000
    assert values["proposals_answered_share"] == pytest.approx(50.0)
    assert values["median_days_to_answer"] == pytest.approx(4.0)
    assert values["upstream_process_share"] == pytest.approx(100.0)
    # both proposals were written online (the platform knows every proposal's channel)
    assert values["in_person_contribution_share"] == pytest.approx(0.0)
    assert values["workshops_per_process"] == pytest.approx(0.0)  # no workshop held yet
    assert "census 2020" in computed.values["source"].iloc[0]


def test_workshops_and_contributors_join_the_values(world: dict[str, Any]) -> None:
    from django.contrib.contenttypes.models import ContentType

    from ecocite.web.community.models import Call, CallAnswer, Organisation, Profile
    from ecocite.web.workshops.models import InPersonContribution, Workshop

    process = world["process"]
    workshop = Workshop.objects.create(
        process=process, kind="in_person", title_fr="Atelier", address="Mairie",
        time_zone="Asia/Shanghai", starts_at=NOW - timedelta(days=2),
        ends_at=NOW - timedelta(days=2) + timedelta(hours=2), closed_at=NOW,
        attendance_by_college={"residents": 9, "universities": 2},
    )  # fmt: skip
    typed = Proposal.objects.create(process=process, title="Dit en salle", body="x")
    InPersonContribution.objects.create(
        workshop=workshop, target_type=ContentType.objects.get_for_model(Proposal),
        target_id=typed.pk, typed_by=world["official"],
    )  # fmt: skip
    uni = Organisation.objects.create(slug="u", kind="university", name_fr="Université")
    Profile.objects.create(
        user=world["rosa"], display_name="Rosa", institution=uni, career_stage="student"
    )
    call = Call.objects.create(
        process=process, help_kind="facilitation", title_fr="Animer",
        starts_on=NOW.date(), ends_on=NOW.date(),
    )  # fmt: skip
    CallAnswer.objects.create(call=call, person=world["rosa"], message="Oui", status="accepted")
    computed = indicators.compute_values(world["city"], 2026, 2000, "census 2020")
    values = dict(zip(computed.values["indicator"], computed.values["value"], strict=True))
    assert values["in_person_contribution_share"] == pytest.approx(100 / 3)  # 1 of 3 proposals
    assert values["workshops_per_process"] == pytest.approx(1.0)
    assert values["workshop_attendance_residents"] == 9
    assert values["workshop_attendance_universities"] == 2
    assert values["university_contributors_per_process"] == pytest.approx(1.0)
    assert values["young_professional_contributors_per_process"] == pytest.approx(1.0)


def test_an_official_imports_them_as_a_dataset_with_provenance(
    world: dict[str, Any], make_user: Any
) -> None:
    with pytest.raises(PermissionDenied):
        indicators.import_participation(
            world["rosa"],
            world["city"],
            2026,
            population=2000,
            framework_key=default_framework_key(),
        )
    client = Client()
    client.force_login(world["official"])
    url = reverse("consultations:indicators", args=[world["city"].slug])
    form = {"year": "2026", "population": "2000", "population_source": "census 2020"}
    preview = client.get(url, form)
    assert preview.status_code == 200 and b"participation-values" in preview.content
    done = client.post(url, form)
    assert done.status_code == 302
    stored = IndicatorValue.objects.filter(city=world["city"], year=2026)
    assert sorted(stored.values_list("indicator", flat=True)) == [
        "in_person_contribution_share",
        "median_days_to_answer",
        "participants_per_1000_residents",
        "proposals_answered_share",
        "university_contributors_per_process",
        "upstream_process_share",
        "workshops_per_process",
        "young_professional_contributors_per_process",
    ]
    provenance = json.loads(stored.get(indicator="median_days_to_answer").provenance)
    assert provenance["engine"] == "ecocite.participation.indicators"
    resident = Client()
    resident.force_login(world["rosa"])
    assert resident.post(url, form).status_code == 403
    assert b"Import these values" not in resident.get(url, form).content
    assert client.post(url, {"year": "2026"}).status_code == 422


def test_the_command_writes_the_tables_and_imports(world: dict[str, Any], tmp_path: Path) -> None:
    out = io.StringIO()
    call_command(
        "participation_indicators",
        city=world["city"].slug,
        year=2026,
        population=2000,
        out=tmp_path,
        do_import=True,
        user="olga",
        stdout=out,
    )
    assert {p.name for p in tmp_path.iterdir()} == {
        "processes.csv",
        "phases.csv",
        "proposals.csv",
        "answers.csv",
        "participants.csv",
        "values.csv",
    }
    assert "imported as dataset" in out.getvalue()
    assert IndicatorValue.objects.filter(indicator="upstream_process_share").exists()


def test_the_demo_process_is_illustrative(world: dict[str, Any]) -> None:
    Process.objects.filter(pk=world["process"].pk).update(illustrative=True)
    assert indicators.compute_values(world["city"], 2026, 2000).illustrative
