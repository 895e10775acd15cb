"""Manual entry: a few values checked by the importer's own validation, all or nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ecocite.web.accounts.models import RoleKind
from ecocite.web.datasets.forms import ENTRY_ROWS
from ecocite.web.datasets.models import Dataset, DatasetEvent, IndicatorValue


@pytest.fixture
def official_client(client: Any, make_user: Any, city: Any) -> Any:
    client.force_login(make_user("official", (RoleKind.CITY_OFFICIAL, city)))
    return client


def _data(framework_key: str, lines: dict[int, dict[str, str]]) -> dict[str, str]:
    data = {
        "framework": framework_key,
        "row-TOTAL_FORMS": str(ENTRY_ROWS),
        "row-INITIAL_FORMS": "0",
        "row-MIN_NUM_FORMS": "0",
        "row-MAX_NUM_FORMS": str(ENTRY_ROWS),
    }
    for line, fields in lines.items():
        for name, value in fields.items():
            data[f"row-{line - 1}-{name}"] = value
    return data


GOOD = {"indicator": "co2_per_capita", "year": "2024", "value": "3600", "unit": "kg/person",
        "source": "city statistics 2024", "quality": "high", "verified": "yes"}  # fmt: skip


def test_entered_values_are_kept_converted_with_their_history(
    official_client: Any, city: Any, framework_key: str
) -> None:
    page = official_client.get(reverse("datasets:enter", args=[city.slug]))
    assert page.status_code == 200 and 'id="entry-form"' in page.content.decode()
    second = {**GOOD, "indicator": "built_up_green_coverage", "value": "40", "unit": ""}
    response = official_client.post(
        reverse("datasets:enter", args=[city.slug]),
        _data(framework_key, {1: GOOD, 3: second}),
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    dataset = Dataset.objects.get()
    values = {v.indicator: v for v in IndicatorValue.objects.filter(dataset=dataset)}
    assert values["co2_per_capita"].value == pytest.approx(3.6)
    assert values["co2_per_capita"].unit == "t/person"
    assert values["built_up_green_coverage"].original_unit == "%"  # empty unit: the indicator's
    event = DatasetEvent.objects.get(dataset=dataset)
    assert event.action == "entered" and event.user.username == "official"


def test_entry_errors_are_the_importer_s_with_the_form_line(
    official_client: Any, city: Any, framework_key: str
) -> None:
    bad = {**GOOD, "year": "1850", "unit": "9**9**9", "source": ""}
    response = official_client.post(
        reverse("datasets:enter", args=[city.slug]),
        _data(framework_key, {1: GOOD, 4: bad}),
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 422
    found = {(e.row, e.field, e.message_id) for e in response.context["errors"]}
    assert found == {(4, "year", "year.invalid"), (4, "unit", "unit.syntax"),
                     (4, "source", "source.empty")}  # fmt: skip
    assert "entre 1900 et 2100" in response.content.decode()
    assert not Dataset.objects.exists() and not IndicatorValue.objects.exists()


def test_an_empty_form_saves_nothing(official_client: Any, city: Any, framework_key: str) -> None:
    response = official_client.post(
        reverse("datasets:enter", args=[city.slug]), _data(framework_key, {})
    )
    assert response.status_code == 422 and not Dataset.objects.exists()


def test_entry_needs_the_upload_right(
    client: Any, make_user: Any, city: Any, other_city: Any, framework_key: str
) -> None:
    client.force_login(make_user("elsewhere", (RoleKind.CITY_OFFICIAL, other_city)))
    url = reverse("datasets:enter", args=[city.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, _data(framework_key, {1: GOOD})).status_code == 403
    assert not Dataset.objects.exists()
