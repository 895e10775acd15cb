"""Replace a dataset by a corrected file or withdraw it with a reason; never a silent delete."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecocite.web.accounts.models import RoleKind
from ecocite.web.assessments.models import AssessmentRun
from ecocite.web.assessments.services import assess_now
from ecocite.web.datasets.models import Dataset, DatasetEvent, PendingUpload
from ecocite.web.datasets.services import current_values, import_upload


@pytest.fixture
def official(make_user: Any, city: Any) -> Any:
    user = make_user("official", (RoleKind.CITY_OFFICIAL, city))
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


@pytest.fixture
def official_client(client: Any, official: Any) -> Any:
    client.force_login(official)
    return client


@pytest.fixture
def dataset(city: Any, good_csv: bytes, framework_key: str, official: Any) -> Dataset:
    return import_upload("v.csv", good_csv, city=city, framework_key=framework_key, user=official)


def _media() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _corrected(good_csv: bytes) -> tuple[bytes, str, float]:
    frame = pd.read_csv(io.BytesIO(good_csv))
    indicator = str(frame.loc[0, "indicator"])
    frame.loc[0, "value"] = float(frame.loc[0, "value"]) * 0.5
    return frame.to_csv(index=False).encode(), indicator, float(frame.loc[0, "value"])


def test_withdraw_keeps_the_dataset_and_frozen_assessments(
    official_client: Any, dataset: Dataset, city: Any, framework_key: str
) -> None:
    run = assess_now(city, framework_key=framework_key, stage="planning_design", year=2020)
    assert run.status == "finished" and run.snapshot
    snapshot, data_hash, result = run.snapshot, run.data_hash, run.result
    city_page = reverse("cities:detail", args=[city.slug])
    assert "(withdrawn)" not in official_client.get(city_page).content.decode()
    url = reverse("datasets:withdraw", args=[dataset.pk])
    assert official_client.post(url, {"reason": ""}).status_code == 422  # a reason is needed
    response = official_client.post(url, {"reason": "Wrong census year"})
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.withdrawn_at is not None and dataset.withdrawn_reason == "Wrong census year"
    assert Dataset.objects.filter(pk=dataset.pk).exists() and dataset.values.count() == dataset.rows
    assert current_values(city).empty  # its values no longer count
    assert "(withdrawn)" in official_client.get(city_page).content.decode()  # not a stale page
    run = AssessmentRun.objects.get(pk=run.pk)
    assert (run.snapshot, run.data_hash, run.result) == (snapshot, data_hash, result)
    again = assess_now(city, framework_key=framework_key, stage="planning_design", year=2020)
    assert again.status == "failed"  # a new run finds no data
    page = official_client.get(reverse("datasets:detail", args=[dataset.pk])).content.decode()
    assert 'id="dataset-withdrawn"' in page and "Wrong census year" in page and "official" in page
    assert 'id="withdraw-form"' not in page  # nothing more to change
    assert official_client.post(url, {"reason": "twice"}).status_code == 302
    assert DatasetEvent.objects.filter(dataset=dataset, action="withdrawn").count() == 1


def test_replace_by_a_corrected_file_after_preview(
    official_client: Any, dataset: Dataset, city: Any, good_csv: bytes, jobs: Any
) -> None:
    content, indicator, value = _corrected(good_csv)
    with jobs():
        response = official_client.post(
            reverse("datasets:replace", args=[dataset.pk]),
            {"file": SimpleUploadedFile("fixed.csv", content)},
        )
    assert response.status_code == 302
    pending = PendingUpload.objects.get()
    assert pending.replaces == dataset and pending.status == "ready"
    page = official_client.get(response["Location"]).content.decode()
    assert "It replaces the dataset v.csv" in page
    assert Dataset.objects.count() == 1  # nothing until confirmed
    with jobs():
        official_client.post(reverse("datasets:confirm", args=[pending.pk]))
    new = Dataset.objects.exclude(pk=dataset.pk).get()
    dataset.refresh_from_db()
    assert dataset.replaced_by == new and not dataset.in_force and new.in_force
    values = current_values(city)
    assert len(values) == new.rows  # the old values no longer count, none twice
    row = values[(values["indicator"] == indicator)].iloc[0]
    assert row["value"] == pytest.approx(value)
    old_page = official_client.get(reverse("datasets:detail", args=[dataset.pk])).content.decode()
    assert 'id="dataset-replaced"' in old_page and "fixed.csv" in old_page
    new_page = official_client.get(reverse("datasets:detail", args=[new.pk])).content.decode()
    assert "replaces an earlier dataset" in new_page and "v.csv" in new_page


def test_a_replacement_for_another_city_is_one_clear_message(
    official_client: Any, dataset: Dataset, good_csv: bytes, jobs: Any
) -> None:
    before = _media()
    other = good_csv.decode().replace("jingzhou,", "foshan,").encode()
    with jobs():
        response = official_client.post(
            reverse("datasets:replace", args=[dataset.pk]),
            {"file": SimpleUploadedFile("foshan.csv", other)},
        )
    page = official_client.get(response["Location"])
    first = page.context["errors"][0]
    assert first.message_id == "file.other_city" and first.row is None
    assert first.message == "the file has values of foshan, not of jingzhou: nothing was saved"
    assert Dataset.objects.count() == 1 and dataset.in_force and _media() == before


def test_only_city_writers_replace_or_withdraw(
    client: Any, make_user: Any, other_city: Any, dataset: Dataset, good_csv: bytes
) -> None:
    client.force_login(make_user("elsewhere", (RoleKind.CITY_OFFICIAL, other_city)))
    page = client.get(reverse("datasets:detail", args=[dataset.pk])).content.decode()
    assert 'id="withdraw-form"' not in page and 'id="replace-form"' not in page
    assert (
        client.post(reverse("datasets:withdraw", args=[dataset.pk]), {"reason": "x"}).status_code
        == 403
    )
    replace = client.post(
        reverse("datasets:replace", args=[dataset.pk]),
        {"file": SimpleUploadedFile("x.csv", good_csv)},
    )
    assert replace.status_code == 403
    dataset.refresh_from_db()
    assert dataset.in_force and not PendingUpload.objects.exists()
