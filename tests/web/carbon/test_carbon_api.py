"""The carbon API: inventories (read, upload), scenarios (create, read, rename, delete) and their
stored results, with the same rules as the pages (401 without an account, 403 without the role)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from ecocite.carbon import (
    compute_inventory,
    demo_activity_path,
    demo_contexts,
    monte_carlo,
    pathway_base,
    read_activity,
)
from ecocite.web.accounts.models import RoleKind
from ecocite.web.carbon.models import CarbonInventory, CarbonScenario
from ecocite.web.carbon.services import import_activity

WRITERS = {"official_here", "assessor_here", "admin"}


@pytest.fixture
def stored(city: Any) -> CarbonInventory:
    path = Path(demo_activity_path("jingzhou"))
    return import_activity(path.name, path.read_bytes(), city=city, gwp_set="ar6", user=None)


@pytest.fixture
def people(make_user: Any, city: Any, other_city: Any) -> dict[str, Any]:
    return {
        "anonymous": None,
        "resident": make_user("resident", (RoleKind.RESIDENT, None)),
        "official_here": make_user("official_here", (RoleKind.CITY_OFFICIAL, city)),
        "official_elsewhere": make_user("official_elsewhere", (RoleKind.CITY_OFFICIAL, other_city)),
        "assessor_here": make_user("assessor_here", (RoleKind.ASSESSOR, city, "fr")),
        "admin": make_user("admin", (RoleKind.ADMINISTRATOR, None)),
    }


def _client(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_inventories_are_read_by_anyone(stored: CarbonInventory) -> None:
    listed = _client(None).get("/api/v1/carbon-inventories/", {"city": stored.city.slug}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [stored.pk]
    one = _client(None).get(f"/api/v1/carbon-inventories/{stored.pk}/").json()
    assert (
        one["basic_co2e_t"] == pytest.approx(stored.basic_co2e_t)
        and one["city"] == stored.city.slug
    )
    assert _client(None).get("/api/v1/carbon-inventories/", {"city": "nowhere"}).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "resident", "official_elsewhere", "official_here"])
def test_upload_follows_the_page_rule(city: Any, people: dict[str, Any], who: str) -> None:
    path = Path(demo_activity_path("jingzhou"))
    url = f"/api/v1/cities/{city.slug}/carbon-inventories/"

    def post() -> Any:
        upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
        return _client(people[who]).post(
            url, {"file": upload, "gwp_set": "ar6"}, format="multipart"
        )

    answer = post()
    expected = {"anonymous": 401, "resident": 403, "official_elsewhere": 403, "official_here": 201}
    assert answer.status_code == expected[who]
    assert CarbonInventory.objects.count() == (1 if who == "official_here" else 0)
    if who == "official_here":
        assert answer.json()["gwp_set"] == "ar6"
        again = post()
        assert again.status_code == 409 and again.json()["existing"] == answer.json()["id"]
        bad = _client(people[who]).post(
            url,
            {"file": SimpleUploadedFile("x.csv", b"city,year\nnowhere,2020\n"), "gwp_set": "ar6"},
            format="multipart",
        )
        assert bad.status_code == 422 and bad.json()["errors"]
        assert CarbonInventory.objects.count() == 1


def _body(record: CarbonInventory, **changes: Any) -> dict[str, Any]:
    return {
        "inventory": record.pk, "name": "API plan", "description": "from a script",
        "levers": {"grid_decarbonisation": 0.7}, "drivers": {"rebalancing_inflow": 0.002},
        "draws": 300, "seed": 5, **changes,
    }  # fmt: skip


@pytest.mark.parametrize(
    "who",
    ["anonymous", "resident", "official_elsewhere", "official_here", "assessor_here", "admin"],
)
def test_scenario_crud_follows_the_page_rules(
    stored: CarbonInventory, people: dict[str, Any], who: str
) -> None:
    client = _client(people[who])
    created = client.post("/api/v1/carbon-scenarios/", _body(stored), format="json")
    allowed = who in WRITERS
    assert created.status_code == (201 if allowed else 401 if who == "anonymous" else 403)
    if not allowed:
        assert not CarbonScenario.objects.exists()
        return
    body = created.json()
    assert body["status"] == "finished" and body["city"] == stored.city.slug
    assert body["levers"]["grid_decarbonisation"] == 0.7 and body["drivers"] == {
        "rebalancing_inflow": 0.002
    }
    # The demo context of the city, as on the page, when none is given.
    demo = demo_contexts()["jingzhou"]
    assert body["context"]["population"] == demo.population
    result = _client(None).get(f"/api/v1/carbon-scenarios/{body['id']}/result/").json()
    base = pathway_base(
        compute_inventory(read_activity(demo_activity_path("jingzhou")), gwp_set="ar6"), demo
    )
    scenario = CarbonScenario.objects.get(pk=body["id"])
    expected = monte_carlo(
        base, draws=300, seed=5, levers=scenario.levers, drivers=scenario.drivers
    )
    assert result["status"] == "finished" and result["stale"] is False
    assert result["result"]["probabilities"] == pytest.approx(expected.probabilities)
    renamed = client.patch(
        f"/api/v1/carbon-scenarios/{body['id']}/", {"name": "Renamed"}, format="json"
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Renamed"
    outsider = _client(people["official_elsewhere"])
    assert (
        outsider.patch(
            f"/api/v1/carbon-scenarios/{body['id']}/", {"name": "x"}, format="json"
        ).status_code
        == 403
    )
    assert outsider.delete(f"/api/v1/carbon-scenarios/{body['id']}/").status_code == 403
    assert _client(None).delete(f"/api/v1/carbon-scenarios/{body['id']}/").status_code == 401
    assert client.delete(f"/api/v1/carbon-scenarios/{body['id']}/").status_code == 204
    assert not CarbonScenario.objects.exists()


def test_bad_scenarios_are_400_naming_the_field(
    stored: CarbonInventory, people: dict[str, Any]
) -> None:
    client = _client(people["official_here"])
    for changes, field in (
        ({"levers": {"grid_decarbonisation": 7}}, "lever_grid_decarbonisation"),
        ({"levers": {"teleportation": 1}}, "levers"),
        ({"drivers": {"weather": 1}}, "drivers"),
        ({"draws": 10}, "draws"),
        ({"inventory": 99999}, "inventory"),
        ({"name": ""}, "name"),
    ):
        answer = client.post("/api/v1/carbon-scenarios/", _body(stored, **changes), format="json")
        assert answer.status_code == 400 and field in answer.json(), (changes, answer.json())
    client.post("/api/v1/carbon-scenarios/", _body(stored), format="json")
    taken = client.post("/api/v1/carbon-scenarios/", _body(stored), format="json")
    assert taken.status_code == 400 and "name" in taken.json()
    assert CarbonScenario.objects.count() == 1


def test_many_draws_are_queued_for_the_worker(
    stored: CarbonInventory, people: dict[str, Any]
) -> None:
    from django_tasks_db.models import DBTaskResult

    client = _client(people["official_here"])
    body = client.post("/api/v1/carbon-scenarios/", _body(stored, draws=5000), format="json").json()
    assert body["status"] == "queued" and DBTaskResult.objects.count() == 1
    result = client.get(f"/api/v1/carbon-scenarios/{body['id']}/result/").json()
    assert result == {"status": "queued", "stale": False, "result": None}
