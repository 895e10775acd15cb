"""Carbon pages: activity upload (all or nothing), inventory, indicator import, pathways.

Inputs are the engine's illustrative demo activity files; every figure checked on a page is
compared with what ``ecocite.carbon`` computes from the same file.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecocite.carbon import (
    compute_inventory,
    demo_activity_path,
    demo_contexts,
    pathway_base,
    read_activity,
    run_pathway,
)
from ecocite.carbon.pathways import plan_levers
from ecocite.web.accounts.models import RoleKind
from ecocite.web.carbon.models import CarbonInventory
from ecocite.web.carbon.services import import_activity
from ecocite.web.datasets.models import Dataset, IndicatorValue
from ecocite.web.datasets.services import current_values

WHO = [
    "anonymous",
    "resident",
    "official_here",
    "official_elsewhere",
    "assessor_here",
    "jury_here",
    "admin",
]
WRITERS = {"official_here", "assessor_here", "admin"}
LANGUAGES = ("fr", "zh-hans", "en")


def _demo(city: str) -> tuple[str, bytes]:
    path = Path(demo_activity_path(city))
    return path.name, path.read_bytes()


@pytest.fixture
def people(make_user: Any, city: Any, other_city: Any) -> dict[str, Any]:
    return {
        "anonymous": None,
        "resident": make_user("resident", (RoleKind.RESIDENT, None)),
        "official_here": make_user("official_here", (RoleKind.CITY_OFFICIAL, city)),
        "official_elsewhere": make_user("official_elsewhere", (RoleKind.CITY_OFFICIAL, other_city)),
        "assessor_here": make_user("assessor_here", (RoleKind.ASSESSOR, city, "fr")),
        "jury_here": make_user("jury_here", (RoleKind.JURY, city)),
        "admin": make_user("administrator", (RoleKind.ADMINISTRATOR, None)),
    }


@pytest.fixture
def stored(city: Any) -> CarbonInventory:
    name, content = _demo("jingzhou")
    return import_activity(name, content, city=city, gwp_set="ar6", user=None)


@pytest.fixture
def immediate_jobs(settings: Any) -> None:
    """Pathway jobs run at once, as with ECOCITE_TASKS=immediate (the worker is tested apart)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _upload(client: Any, city: Any, name: str, content: bytes, gwp_set: str = "ar6") -> Any:
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(reverse("carbon:city", args=[city.slug]), {"gwp_set": gwp_set, "file": file})


def _context_form(framework_key: str | None = None) -> dict[str, Any]:
    demo = demo_contexts()["jingzhou"]
    data = {
        "population": demo.population,
        "gdp_wan_cny": demo.gdp_wan_cny,
        "co2_2005_t": demo.co2_2005_t,
        "gdp_2005_wan_cny": demo.gdp_2005_wan_cny,
    }
    if framework_key:
        data["framework"] = framework_key
    return data


@pytest.mark.parametrize("who", WHO)
def test_activity_upload_permission(
    client: Any, people: dict[str, Any], who: str, city: Any
) -> None:
    if people[who] is not None:
        client.force_login(people[who])
    response = _upload(client, city, *_demo("jingzhou"))
    if who in WRITERS:
        assert response.status_code == 302
        assert CarbonInventory.objects.filter(city=city).count() == 1
        return
    assert CarbonInventory.objects.count() == 0
    if who == "anonymous":
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("who", WHO)
def test_indicator_import_permission(
    client: Any, people: dict[str, Any], who: str, stored: CarbonInventory, framework_key: str
) -> None:
    if people[who] is not None:
        client.force_login(people[who])
    url = reverse("carbon:dataset", args=[stored.pk])
    response = client.post(url, _context_form(framework_key))
    if who in WRITERS:
        assert response.status_code == 302
        assert Dataset.objects.filter(city=stored.city).count() == 1
        return
    assert Dataset.objects.count() == 0
    if who == "anonymous":
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == 403


def test_upload_form_only_offered_to_writers(
    client: Any, people: dict[str, Any], city: Any
) -> None:
    url = reverse("carbon:city", args=[city.slug])
    assert 'id="carbon-submit"' not in client.get(url).content.decode()
    client.force_login(people["official_elsewhere"])
    assert 'id="carbon-submit"' not in client.get(url).content.decode()
    client.force_login(people["assessor_here"])
    assert 'id="carbon-submit"' in client.get(url).content.decode()


