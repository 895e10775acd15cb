"""Saved carbon scenarios: save (in the request or by the worker), reopen without the engine,
rename, recompute, delete with confirmation, compare on one chart and export.

Every figure checked is compared with what ``ecocite.carbon`` computes from the same demo file.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any
from unittest import mock

import openpyxl
import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from ecocite.carbon import (
    compute_inventory,
    demo_activity_path,
    demo_contexts,
    monte_carlo,
    pathway_base,
    read_activity,
    run_pathway,
)
from ecocite.web.accounts.models import RoleKind
from ecocite.web.carbon import pathways
from ecocite.web.carbon.models import CarbonInventory, CarbonScenario
from ecocite.web.carbon.scenarios import save_scenario
from ecocite.web.carbon.services import import_activity

WRITERS = {"official_here", "assessor_here", "admin"}


@pytest.fixture
def stored(city: Any, transactional_db: Any) -> CarbonInventory:
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
        "jury_here": make_user("jury_here", (RoleKind.JURY, city)),
        "admin": make_user("admin", (RoleKind.ADMINISTRATOR, None)),
    }


def _base() -> Any:
    inventory = compute_inventory(read_activity(demo_activity_path("jingzhou")), gwp_set="ar6")
    return pathway_base(inventory, demo_contexts()["jingzhou"])


def _form(client: Any, record: CarbonInventory, **changes: Any) -> dict[str, Any]:
    form = client.get(reverse("carbon:scenario_add", args=[record.pk])).context["form"]
    data = {k: ("" if form[k].value() is None else form[k].value()) for k in form.fields}
    data.update(changes)
    return data


def _save(stored: CarbonInventory, name: str, draws: int = 200, **kw: Any) -> CarbonScenario:
    demo = demo_contexts()["jingzhou"]
    context = {
        "population": demo.population,
        "gdp_wan_cny": demo.gdp_wan_cny,
        "co2_2005_t": demo.co2_2005_t,
        "gdp_2005_wan_cny": demo.gdp_2005_wan_cny,
    }
    return save_scenario(
        stored,
        name=name,
        description=kw.get("description", ""),
        context=context,
        levers=kw.get("levers", {"grid_decarbonisation": 0.5}),
        drivers=kw.get("drivers", {}),
        draws=draws,
        seed=kw.get("seed", 3),
        user=None,
    )


def test_saving_few_draws_computes_at_once_and_keeps_the_engine_figures(
    client: Any, stored: CarbonInventory, people: dict[str, Any]
) -> None:
    client.force_login(people["official_here"])
    data = _form(
        client, stored, name="Plan A", description="Grid first", draws=300, seed=7,
        lever_grid_decarbonisation=0.8, driver_rebalancing_inflow=0.004,
        driver_rebalancing_years=10,
    )  # fmt: skip
    response = client.post(reverse("carbon:scenario_add", args=[stored.pk]), data)
    scenario = CarbonScenario.objects.get(name="Plan A")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/scenarios/{scenario.pk}/"
    )
    assert DBTaskResult.objects.count() == 0  # computed in the request: few draws
    assert scenario.status == "finished" and scenario.created_by == people["official_here"]
    assert scenario.updated_by is None  # nobody renamed it yet
    assert scenario.drivers == {"rebalancing_inflow": 0.004, "rebalancing_years": 10.0}
    levers = scenario.levers
    assert levers["grid_decarbonisation"] == 0.8
    expected = monte_carlo(
        _base(), draws=300, seed=7, levers=levers, drivers=scenario.drivers
    )  # fmt: skip
    assert scenario.result["probabilities"] == pytest.approx(expected.probabilities)
    fan_2060 = next(row for row in scenario.result["fan"] if row["year"] == 2060)
    assert fan_2060["p95"] == pytest.approx(float(expected.fan["p95"].iloc[-1]))
    path = run_pathway(_base(), levers=levers, drivers=scenario.drivers)
    assert scenario.result["scenario"]["peak_year"] == path.targets["scenario"]["peak_year"]
    # The drivers were used: rebalancing adds residents to BAU population.
    plain = run_pathway(_base(), levers=levers)
    assert scenario.result["yearly"][-1]["population"] > float(plain.yearly["population"].iloc[-1])

    # Reopening reads the stored figures: the engine is not run again.
    with (
        mock.patch.object(pathways, "monte_carlo") as engine,
        mock.patch.object(pathways, "run_pathway") as deterministic,
    ):
        page = client.get(reverse("carbon:scenario", args=[scenario.pk]))
    assert engine.call_count == 0 and deterministic.call_count == 0
    html = page.content.decode()
    assert page.status_code == 200 and "Grid first" in html
    assert html.count("<svg") == 1 and "<desc>" in html and 'id="scenario-figures"' in html


def test_many_draws_go_to_the_worker_with_progress(
    client: Any, stored: CarbonInventory, people: dict[str, Any], run_jobs: Any
) -> None:
    client.force_login(people["assessor_here"])
    data = _form(client, stored, name="Big", draws=5000, seed=2)
    with mock.patch.object(pathways, "monte_carlo", wraps=monte_carlo) as engine:
        client.post(reverse("carbon:scenario_add", args=[stored.pk]), data)
        assert engine.call_count == 0  # nothing computed in the request
    scenario = CarbonScenario.objects.get(name="Big")
    assert scenario.status == "queued" and scenario.result is None
    page = client.get(reverse("carbon:scenario", args=[scenario.pk])).content.decode()
    assert 'id="progress-box"' in page and "<svg" not in page
    status_url = reverse("carbon:scenario_status", args=[scenario.pk])
    assert client.get(status_url).json()["status"] == "queued"
    assert run_jobs() == 1
    assert client.get(status_url).json() == {
        "status": "finished", "progress": 100, "step": "done", "error": "",
    }  # fmt: skip
    scenario.refresh_from_db()
    assert scenario.result["draws"] == 5000 and scenario.computed_at is not None
    expected = monte_carlo(_base(), draws=5000, seed=2, levers=scenario.levers)
    assert scenario.result["probabilities"] == pytest.approx(expected.probabilities)


def test_a_scenario_deleted_before_its_job_leaves_the_job_harmless(
    stored: CarbonInventory, run_jobs: Any
) -> None:
    scenario = _save(stored, "Gone", draws=5000)
    scenario.delete()
    assert run_jobs() == 1
    assert not CarbonScenario.objects.exists()


def test_the_pathway_page_offers_saving_its_parameters(
    client: Any, stored: CarbonInventory, people: dict[str, Any]
) -> None:
    url = reverse("carbon:pathway", args=[stored.pk])
    assert 'id="save-scenario"' not in client.get(url).content.decode()  # anonymous
    client.force_login(people["official_here"])
    form = client.get(url).context["form"]
    data = {k: ("" if form[k].value() is None else form[k].value()) for k in form.fields}
    data["lever_modal_shift"] = 0.123
    html = client.get(url, data).content.decode()
    link = re.search(r'id="save-scenario" href="([^"]+)"', html)
    assert link is not None
    prefilled = client.get(link.group(1).replace("&amp;", "&")).context["form"]
    assert float(prefilled["lever_modal_shift"].value()) == pytest.approx(0.123)


@pytest.mark.parametrize(
    "who", ["anonymous", "resident", "official_here", "official_elsewhere", "assessor_here",
            "jury_here", "admin"],
)  # fmt: skip
def test_who_may_save_rename_recompute_delete(
    client: Any, stored: CarbonInventory, people: dict[str, Any], who: str
) -> None:
    scenario = _save(stored, "Plan", draws=100)
    if people[who] is not None:
        client.force_login(people[who])
    allowed = who in WRITERS
    add = reverse("carbon:scenario_add", args=[stored.pk])
    posted = client.post(add, _form(client, stored, name="Mine", draws=100) if allowed else {})
    assert posted.status_code == (302 if allowed else (302 if who == "anonymous" else 403))
    assert CarbonScenario.objects.filter(name="Mine").exists() == allowed
    edit = reverse("carbon:scenario_edit", args=[scenario.pk])
    answer = client.post(edit, {"name": "Renamed", "description": "d"})
    assert (answer.status_code == 302) == (allowed or who == "anonymous")
    scenario.refresh_from_db()
    assert (scenario.name == "Renamed") == allowed
    assert scenario.updated_by == (people[who] if allowed else None)
    client.post(reverse("carbon:scenario_recompute", args=[scenario.pk]))
    client.post(reverse("carbon:scenario_delete", args=[scenario.pk]))
    assert CarbonScenario.objects.filter(pk=scenario.pk).exists() != allowed
    # Reading is public, as the pathway page is.
    if not allowed:
        assert client.get(reverse("carbon:scenario", args=[scenario.pk])).status_code == 200
        html = client.get(reverse("carbon:scenario", args=[scenario.pk])).content.decode()
        assert 'id="scenario-delete"' not in html and 'id="scenario-edit"' not in html


def test_delete_asks_for_confirmation_and_names_are_unique_per_city(
    client: Any, stored: CarbonInventory, people: dict[str, Any]
) -> None:
    first = _save(stored, "A", draws=100)
    second = _save(stored, "B", draws=100)
    client.force_login(people["official_here"])
    confirm = client.get(reverse("carbon:scenario_delete", args=[first.pk]))
    assert confirm.status_code == 200 and 'id="scenario-delete-confirm"' in confirm.content.decode()
    assert CarbonScenario.objects.filter(pk=first.pk).exists()
    taken = client.post(reverse("carbon:scenario_edit", args=[second.pk]), {"name": "A"})
    assert taken.status_code == 422 and "name" in taken.context["form"].errors
    again = client.post(
        reverse("carbon:scenario_add", args=[stored.pk]), _form(client, stored, name="A")
    )
    assert again.status_code == 422 and CarbonScenario.objects.count() == 2
    assert "name" in again.context["form"].errors
    gone = client.post(reverse("carbon:scenario_delete", args=[first.pk]))
    assert gone.status_code == 302 and not CarbonScenario.objects.filter(pk=first.pk).exists()


def test_a_replaced_inventory_makes_the_result_stale_until_recomputed(
    client: Any, stored: CarbonInventory, people: dict[str, Any]
) -> None:
    scenario = _save(stored, "Plan", draws=100)
    CarbonInventory.objects.filter(pk=stored.pk).update(gwp_set="ar5")
    stored.refresh_from_db()
    # Same bytes, recomputed with AR5: the content hash stays, the GWP set changed.
    CarbonInventory.objects.filter(pk=stored.pk).update(sha256="f" * 64)
    url = reverse("carbon:scenario", args=[scenario.pk])
    assert 'id="scenario-stale"' in client.get(url).content.decode()
    CarbonInventory.objects.filter(pk=stored.pk).update(sha256=stored.sha256, gwp_set="ar6")
    client.force_login(people["official_here"])
    client.post(reverse("carbon:scenario_recompute", args=[scenario.pk]))
    scenario.refresh_from_db()
    assert not scenario.stale and scenario.status == "finished"
    assert 'id="scenario-stale"' not in client.get(url).content.decode()


def test_compare_draws_each_scenario_with_its_band_and_targets_and_exports_them(
    client: Any, stored: CarbonInventory
) -> None:
    bau = _save(stored, '=HYPERLINK("http://x")', levers={k: 0.0 for k in _lever_names()})
    plan = _save(stored, "Plan", levers={"grid_decarbonisation": 0.9}, description="@cmd")
    query = f"?s={plan.pk}&s={bau.pk}"
    page = client.get(reverse("carbon:scenario_compare", args=[stored.city.slug]) + query)
    html = page.content.decode()
    assert page.status_code == 200
    chart = re.search(r"<svg.*?</svg>", html, re.S)
    assert chart is not None
    svg = chart.group(0)
    assert svg.count('class="band"') == 2 and svg.count('class="band-line"') == 2
    assert 'data-year="2030"' in svg and 'data-year="2060"' in svg
    assert "<title>" in svg and "<desc>" in svg
    # The drawn line holds the stored figures, in the order chosen.
    first_line = re.search(r'class="band-line"[^>]*data-values="([^"]+)"', svg)
    assert first_line is not None
    values = [float(v) for v in first_line.group(1).split()]
    assert values == pytest.approx([r["scenario_co2e_t"] for r in plan.result["yearly"]], rel=1e-5)
    assert 'id="scenario-figures"' in html and 'id="scenario-years"' in html
    # A lever-free scenario has the BAU peak year.
    assert bau.result["scenario"]["peak_year"] == bau.result["bau"]["peak_year"]

    xlsx = client.get(reverse("carbon:scenario_export", args=[stored.city.slug, "xlsx"]) + query)
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["scenarios", "yearly"]
    rows = list(book["scenarios"].iter_rows(values_only=True))
    header = rows[0]
    names = [r[header.index("scenario")] for r in rows[1:]]
    assert names == ["Plan", '\'=HYPERLINK("http://x")']  # defused
    assert rows[1][header.index("description")] == "'@cmd"
    assert rows[1][header.index("residual_2060_t")] == pytest.approx(
        plan.result["scenario"]["residual_2060_t"]
    )
    yearly = list(book["yearly"].iter_rows(values_only=True))
    assert len(yearly) == 1 + 2 * len(plan.result["yearly"])
    assert set(yearly[0]) >= {"scenario", "year", "scenario_co2e_t", "p5", "p95", "illustrative"}

    base = reverse("carbon:scenario_export", args=[stored.city.slug, "csv"]) + query
    table = list(csv.DictReader(io.StringIO(client.get(base + "&table=yearly").content.decode())))
    assert {r["scenario"] for r in table} == {"Plan", '\'=HYPERLINK("http://x")'}
    summary = list(csv.DictReader(io.StringIO(client.get(base).content.decode())))
    assert next(r["scenario"] for r in summary) == "Plan"
    assert (
        client.get(reverse("carbon:scenario_export", args=[stored.city.slug, "pdf"])).status_code
        == 404
    )


def test_compare_keeps_to_the_city_and_lists_its_scenarios(
    client: Any, stored: CarbonInventory, other_city: Any
) -> None:
    mine = _save(stored, "Mine", draws=100)
    listing = client.get(reverse("carbon:scenarios", args=[stored.city.slug])).content.decode()
    assert "Mine" in listing and 'id="scenario-compare"' in listing
    elsewhere = client.get(
        reverse("carbon:scenario_compare", args=[other_city.slug]) + f"?s={mine.pk}"
    )
    assert 'id="no-scenario"' in elsewhere.content.decode()


@pytest.mark.parametrize("lang", ["fr", "zh-hans", "en"])
def test_scenario_pages_in_three_languages(client: Any, stored: CarbonInventory, lang: str) -> None:
    scenario = _save(stored, "Plan", draws=100)
    words = {"fr": "Comparer", "zh-hans": "比较", "en": "Compare"}[lang]
    for url in (
        reverse("carbon:scenarios", args=[stored.city.slug]),
        reverse("carbon:scenario_compare", args=[stored.city.slug]),
        reverse("carbon:scenario", args=[scenario.pk]),
    ):
        assert client.get(url, HTTP_ACCEPT_LANGUAGE=lang).status_code == 200
    listing = client.get(
        reverse("carbon:scenarios", args=[stored.city.slug]), HTTP_ACCEPT_LANGUAGE=lang
    ).content.decode()
    assert words in listing


def _lever_names() -> list[str]:
    from ecocite.carbon.pathways import lever_table

    return [str(name) for name in lever_table().index]


def test_replacing_the_inventory_with_another_gwp_set_makes_the_result_stale(
    client: Any, stored: CarbonInventory, people: dict[str, Any]
) -> None:
    scenario = _save(stored, "Plan", draws=100)
    assert not scenario.stale
    client.force_login(people["official_here"])
    client.post(reverse("carbon:replace", args=[stored.pk]), {"gwp_set": "ar5"})
    stored.refresh_from_db()
    assert stored.gwp_set == "ar5"
    scenario = CarbonScenario.objects.get(pk=scenario.pk)
    assert scenario.stale
    client.post(reverse("carbon:scenario_recompute", args=[scenario.pk]))
    scenario = CarbonScenario.objects.get(pk=scenario.pk)
    assert not scenario.stale and scenario.status == "finished"
    expected = monte_carlo(
        pathway_base(
            compute_inventory(read_activity(demo_activity_path("jingzhou")), gwp_set="ar5"),
            demo_contexts()["jingzhou"],
        ),
        draws=100,
        seed=3,
        levers=scenario.levers,
    )
    assert scenario.result["probabilities"] == pytest.approx(expected.probabilities)


def test_an_empty_comparison_still_exports(client: Any, stored: CarbonInventory) -> None:
    url = reverse("carbon:scenario_export", args=[stored.city.slug, "xlsx"])
    book = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
    assert book.sheetnames == ["scenarios", "yearly"]
    csv_url = reverse("carbon:scenario_export", args=[stored.city.slug, "csv"])
    assert client.get(csv_url).status_code == 200
