"""Hostile files (issue 9) through the upload form, the API and the carbon page: each ends in a
clear error listing file, row and field in the page's language (at once when the bytes alone
condemn the file, from the check in the worker otherwise), and nothing is written: database
rows and media files are counted before and after. Runs on SQLite, and on PostgreSQL with
``DATABASE_URL``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from ecocite.web.accounts.models import RoleKind
from ecocite.web.carbon.models import CarbonInventory
from ecocite.web.core.row_errors import API_ERRORS_SHOWN
from ecocite.web.datasets.models import Dataset, IndicatorValue

TIDY = ["unit_bomb", "duplicate_header", "nul_after_4k", "truncated_xlsx", "dimension_bomb",
        "zip_bomb", "year_99999", "deep_provenance", "deep_json", "json_nul"]  # fmt: skip
ACTIVITY = ["unit_bomb", "duplicate_header", "nul_after_4k", "truncated_xlsx", "dimension_bomb",
            "zip_bomb", "year_99999"]  # fmt: skip


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _written() -> tuple[int, int, int, list[Path]]:
    return (
        Dataset.objects.count(),
        IndicatorValue.objects.count(),
        CarbonInventory.objects.count(),
        _media_files(),
    )


def _nothing_written(before: tuple[int, int, int, list[Path]], name: str) -> bool:
    """No row, and no file of this upload in media (files of other threads' work may appear)."""
    after = _written()
    new = set(after[3]) - set(before[3])
    return after[:3] == before[:3] and not [p for p in new if Path(name).stem in p.name]


@pytest.fixture
def official(make_user: Any, city: Any) -> Any:
    return make_user("official", (RoleKind.CITY_OFFICIAL, city))


# Refused on their bytes alone, in the request, before anything is stored (422 at once); the
# others are stored, then rejected by the check in the worker (and their file deleted).
def _refused_at_once(name: str, content: bytes) -> bool:
    from ecocite.data import DataImportError
    from ecocite.web.datasets.services import check_upload

    try:
        check_upload(name, content)
    except DataImportError:
        return True
    return False


@pytest.mark.parametrize("kind", TIDY)
def test_upload_form_refuses_hostile_file(
    kind: str, client: Any, official: Any, city: Any, framework_key: str,
    hostile_tidy_files: dict, jobs: Any,
) -> None:  # fmt: skip
    name, content, message_id = hostile_tidy_files[kind]
    client.force_login(official)
    before = _written()
    with jobs():
        response = client.post(
            reverse("datasets:upload", args=[city.slug]),
            {"framework": framework_key, "file": SimpleUploadedFile(name, content)},
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    if _refused_at_once(name, content):
        assert response.status_code == 422
        errors = response.context["errors"]
    else:
        assert response.status_code == 302
        page = client.get(response["Location"])
        assert 'id="upload-errors"' in page.content.decode()
        assert 'id="upload-confirm"' not in page.content.decode()
        errors = page.context["errors"]
    assert errors and all(e.file == name for e in errors)
    assert message_id in {e.message_id for e in errors}
    assert _nothing_written(before, name)


def _api_upload(api: APIClient, city: Any, name: str, content: bytes, jobs: Any) -> Any:
    with jobs():
        response = api.post(
            f"/api/v1/cities/{city.slug}/datasets/",
            {"file": SimpleUploadedFile(name, content)},
            format="multipart",
        )
    if response.status_code != 202:
        return response
    assert response["Location"] == response.json()["status_url"]
    return api.get(response.json()["status_url"])


@pytest.mark.parametrize("kind", TIDY)
def test_api_refuses_hostile_file(
    kind: str, official: Any, city: Any, hostile_tidy_files: dict, jobs: Any
) -> None:
    name, content, message_id = hostile_tidy_files[kind]
    api = APIClient()
    api.force_authenticate(official)
    before = _written()
    response = _api_upload(api, city, name, content, jobs)
    body = response.json()
    if _refused_at_once(name, content):
        assert response.status_code == 422, response.content[:500]
    else:
        assert response.status_code == 200 and body["status"] == "rejected"
        assert body["preview"] == {} and body["dataset"] is None
        confirm = api.post(body["confirm_url"])
        assert confirm.status_code == 409
    assert body["error_count"] >= 1 and message_id in {e["message_id"] for e in body["errors"]}
    assert all({"file", "row", "field", "message_id", "params", "message"} <= e.keys()
               for e in body["errors"])  # fmt: skip
    assert _nothing_written(before, name)


@pytest.mark.parametrize("kind", ACTIVITY)
def test_carbon_page_refuses_hostile_file(
    kind: str, client: Any, official: Any, city: Any, hostile_activity_files: dict
) -> None:
    name, content, message_id = hostile_activity_files[kind]
    client.force_login(official)
    before = _written()
    response = client.post(
        reverse("carbon:city", args=[city.slug]),
        {"gwp_set": "ar5", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 422
    problems = response.context["problems"]
    assert problems and message_id in {p.message_id for p in problems}
    assert _nothing_written(before, name)


def test_api_answers_at_most_500_errors_with_the_total(official: Any, city: Any, jobs: Any) -> None:
    rows = "".join(f"jingzhou,{1900 + i % 200},x{i},1,%,s,high,yes\n" for i in range(700))
    content = ("city,year,indicator,value,unit,source,quality,verified\n" + rows).encode()
    api = APIClient()
    api.force_authenticate(official)
    body = _api_upload(api, city, "many.csv", content, jobs).json()
    assert body["status"] == "rejected" and body["error_count"] == 700
    assert len(body["errors"]) == API_ERRORS_SHOWN and body["errors_truncated"] is True


def test_row_errors_are_in_the_page_language(
    client: Any, official: Any, city: Any, framework_key: str, jobs: Any
) -> None:
    content = (
        b"city,year,indicator,value,unit,source,quality,verified\njingzhou,1850,x,1,%,s,high,yes\n"
    )
    client.force_login(official)
    said = {}
    for lang in ("fr", "zh-hans", "en"):
        official.preferred_language = lang  # a signed-in person reads their own language
        official.save(update_fields=["preferred_language"])
        with jobs():
            response = client.post(
                reverse("datasets:upload", args=[city.slug]),
                {"framework": framework_key, "file": SimpleUploadedFile("y.csv", content)},
                HTTP_ACCEPT_LANGUAGE=lang,
            )
        page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=lang)
        said[lang] = {e.field: e.message for e in page.context["errors"]}
    assert said["en"]["year"] == "'1850' is not a year between 1900 and 2100"
    assert said["fr"]["year"] == "« 1850 » n'est pas une année entre 1900 et 2100"
    assert said["zh-hans"]["year"] == "“1850”不是 1900 至 2100 之间的年份"
    assert "indicateur inconnu « x »" in said["fr"]["indicator"]


def test_a_failure_after_the_file_is_stored_leaves_no_orphan(
    official: Any, city: Any, framework_key: str, good_csv: bytes, monkeypatch: Any
) -> None:
    """The database refuses the rows (as PostgreSQL refused NUL bytes): file and rows go."""
    from ecocite.web.datasets import services

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database refused the rows")

    monkeypatch.setattr(services.IndicatorValue.objects, "bulk_create", refuse)
    before = _written()
    with pytest.raises(RuntimeError):
        services.import_upload(
            "jingzhou.csv", good_csv, city=city, framework_key=framework_key, user=official
        )
    assert _nothing_written(before, "jingzhou.csv")
