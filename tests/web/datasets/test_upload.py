"""Uploads in two steps: stored and checked in the worker, a preview, then confirm or discard."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecocite.data import DataImportError
from ecocite.web.accounts.models import RoleKind
from ecocite.web.datasets.models import Dataset, IndicatorValue, PendingUpload
from ecocite.web.datasets.services import check_upload, current_values, import_upload


@pytest.fixture
def official(make_user: Any, city: Any) -> Any:
    return make_user("official", (RoleKind.CITY_OFFICIAL, city))


@pytest.fixture
def official_client(client: Any, official: Any) -> Any:
    client.force_login(official)
    return client


def _media() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _post(client: Any, city: Any, name: str, content: bytes, framework_key: str, jobs: Any) -> Any:
    file = SimpleUploadedFile(name, content)
    with jobs():
        return client.post(
            reverse("datasets:upload", args=[city.slug]), {"framework": framework_key, "file": file}
        )


def test_the_request_only_stores_and_queues_the_check(
    official_client: Any, official: Any, city: Any, good_csv: bytes, framework_key: str,
    settings: Any,
) -> None:  # fmt: skip
    """With the database queue nothing is parsed in the request: the page says it is checking."""
    official.preferred_language = "en"
    official.save(update_fields=["preferred_language"])
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    response = official_client.post(
        reverse("datasets:upload", args=[city.slug]),
        {"framework": framework_key, "file": SimpleUploadedFile("jingzhou.csv", good_csv)},
    )
    assert response.status_code == 302
    pending = PendingUpload.objects.get()
    assert pending.status == "queued" and pending.preview == {} and not Dataset.objects.exists()
    assert Path(pending.file.path).read_bytes() == good_csv
    page = official_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert 'id="progress-box"' in html and "Checking your file" in html
    assert "<script>" not in html  # the progress is polled by the static site.js
    status = official_client.get(reverse("datasets:check_status", args=[pending.pk])).json()
    assert status["status"] == "queued" and status["progress"] == 0
    assert DBTaskResult.objects.count() == 0  # queued after the commit only (test never commits)
    assert 'id="upload-discard"' in html  # no need to wait for the check to change one's mind
    official_client.post(reverse("datasets:discard", args=[pending.pk]))
    assert not PendingUpload.objects.exists() and not Path(pending.file.path).exists()


def test_bad_file_shows_row_errors_and_saves_nothing(
    official_client: Any, city: Any, bad_csv: bytes, framework_key: str, jobs: Any
) -> None:
    before = _media()
    response = _post(official_client, city, "bad.csv", bad_csv, framework_key, jobs)
    assert response.status_code == 302
    page = official_client.get(response["Location"])
    html = page.content.decode()
    assert 'id="upload-errors"' in html and 'id="upload-confirm"' not in html
    by_row = {(e.row, e.field) for e in page.context["errors"]}
    # Rows 2–4 of the file (row 1 is the header) carry the three planted problems.
    assert (2, "indicator") in by_row and (3, "value") in by_row and (4, "unit") in by_row
    assert "no_such_indicator" in html and "lots" in html
    assert Dataset.objects.count() == 0 and IndicatorValue.objects.count() == 0
    assert _media() == before  # the rejected file is not kept


def test_preview_then_confirm_keeps_the_file_with_who_and_when(
    official_client: Any, city: Any, good_csv: bytes, framework_key: str, jobs: Any
) -> None:
    response = _post(official_client, city, "jingzhou.csv", good_csv, framework_key, jobs)
    page = official_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    frame = pd.read_csv(io.BytesIO(good_csv))
    assert 'id="upload-preview"' in html and 'id="upload-confirm"' in html
    assert page.context["preview"]["rows"] == len(frame)
    assert page.context["preview"]["years"] == sorted(set(frame["year"]))
    assert not Dataset.objects.exists()  # nothing until confirmed
    pending = PendingUpload.objects.get()
    with jobs():
        done = official_client.post(reverse("datasets:confirm", args=[pending.pk]))
    assert done.status_code == 302
    dataset = Dataset.objects.get()
    assert dataset.uploaded_by.username == "official" and dataset.uploaded_at is not None
    assert dataset.years == "2019,2020"
    assert dataset.rows == len(frame) == IndicatorValue.objects.filter(dataset=dataset).count()
    assert dataset.file.read() == good_csv
    pending.refresh_from_db()
    assert pending.status == "imported" and pending.dataset == dataset and not pending.file
    final = official_client.get(done["Location"], follow=True)
    assert final.redirect_chain[-1][0] == reverse("datasets:detail", args=[dataset.pk])
    assert "jingzhou.csv" in final.content.decode()
    # confirming twice imports nothing more
    with jobs():
        official_client.post(reverse("datasets:confirm", args=[pending.pk]))
    assert Dataset.objects.count() == 1


def test_preview_shows_converted_units_and_warnings(
    official_client: Any, official: Any, city: Any, framework_key: str, jobs: Any
) -> None:
    official.preferred_language = "en"
    official.save(update_fields=["preferred_language"])
    content = (
        b"city,year,indicator,value,unit,source,quality,verified\n"
        b"jingzhou,2020,co2_per_capita,3600,kg/person,survey,low,no\n"
    )
    response = _post(official_client, city, "kg.csv", content, framework_key, jobs)
    page = official_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    warnings = page.context["preview"]["warnings"]
    assert "1 value converted from kg/person to t/person" in warnings
    assert any("not verified" in w for w in warnings) and any("low quality" in w for w in warnings)
    sample = page.context["preview"]["sample"][0]
    assert sample["value"] == pytest.approx(3.6) and sample["original_value"] == 3600
    assert "3.6 t/person" in html and "3600 kg/person" in html


def test_discard_deletes_the_stored_file(
    official_client: Any, city: Any, good_csv: bytes, framework_key: str, jobs: Any
) -> None:
    before = _media()
    _post(official_client, city, "jingzhou.csv", good_csv, framework_key, jobs)
    pending = PendingUpload.objects.get()
    assert pending.status == "ready" and set(_media()) - set(before)
    response = official_client.post(reverse("datasets:discard", args=[pending.pk]))
    assert response.status_code == 302
    assert not PendingUpload.objects.exists() and not Dataset.objects.exists()
    assert _media() == before


def test_a_stale_upload_is_purged_with_its_file(
    city: Any, good_csv: bytes, framework_key: str, settings: Any
) -> None:
    from ecocite.web.datasets.uploads import purge_stale_uploads, store_upload

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    before = _media()
    pending = store_upload("a.csv", good_csv, city=city, framework_key=framework_key, user=None)
    assert purge_stale_uploads() == 0
    settings.UPLOAD_PENDING_HOURS = 0
    assert purge_stale_uploads() == 1
    assert not PendingUpload.objects.filter(pk=pending.pk).exists() and _media() == before


def test_rows_for_another_city_are_refused(
    official_client: Any, city: Any, good_csv: bytes, framework_key: str, jobs: Any
) -> None:
    text = good_csv.decode().replace("jingzhou,", "foshan,", 1)
    response = _post(official_client, city, "mixed.csv", text.encode(), framework_key, jobs)
    page = official_client.get(response["Location"])
    assert any(e.field == "city" and e.row == 2 for e in page.context["errors"])
    assert not Dataset.objects.exists()


def test_someone_without_the_right_sees_no_upload(
    client: Any, make_user: Any, other_city: Any, city: Any, good_csv: bytes, framework_key: str,
    official_client: Any, jobs: Any,
) -> None:  # fmt: skip
    _post(official_client, city, "jingzhou.csv", good_csv, framework_key, jobs)
    pending = PendingUpload.objects.get()
    client.force_login(make_user("elsewhere", (RoleKind.CITY_OFFICIAL, other_city)))
    for name in ("check", "check_status"):
        assert client.get(reverse(f"datasets:{name}", args=[pending.pk])).status_code == 403
    for name in ("confirm", "discard"):
        assert client.post(reverse(f"datasets:{name}", args=[pending.pk])).status_code == 403
    assert PendingUpload.objects.get().status == "ready" and not Dataset.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("values.exe", b"MZ\x90\x00", "unsupported file type"),
        ("values.csv", b"", "empty"),
        ("values.xlsx", b"city,year\n", "not an XLSX workbook"),
        ("values.csv", b"PK\x03\x04binary", "binary content"),
        ("values.csv", "city,année\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_type_is_checked_before_parsing(name: str, content: bytes, message: str) -> None:
    with pytest.raises(DataImportError) as caught:
        check_upload(name, content)
    assert message in str(caught.value)
    assert caught.value.errors[0].file == name and caught.value.errors[0].field == "(file)"


def test_size_is_limited(
    official_client: Any, city: Any, framework_key: str, settings: Any, jobs: Any
) -> None:
    settings.UPLOAD_MAX_BYTES = 100
    response = _post(
        official_client, city, "big.csv", b"city,year\n" + b"x" * 200, framework_key, jobs
    )
    assert response.status_code == 422  # refused on its size alone, before it is stored
    # the page speaks French by default: the engine's message id went through the catalogue
    assert "la limite est de 100 octets" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_xlsx_upload(city: Any, good_csv: bytes, framework_key: str) -> None:
    buffer = io.BytesIO()
    pd.read_csv(io.BytesIO(good_csv)).to_excel(buffer, index=False)
    dataset = import_upload(
        "values.xlsx", buffer.getvalue(), city=city, framework_key=framework_key, user=None
    )
    assert dataset.rows == len(pd.read_csv(io.BytesIO(good_csv)))


def test_latest_upload_wins_per_year_and_indicator(
    city: Any, good_csv: bytes, framework_key: str
) -> None:
    import_upload("a.csv", good_csv, city=city, framework_key=framework_key, user=None)
    frame = pd.read_csv(io.BytesIO(good_csv))
    first = frame.iloc[0]
    changed = frame.iloc[[0]].copy()
    changed["value"] = float(first["value"]) * 0.5 if float(first["value"]) else 1.0
    import_upload(
        "b.csv",
        changed.to_csv(index=False).encode(),
        city=city,
        framework_key=framework_key,
        user=None,
    )
    values = current_values(city, year=int(first["year"]))
    row = values[values["indicator"] == first["indicator"]].iloc[0]
    assert row["value"] == pytest.approx(float(changed["value"].iloc[0]))
    assert len(values) == int((frame["year"] == first["year"]).sum())


def test_a_parse_past_the_memory_limit_ends_as_a_clear_error(
    official_client: Any, city: Any, good_csv: bytes, framework_key: str, jobs: Any,
    settings: Any,
) -> None:  # fmt: skip
    # The child may reuse memory the parent has mapped but freed (a long-lived test worker keeps
    # tens of MB of it), which no address-space limit sees: 600,000 rows need far more than that.
    settings.UPLOAD_PARSE_MEMORY_MB = 1
    settings.UPLOAD_MAX_ROWS = 1_000_000
    settings.UPLOAD_MAX_BYTES = 64 * 1024 * 1024
    rows = "jingzhou,2020,co2_per_capita,4,t/person,survey,high,yes\n" * 600_000
    content = ("city,year,indicator,value,unit,source,quality,verified\n" + rows).encode()
    before = _media()
    response = _post(official_client, city, "jingzhou.csv", content, framework_key, jobs)
    page = official_client.get(response["Location"])
    assert [e.message_id for e in page.context["errors"]] == ["parse.memory"]
    assert "1 Mo" in page.content.decode()  # in French, the page's language
    assert not Dataset.objects.exists() and _media() == before


def test_the_worker_checks_then_imports(
    client: Any, make_user: Any, city: Any, good_csv: bytes, framework_key: str,
    run_jobs: Any, settings: Any,
) -> None:  # fmt: skip
    """The real queue: the request stores, ``ecocite-web worker`` checks, confirm, it imports."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(make_user("official", (RoleKind.CITY_OFFICIAL, city)))
    response = client.post(
        reverse("datasets:upload", args=[city.slug]),
        {"framework": framework_key, "file": SimpleUploadedFile("jingzhou.csv", good_csv)},
    )
    pending = PendingUpload.objects.get()
    assert pending.status == "queued"
    assert run_jobs() == 1
    pending.refresh_from_db()
    assert pending.status == "ready" and pending.preview["rows"] > 0
    client.post(reverse("datasets:confirm", args=[pending.pk]))
    assert run_jobs() == 1
    pending.refresh_from_db()
    assert pending.status == "imported" and Dataset.objects.get() == pending.dataset
    assert client.get(response["Location"]).status_code == 302  # on to the dataset


def test_row_errors_quoting_a_nul_are_kept_on_postgresql_too(
    city: Any, good_csv: bytes, framework_key: str, settings: Any
) -> None:
    """A cell's text quoted in an error may hold a NUL (an XLSX ``_x0000_``): PostgreSQL's JSON
    refuses it, so it is kept escaped and the upload still ends rejected with its errors."""
    from ecocite.data import RowError
    from ecocite.web.datasets.uploads import _reject, store_upload, stored_errors

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    pending = store_upload("v.xlsx", b"PK\x03\x04x", city=city, framework_key=framework_key,
                           user=None)  # fmt: skip
    _reject(pending, [RowError("v.xlsx", 2, "city", "city.unknown", {"value": "a\x00b"})])
    pending.refresh_from_db()
    assert pending.status == "rejected" and not pending.file
    assert stored_errors(pending)[0].params == {"value": "a\\0b"}
