"""The demo start fills /carbon/ with the six cities' activity files; the same file uploaded twice
makes no second inventory but says so and offers to replace the first (issue 14 item 9)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecocite.carbon import DEMO_CITIES, compute_inventory, demo_activity_path, read_activity
from ecocite.web.accounts.models import RoleKind
from ecocite.web.carbon.models import CarbonInventory
from ecocite.web.carbon.services import import_activity

WHO = ["anonymous", "resident", "official_here", "official_elsewhere", "assessor_here", "admin"]
WRITERS = {"official_here", "assessor_here", "admin"}


def _demo(city: str) -> tuple[str, bytes]:
    path = Path(demo_activity_path(city))
    return path.name, path.read_bytes()


def _upload(client: Any, city: Any, gwp_set: str = "ar6") -> Any:
    name, content = _demo("jingzhou")
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(reverse("carbon:city", args=[city.slug]), {"gwp_set": gwp_set, "file": file})


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


def test_demo_start_loads_the_six_activity_files_once(client: Any, db: Any) -> None:
    from ecocite.web.demo import load_demo

    out = io.StringIO()
    load_demo(assess=False, log=lambda line: print(line, file=out))
    records = CarbonInventory.objects.select_related("city")
    assert sorted(r.city.slug for r in records) == sorted(DEMO_CITIES)
    jingzhou = records.get(city__slug="jingzhou")
    expected = compute_inventory(read_activity(demo_activity_path("jingzhou")), gwp_set="ar5")
    assert jingzhou.basic_co2e_t == pytest.approx(expected.totals("basic")["co2e_t"].sum())
    assert jingzhou.illustrative and jingzhou.year == 2020
    assert "carbon inventory 2020" in out.getvalue()

    load_demo(assess=False, log=lambda line: None)  # a second start adds nothing
    assert CarbonInventory.objects.count() == len(DEMO_CITIES)

    page = client.get(reverse("carbon:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No carbon inventory yet" not in page
    assert jingzhou.original_name in page


def test_same_file_twice_says_so_and_offers_to_replace(
    client: Any, people: dict[str, Any], city: Any
) -> None:
    client.force_login(people["official_here"])
    assert _upload(client, city).status_code == 302
    first = CarbonInventory.objects.get(city=city)
    assert first.gwp_set == "ar6"

    again = _upload(client, city, gwp_set="ar5")
    assert again.status_code == 409
    page = again.content.decode()
    assert 'id="carbon-duplicate"' in page and 'role="alert"' in page
    assert reverse("carbon:inventory", args=[first.pk]) in page
    assert reverse("carbon:replace", args=[first.pk]) in page
    assert 'name="gwp_set" value="ar5"' in page
    assert CarbonInventory.objects.filter(city=city).count() == 1  # nothing silently doubled

    done = client.post(reverse("carbon:replace", args=[first.pk]), {"gwp_set": "ar5"})
    assert done.status_code == 302 and done["Location"] == reverse(
        "carbon:inventory", args=[first.pk]
    )
    (replaced,) = CarbonInventory.objects.filter(city=city)
    assert replaced.pk == first.pk and replaced.gwp_set == "ar5"
    expected = compute_inventory(read_activity(demo_activity_path("jingzhou")), gwp_set="ar5")
    assert replaced.basic_co2e_t == pytest.approx(expected.totals("basic")["co2e_t"].sum())
    assert replaced.basic_co2e_t != pytest.approx(first.basic_co2e_t)  # AR5 ≠ AR6 methane
    assert replaced.uploaded_at >= first.uploaded_at


@pytest.mark.parametrize("who", WHO)
def test_replace_permission(client: Any, people: dict[str, Any], who: str, city: Any) -> None:
    name, content = _demo("jingzhou")
    record = import_activity(name, content, city=city, gwp_set="ar6", user=None)
    if people[who] is not None:
        client.force_login(people[who])
    response = client.post(reverse("carbon:replace", args=[record.pk]), {"gwp_set": "ar5"})
    record.refresh_from_db()
    if who in WRITERS:
        assert response.status_code == 302 and record.gwp_set == "ar5"
        return
    assert record.gwp_set == "ar6"
    if who == "anonymous":
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == 403
