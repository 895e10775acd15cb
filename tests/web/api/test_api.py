"""The REST API: OpenAPI schema at a stable URL, token authentication, pagination, pushes."""

from __future__ import annotations

import re
from typing import Any

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from ecocite.web.accounts.models import RoleKind
from ecocite.web.cities.models import City


def test_schema_is_served_and_lists_the_endpoints(db: Any) -> None:
    response = APIClient().get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for path in (
        "/api/v1/cities/",
        "/api/v1/cities/{slug}/",
        "/api/v1/cities/{slug}/datasets/",
        "/api/v1/uploads/{id}/",
        "/api/v1/uploads/{id}/confirm/",
        "/api/v1/datasets/",
        "/api/v1/assessments/",
        "/api/v1/assessments/{id}/",
        "/api/v1/frameworks/",
        "/api/v1/token/",
    ):
        assert path in paths
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    docs = APIClient().get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    links = re.findall(r'(?:src|href)="([^"]+)"', docs.content.decode())
    assert links and all(link.startswith("/static/") for link in links if "?script" not in link)
    # Its start-up script is a file of the site too, not inline: the CSP allows no inline script.
    assert "/api/v1/docs/?script=" in links
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", docs.content.decode())
    start = APIClient().get("/api/v1/docs/?script=")
    assert start.status_code == 200 and "javascript" in start["Content-Type"]


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_token_auth_and_push(
    make_user: Any, city: Any, password: str, good_csv: bytes, framework_key: str,
    settings: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    """Send (202), poll the check, read the preview, confirm (202), poll: the dataset is listed."""
    settings.TASKS = IMMEDIATE
    make_user("official", (RoleKind.CITY_OFFICIAL, city))
    api = APIClient()
    token = api.post("/api/v1/token/", {"username": "official", "password": password}).json()[
        "token"
    ]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    file = SimpleUploadedFile("push.csv", good_csv)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/cities/{city.slug}/datasets/",
            {"file": file, "framework": framework_key},
            format="multipart",
        )
    assert response.status_code == 202
    assert response.json()["status"] == "queued" and response["Location"].endswith(
        f"/api/v1/uploads/{response.json()['id']}/"
    )
    checked = api.get(response["Location"]).json()
    assert checked["status"] == "ready" and checked["errors"] == []
    assert checked["preview"]["rows"] == good_csv.count(b"\n") - 1
    assert api.get("/api/v1/datasets/").json()["count"] == 0  # nothing until confirmed
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api.post(checked["confirm_url"])
    assert confirmed.status_code == 202
    done = api.get(response["Location"]).json()
    assert done["status"] == "imported" and done["dataset"]
    listed = api.get("/api/v1/datasets/").json()
    assert listed["count"] == 1 and listed["results"][0]["original_name"] == "push.csv"
    assert listed["results"][0]["id"] == done["dataset"]
    assert api.get(f"/api/v1/datasets/?city={city.slug}").json()["count"] == 1
    assert api.get("/api/v1/datasets/?city=elsewhere").json()["count"] == 0
    assert api.post(checked["confirm_url"]).status_code == 409  # once only
    assert api.delete(response["Location"]).status_code == 204  # the record of an import
    assert api.get("/api/v1/datasets/").json()["count"] == 1


def test_push_with_errors_returns_them_row_by_row(
    make_user: Any, city: Any, bad_csv: bytes, framework_key: str,
    settings: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    settings.TASKS = IMMEDIATE
    api = APIClient()
    api.force_authenticate(make_user("official", (RoleKind.CITY_OFFICIAL, city)))
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/cities/{city.slug}/datasets/",
            {"file": SimpleUploadedFile("bad.csv", bad_csv), "framework": framework_key},
            format="multipart",
        )
    assert response.status_code == 202
    checked = api.get(response["Location"]).json()
    assert checked["status"] == "rejected"
    errors = checked["errors"]
    assert {"file": "bad.csv", "row": 2, "field": "indicator"}.items() <= errors[0].items()


def test_uploads_follow_the_page_rules(
    make_user: Any, city: Any, other_city: Any, good_csv: bytes, framework_key: str,
    settings: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    settings.TASKS = IMMEDIATE
    api = APIClient()
    api.force_authenticate(make_user("official", (RoleKind.CITY_OFFICIAL, city)))
    with django_capture_on_commit_callbacks(execute=True):
        url = api.post(
            f"/api/v1/cities/{city.slug}/datasets/",
            {"file": SimpleUploadedFile("v.csv", good_csv), "framework": framework_key},
            format="multipart",
        )["Location"]
    assert APIClient().get(url).status_code == 401
    elsewhere = APIClient()
    elsewhere.force_authenticate(make_user("other", (RoleKind.CITY_OFFICIAL, other_city)))
    assert elsewhere.get(url).status_code == 403
    assert elsewhere.post(f"{url}confirm/").status_code == 403
    assert elsewhere.delete(url).status_code == 403
    assert api.get(url).json()["status"] == "ready"
    assert api.delete(url).status_code == 204 and api.get(url).status_code == 404


def test_cities_are_paginated(db: Any) -> None:
    City.objects.bulk_create(
        City(slug=f"c{i:03d}", name_fr=f"V{i}", name_zh=f"城{i}", name_en=f"C{i}", country="CN")
        for i in range(120)
    )
    api = APIClient()
    first = api.get("/api/v1/cities/").json()
    assert first["count"] == 120 and len(first["results"]) == 50 and first["next"]
    last = api.get("/api/v1/cities/?page=3").json()
    assert len(last["results"]) == 20 and last["next"] is None
    assert "boundary" not in first["results"][0]
    one = api.get("/api/v1/cities/c007/").json()
    assert one["name_zh"] == "城7" and "boundary" in one


def test_frameworks_endpoint(db: Any, framework_key: str) -> None:
    api = APIClient()
    listed = api.get("/api/v1/frameworks/").json()
    assert framework_key in {f["key"] for f in listed["results"]}
    full = api.get(f"/api/v1/frameworks/{framework_key}/").json()
    assert full["categories"] and full["grading"]["levels"]
    assert api.get("/api/v1/frameworks/nothing@0/").status_code == 404
