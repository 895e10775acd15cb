"""Uploads: the engine's row errors shown in a table, nothing saved unless all is valid, who/when."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecocite.data import DataImportError
from ecocite.web.accounts.models import RoleKind
from ecocite.web.datasets.models import Dataset, IndicatorValue
from ecocite.web.datasets.services import check_upload, current_values, import_upload


@pytest.fixture
def official_client(client: Any, make_user: Any, city: Any) -> Any:
    client.force_login(make_user("official", (RoleKind.CITY_OFFICIAL, city)))
    return client


def _post(client: Any, city: Any, name: str, content: bytes, framework_key: str) -> Any:
    file = SimpleUploadedFile(name, content)
    return client.post(
        reverse("datasets:upload", args=[city.slug]), {"framework": framework_key, "file": file}
    )


def test_bad_file_shows_row_errors_and_saves_nothing(
    official_client: Any, city: Any, bad_csv: bytes, framework_key: str
) -> None:
    response = _post(official_client, city, "bad.csv", bad_csv, framework_key)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="upload-errors"' in html
    errors = response.context["errors"]
    by_row = {(e.row, e.field) for e in errors}
    # Rows 2–4 of the file (row 1 is the header) carry the three planted problems.
    assert (2, "indicator") in by_row and (3, "value") in by_row and (4, "unit") in by_row
    assert "no_such_indicator" in html and "lots" in html
    assert Dataset.objects.count() == 0 and IndicatorValue.objects.count() == 0


def test_good_file_is_kept_with_who_and_when(
    official_client: Any, city: Any, good_csv: bytes, framework_key: str
) -> None:
    response = _post(official_client, city, "jingzhou.csv", good_csv, framework_key)
    assert response.status_code == 302
    dataset = Dataset.objects.get()
    assert dataset.uploaded_by.username == "official"
    assert dataset.uploaded_at is not None
    assert dataset.years == "2019,2020"
    expected_rows = len(pd.read_csv(io.BytesIO(good_csv)))
    assert dataset.rows == expected_rows == IndicatorValue.objects.filter(dataset=dataset).count()
    assert dataset.file.read() == good_csv
    page = official_client.get(response["Location"]).content.decode()
    assert "jingzhou.csv" in page and "official" in page


def test_rows_for_another_city_are_refused(
    official_client: Any, city: Any, good_csv: bytes, framework_key: str
) -> None:
    text = good_csv.decode().replace("jingzhou,", "foshan,", 1)
    response = _post(official_client, city, "mixed.csv", text.encode(), framework_key)
    assert response.status_code == 422
    assert any(e.field == "city" and e.row == 2 for e in response.context["errors"])
    assert not Dataset.objects.exists()


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
    official_client: Any, city: Any, framework_key: str, settings: Any
) -> None:
    settings.UPLOAD_MAX_BYTES = 100
    response = _post(official_client, city, "big.csv", b"city,year\n" + b"x" * 200, framework_key)
    assert response.status_code == 422
    # the page speaks French by default: the engine's message id went through the catalogue
    assert "la limite est de 100 octets" in response.content.decode()


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
