"""The API's own documents read in a browser and in the caller's language: the schema is shown,
not downloaded, under an ASCII-safe name; the root page and the refusals are translated."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

import yaml
from rest_framework.test import APIClient

from ecocite.web.accounts.models import RoleKind


def test_schema_is_viewable_as_yaml_and_json_with_an_ascii_safe_name(db: Any) -> None:
    response = APIClient().get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"  # shown, not downloaded
    assert yaml.safe_load(response.content)["openapi"].startswith("3.")
    disposition = response["Content-Disposition"]
    disposition.encode("ascii")  # a raw non-ASCII header is what browsers garbled
    assert disposition.startswith('inline; filename="ecocite-api.yaml"')
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "EcoCité API.yaml"

    as_json = APIClient().get("/api/v1/schema/?format=json")
    assert as_json.status_code == 200
    assert as_json["Content-Type"].startswith("application/")
    assert "json" in as_json["Content-Type"]
    assert json.loads(as_json.content)["openapi"].startswith("3.")
    assert 'filename="ecocite-api.json"' in as_json["Content-Disposition"]


def test_api_root_describes_itself_in_the_callers_language(db: Any) -> None:
    page = APIClient().get("/api/v1/", HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert "API EcoCité" in html and "La lecture est libre" in html
    assert "DefaultRouter" not in html


def test_refusals_are_in_the_callers_language(
    db: Any, make_user: Any, city: Any, password: str, framework_key: str
) -> None:
    user = make_user("resident", (RoleKind.RESIDENT, None))
    user.preferred_language = "zh-hans"  # a signed-in caller's own language wins
    user.save()
    api = APIClient()
    api.login(username="resident", password=password)
    response = api.post(
        "/api/v1/assessments/",
        {
            "city": city.slug,
            "year": 2020,
            "framework_key": framework_key,
            "stage": "planning_design",
        },
        format="json",
    )
    assert response.status_code == 403, response.content
    assert "您的角色不允许在此执行该操作" in response.json()["detail"]
