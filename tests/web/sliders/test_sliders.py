"""Scenario sliders on the web: explore, evaluate as JSON, submit, organisers' distribution."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ecocite.scenario.site import bundled_site
from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import services as consultations
from ecocite.web.consultations.models import Process
from ecocite.web.core.models import Phase
from ecocite.web.sliders import services
from ecocite.web.sliders.models import SliderSite, Vision

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)
ALL = ["density", "green_share", "far", "heritage_kept", "walk_share", "cycle_share",
       "transit_share", "energy_standard", "renewable_share"]  # fmt: skip


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: Any) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def official(make_user: Any, city: Any) -> Any:
    return make_user("olga", (RoleKind.CITY_OFFICIAL, city))


@pytest.fixture
def process(make_user: Any, city: Any) -> Process:
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    # ideas (proposing) runs from day 30 to 75: NOW is day 40
    return consultations.create_process(
        admin, city, consultations.standard_phases(NOW - timedelta(days=40)),
        slug="vegueta", scale="operation", title_fr="Vegueta", decision_fr="Plan",
    )  # fmt: skip


@pytest.fixture
def site(official: Any, process: Process) -> SliderSite:
    return services.create_site(
        official, process, definition=bundled_site("vegueta").read_text(encoding="utf-8"),
        sliders=ALL, facilities=["kindergarten", "market"], title_fr="Vegueta : quelle vision ?",
    )  # fmt: skip


def test_the_page_starts_at_today_and_follows_the_sliders(site: SliderSite) -> None:
    page = Client().get(reverse("sliders:site", args=[site.pk])).content.decode()
    assert (
        'type="range"' in page and "No indicator is worse than today." in page
    ) or "Aucun" in page
    moved = Client().get(
        reverse("sliders:site", args=[site.pk]), {"density": "100", "facility": "kindergarten"}
    )
    text = moved.content.decode()
    result = services.evaluate_vision(site, {"density": 100.0}, ["kindergarten"])
    assert result.value("population") == pytest.approx(100 * 52.23)
    assert "5223 hab." in text  # residents, formatted in French
    # Out of range: the page says so and shows today's values.
    wrong = (
        Client().get(reverse("sliders:site", args=[site.pk]), {"density": "9999"}).content.decode()
    )
    assert 'role="alert"' in wrong


def test_evaluate_json(site: SliderSite) -> None:
    url = reverse("sliders:evaluate", args=[site.pk])
    data = Client().get(url, {"green_share": "30"}, HTTP_ACCEPT_LANGUAGE="en").json()
    green = next(i for i in data["indicators"] if i["id"] == "green_space_per_capita")
    assert green["points"] and data["illustrative"] is True
    assert Client().get(url, {"far": "50"}).status_code == 400


def test_submit_once_per_person_and_the_organisers_view(
    site: SliderSite, make_user: Any, official: Any
) -> None:
    url = reverse("sliders:submit", args=[site.pk])
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    sam = make_user("sam", (RoleKind.RESIDENT, None))
    assert Client().post(url, {"title": "x", "density": "100"}).status_code == 302  # to sign in
    assert Vision.objects.count() == 0
    _client(rosa).post(url, {"title": "Plus vert", "green_share": "20", "college": "residents"})
    _client(rosa).post(
        url, {"title": "Plus vert encore", "green_share": "25", "college": "residents"}
    )
    _client(sam).post(url, {"title": "Dense", "density": "300", "college": "professionals"})
    assert Vision.objects.count() == 2
    mine = Vision.objects.get(author=rosa)
    assert mine.title == "Plus vert encore" and mine.settings["green_share"] == 25
    assert set(mine.settings) == set(ALL)
    # Out of range is refused and nothing changes.
    _client(sam).post(url, {"title": "Trop", "density": "5000"})
    assert Vision.objects.get(author=sam).settings["density"] == 300
    visions = reverse("sliders:visions", args=[site.pk])
    assert _client(rosa).get(visions).status_code == 403
    page = _client(official).get(visions).content.decode()
    assert "Plus vert encore" in page and "Dense" in page
    summary, closest = services.distribution(site)
    everyone = summary[(summary["group"] == "") & (summary["slider"] == "green_share")].iloc[0]
    assert everyone["count"] == 2 and everyone["median"] == pytest.approx(
        (25 + site.site.defaults()["green_share"]) / 2
    )
    assert closest is not None


def test_anonymous_visions_where_the_phase_allows(site: SliderSite, process: Process) -> None:
    Phase.objects.filter(process_id=process.pk).update(anonymous_allowed=True)
    client = Client()
    client.get(reverse("sliders:site", args=[site.pk]))
    response = client.post(
        reverse("sliders:submit", args=[site.pk]), {"title": "Sans compte", "far": "1.5"}
    )
    assert response.status_code == 302
    vision = Vision.objects.get()
    assert vision.author is None and vision.session_key


def test_offering_a_site_checks_its_file(official: Any, process: Process, make_user: Any) -> None:
    url = reverse("sliders:new", args=[process.slug])
    good = bundled_site("vegueta").read_bytes()
    form = {"title_fr": "Îlot", "sliders": ["density", "green_share"], "facilities": "kindergarten"}
    assert (
        _client(make_user("rita"))
        .post(url, {**form, "definition": SimpleUploadedFile("s.yaml", good)})
        .status_code
        == 403
    )
    bad = good.replace(b"area_ha: {value: 52.23", b"area_ha: {value: -5")
    response = _client(official).post(
        url, {**form, "definition": SimpleUploadedFile("s.yaml", bad)}
    )
    assert response.status_code == 200 and "area_ha" in response.content.decode()
    assert SliderSite.objects.count() == 0
    response = _client(official).post(
        url, {**form, "facilities": "stadium", "definition": SimpleUploadedFile("s.yaml", good)}
    )
    assert response.status_code == 200 and SliderSite.objects.count() == 0
    response = _client(official).post(
        url, {**form, "definition": SimpleUploadedFile("s.yaml", good)}
    )
    assert response.status_code == 302 and SliderSite.objects.get().sliders == [
        "density",
        "green_share",
    ]


def test_the_api_evaluates_and_takes_visions_as_the_pages_do(
    site: SliderSite, make_user: Any, official: Any
) -> None:
    listed = Client().get("/api/v1/slider-sites/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows[0]["slider_ranges"][0]["id"] == "density"
    url = f"/api/v1/slider-sites/{site.pk}/evaluate/"
    body = Client().get(url, {"density": "120"}).json()
    assert any(i["id"] == "population" for i in body["indicators"])
    assert Client().get(url, {"density": "9999"}).status_code == 400
    payload = {"site": site.pk, "title": "API", "settings": {"green_share": 22}}
    assert Client().post(
        "/api/v1/visions/", payload, content_type="application/json"
    ).status_code in (401, 403)
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    made = _client(rosa).post("/api/v1/visions/", payload, content_type="application/json")
    assert made.status_code == 201, made.content
    assert _client(make_user("sam")).get("/api/v1/visions/").json()["count"] == 0
    assert _client(official).get("/api/v1/visions/").json()["count"] == 1