def test_good_upload_shows_the_engine_inventory(
    client: Any, people: dict[str, Any], city: Any
) -> None:
    client.force_login(people["official_here"])
    name, content = _demo("jingzhou")
    response = _upload(client, city, name, content, gwp_set="ar6")
    assert response.status_code == 302
    record = CarbonInventory.objects.get()
    expected = compute_inventory(read_activity(demo_activity_path("jingzhou")), gwp_set="ar6")
    basic = float(expected.totals("basic")["co2e_t"].sum())
    basic_plus = float(expected.totals("basic+")["co2e_t"].sum())
    assert record.basic_co2e_t == pytest.approx(basic, rel=1e-12)
    assert record.basic_plus_co2e_t == pytest.approx(basic_plus, rel=1e-12)
    assert basic_plus >= basic > 1e6  # the Jingzhou demo is of the order of 18.9 Mt
    assert record.illustrative and record.year == 2020 and record.gwp_set == "ar6"
    assert record.uploaded_by.username == "official_here"
    assert record.file.read() == content

    client.post(reverse("core:language"), {"language": "en", "next": "/"})
    html = client.get(response["Location"]).content.decode()
    assert "IPCC AR6 GWP100" in html and "illustrative" in html
    assert f"{round(basic):,}" in html and f"{round(basic_plus):,}" in html
    # Notation keys of the demo file: IE (I.6.1), NO (I.7.1) and NE for lines with no data.
    summary = html[html.index('id="carbon-summary"') :]
    for key in (">IE<", ">NO<", ">NE<"):
        assert key in summary
    assert "no coal mining in the boundary" in summary


def test_bad_upload_lists_row_errors_and_saves_nothing(
    client: Any, people: dict[str, Any], city: Any
) -> None:
    client.force_login(people["assessor_here"])
    name, content = _demo("jingzhou")
    lines = content.decode("utf-8").splitlines()
    # Line 4 (first data row after two comments and the header): unknown fuel; line 5: negative.
    lines[3] = lines[3].replace("other_bituminous_coal", "moon_rock")
    lines[4] = lines[4].replace(",526000,", ",-526000,")
    response = _upload(client, city, name, "\n".join(lines).encode("utf-8"))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="carbon-errors"' in html and "moon_rock" in html
    problems = {(p.file, p.row, p.field) for p in response.context["problems"]}
    assert (name, 4, "fuel") in problems and (name, 5, "amount") in problems
    assert CarbonInventory.objects.count() == 0


