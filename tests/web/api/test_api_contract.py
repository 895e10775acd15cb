"""The API says what it does: schema matches responses, permission before validation, checked
country codes and names, JSON errors, the shared sign-in throttle on the token endpoint."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from django.urls import reverse
from rest_framework.test import APIClient

from ecocite.web.accounts.models import RoleKind
from ecocite.web.assessments.models import AssessmentRun

NEW_CITY = {"slug": "newtown", "name_fr": "Newtown", "name_zh": "新城", "name_en": "Newtown",
            "country": "CN"}  # fmt: skip


def _as(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def schema(db: Any) -> dict[str, Any]:
    return dict(yaml.safe_load(APIClient().get("/api/v1/schema/").content))


def test_schema_documents_202_errors_nullable_and_pagination(schema: dict[str, Any]) -> None:
    paths = schema["paths"]
    create = paths["/api/v1/assessments/"]["post"]["responses"]
    assert "202" in create and "201" not in create
    for path in paths.values():
        for operation in path.values():
            assert {"400", "401", "403", "404", "413", "414", "422", "429"} <= set(
                operation["responses"]
            )
    uploaded_by = schema["components"]["schemas"]["Dataset"]["properties"]["uploaded_by"]
    assert uploaded_by.get("nullable") is True
    listing = paths["/api/v1/frameworks/"]["get"]["responses"]["200"]["content"]
    ref = listing["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"count", "next", "previous", "results"} <= set(
        schema["components"]["schemas"][ref]["properties"]
    )


def test_frameworks_list_is_paginated(db: Any) -> None:
    page = APIClient().get("/api/v1/frameworks/").json()
    assert page["count"] == len(page["results"]) >= 1 and page["next"] is None
    missing = APIClient().get("/api/v1/frameworks/?page=9")
    assert missing.status_code == 404 and "detail" in missing.json()


def test_a_resident_gets_403_before_any_validation(make_user: Any, city: Any) -> None:
    resident = _as(make_user("resident", (RoleKind.RESIDENT, None)))
    taken = resident.post("/api/v1/cities/", {**NEW_CITY, "slug": city.slug}, format="json")
    assert taken.status_code == 403  # not "a city with this identifier already exists"
    nonsense = resident.post("/api/v1/cities/", {"country": 5}, format="json")
    assert nonsense.status_code == 403
    run = {"city": city.slug, "framework_key": "x", "stage": "?", "year": 99999}
    assert resident.post("/api/v1/assessments/", run, format="json").status_code == 403
    unknown = {**run, "city": "no-such-city"}
    assert resident.post("/api/v1/assessments/", unknown, format="json").status_code == 403
    assert not AssessmentRun.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"country": "ZZ"}, "country"),
        ({"country": "cn"}, "country"),
        ({"name_en": "New\x00town"}, "name_en"),
        ({"name_zh": "新\n城"}, "name_zh"),
    ],
)
def test_city_country_and_names_are_checked(
    make_user: Any, changes: dict[str, str], field: str
) -> None:
    admin = _as(make_user("admin", (RoleKind.ADMINISTRATOR, None)))
    response = admin.post("/api/v1/cities/", {**NEW_CITY, **changes}, format="json")
    assert response.status_code == 400 and field in response.json()
    assert admin.post("/api/v1/cities/", NEW_CITY, format="json").status_code == 201


def test_api_errors_are_json_even_without_a_view(db: Any) -> None:
    for path in ("/api/v1/no-such-route/", "/api/v1/cities/%0EI/datasets/"):
        response = APIClient().get(path)  # no route matches: Django's 404, not a DRF view's
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
        assert "detail" in response.json()
    page = APIClient().get("/no-such-page/")
    assert page.status_code == 404 and "text/html" in page["Content-Type"]


def test_token_endpoint_answers_429_when_the_shared_throttle_is_locked(
    client: Any, make_user: Any, password: str, settings: Any
) -> None:
    make_user("wang")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "wang", "password": "nope"})
    response = APIClient().post("/api/v1/token/", {"username": "wang", "password": password})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