def test_another_citys_file_and_wrong_types_are_refused(
    client: Any, people: dict[str, Any], city: Any
) -> None:
    client.force_login(people["admin"])
    name, content = _demo("foshan")
    response = _upload(client, city, name, content)
    assert response.status_code == 422
    lines = content.decode("utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if not line.startswith("#")) + 1
    problems = response.context["problems"]
    # One problem per data row, numbered as in the file (the header is line `header`).
    assert [p.row for p in problems] == list(range(header + 1, len(lines) + 1))
    assert {p.field for p in problems} == {"city"} and "foshan" in problems[0].message
    response = _upload(client, city, "activity.json", b'{"city": "jingzhou"}')
    assert response.status_code == 422 and "type de fichier" in response.content.decode()
    response = _upload(client, city, "activity.xlsx", b"city,year\n")
    assert response.status_code == 422 and "classeur XLSX" in response.content.decode()
    assert CarbonInventory.objects.count() == 0


def test_xlsx_activity_file_is_accepted(client: Any, people: dict[str, Any], city: Any) -> None:
    client.force_login(people["official_here"])
    frame = read_activity(demo_activity_path("jingzhou")).frame
    columns = [c for c in frame.columns if c not in ("source_row", "source_file")]
    buffer = io.BytesIO()
    frame[columns].to_excel(buffer, index=False)
    name = "jingzhou_activity_2020_illustrative.xlsx"
    response = _upload(client, city, name, buffer.getvalue(), gwp_set="ar5")
    assert response.status_code == 302
    record = CarbonInventory.objects.get()
    expected = compute_inventory(read_activity(demo_activity_path("jingzhou")), gwp_set="ar5")
    assert record.basic_co2e_t == pytest.approx(float(expected.totals("basic")["co2e_t"].sum()))
    assert record.illustrative  # read from the file name, as the engine does


def test_ecrf_workbook_download(client: Any, stored: CarbonInventory) -> None:
    response = client.get(reverse("carbon:download", args=[stored.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["metadata", "summary", "totals", "activity"]
    meta = {row[1]: row[2] for row in book["metadata"].iter_rows(min_row=2, values_only=True)}
    assert meta["GWP source"] == "IPCC AR6 GWP100"
    assert meta["Population"] == str(demo_contexts()["jingzhou"].population)
    assert meta["Illustrative"] != "no"


def test_inventory_becomes_an_accepted_dataset_with_provenance(
    client: Any, people: dict[str, Any], stored: CarbonInventory, framework_key: str
) -> None:
    client.force_login(people["official_here"])
    response = client.post(
        reverse("carbon:dataset", args=[stored.pk]), _context_form(framework_key)
    )
    assert response.status_code == 302
    dataset = Dataset.objects.get()
    stored.refresh_from_db()
    assert stored.dataset == dataset and dataset.illustrative
    assert "illustrative" in dataset.original_name and dataset.uploaded_by is not None
    values = {v.indicator: v for v in IndicatorValue.objects.filter(dataset=dataset)}
    assert {"co2_per_capita", "ghg_per_capita", "co2_intensity_reduction_2005"} <= set(values)
    inventory = compute_inventory(read_activity(demo_activity_path("jingzhou")), gwp_set="ar6")
    ghg = float(inventory.totals("basic")["co2e_t"].sum())
    population = demo_contexts()["jingzhou"].population
    assert values["ghg_per_capita"].value == pytest.approx(ghg / population, rel=1e-9)
    provenance = json.loads(values["ghg_per_capita"].provenance)
    assert provenance["parameters"]["gwp"] == "ar6" and provenance["context"]["illustrative"]
    assert provenance["inputs"][0]["sha256"] == stored.sha256
    page = client.get(reverse("carbon:inventory", args=[stored.pk])).content.decode()
    assert reverse("datasets:detail", args=[dataset.pk]) in page
    # What an assessment of the city reads: the carbon values, with their source and provenance.
    current = current_values(stored.city, year=2020).set_index("indicator")
    assert "GPC inventory" in current.loc["ghg_per_capita", "source"]
    assert stored.sha256 in current.loc["ghg_per_capita", "provenance"]


def test_dataset_form_errors_save_nothing(
    client: Any, people: dict[str, Any], stored: CarbonInventory, framework_key: str
) -> None:
    client.force_login(people["admin"])
    data = {**_context_form(framework_key), "population": "-5"}
    response = client.post(reverse("carbon:dataset", args=[stored.pk]), data)
    assert response.status_code == 422
    assert not Dataset.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_pathway_page_with_targets(
    client: Any, stored: CarbonInventory, language: str, db: Any, immediate_jobs: None
) -> None:
    client.post(reverse("core:language"), {"language": language, "next": "/"})
    response = client.get(reverse("carbon:pathway", args=[stored.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    context = demo_contexts()["jingzhou"]
    base = pathway_base(
        compute_inventory(read_activity(demo_activity_path("jingzhou")), gwp_set="ar6"), context
    )
    expected = run_pathway(base, levers=plan_levers())
    result = response.context["result"]
    assert result["scenario"]["peak_year"] == expected.targets["scenario"]["peak_year"]
    assert result["scenario"]["residual_2060_t"] == pytest.approx(
        expected.targets["scenario"]["residual_2060_t"], rel=1e-9
    )
    assert [y["year"] for y in result["yearly"]] == list(range(2020, 2061))
    targets = html[html.index('id="carbon-targets"') :]
    assert str(int(expected.targets["scenario"]["peak_year"])) in targets
    assert not re.search(r"2[\s,.\u202f]030", targets)  # a year is never grouped ("2 030")
    assert html.count("<svg") == 2
    # the charts speak the page's language too: their "illustrative" note and a lever name
    chart_words = {
        "fr": ("ILLUSTRATIFS", "Report modal"),
        "zh-hans": ("示意性", "由小汽车转向步行"),
        "en": ("ILLUSTRATIVE", "Modal shift"),
    }
    charts = html[html.index("<svg") :]
    assert all(word in charts for word in chart_words[language]), language
    labels = {"fr": "illustratif", "zh-hans": "示意", "en": "illustrative"}
    assert labels[language] in html
    yearly = html[html.index('id="carbon-yearly"') :]
    assert "<td>2020</td>" in yearly and "<td>2060</td>" in yearly


def test_pathway_levers_change_the_result(
    client: Any, stored: CarbonInventory, immediate_jobs: None
) -> None:
    url = reverse("carbon:pathway", args=[stored.pk])
    plan = client.get(url).context["result"]
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update({k: 0 for k in data if k.startswith("lever_")})
    bau = client.get(url, data).context["result"]
    # With every lever at 0 the scenario is business as usual (the engine's contract).
    assert bau["scenario"]["residual_2060_t"] == pytest.approx(bau["bau"]["residual_2060_t"])
    assert plan["scenario"]["residual_2060_t"] < bau["scenario"]["residual_2060_t"]
    data["lever_grid_decarbonisation"] = 7  # outside the lever's range [0, 1]
    assert client.get(url, data).status_code == 422


def test_carbon_pages_are_reachable_from_menu_and_city_page(
    client: Any, stored: CarbonInventory
) -> None:
    client.post(reverse("core:language"), {"language": "en", "next": "/"})
    home = client.get("/").content.decode()
    assert f'href="{reverse("carbon:index")}"' in home
    city_page = client.get(reverse("cities:detail", args=[stored.city.slug])).content.decode()
    assert reverse("carbon:city", args=[stored.city.slug]) in city_page
    index = client.get(reverse("carbon:index")).content.decode()
    assert reverse("carbon:inventory", args=[stored.pk]) in index
    assert f"{round(stored.basic_co2e_t):,}" in index


def test_pathway_with_the_citys_own_context(
    client: Any, stored: CarbonInventory, immediate_jobs: None
) -> None:
    url = reverse("carbon:pathway", args=[stored.pk])
    form = client.get(url).context["form"]
    data = {k: ("" if form[k].value() is None else form[k].value()) for k in form.fields}
    data.update({"co2_2005_t": "", "gdp_2005_wan_cny": ""})  # no 2005 baseline
    response = client.get(url, data)
    assert response.status_code == 200
    result = response.context["result"]
    assert result["context"].source == "entered on the carbon page"
    assert result["context"].illustrative  # the activity data still are
    assert result["scenario"].get("intensity_reduction_2030") is None
    assert "nécessite le CO2 et le PIB de 2005" in response.content.decode()  # French default
