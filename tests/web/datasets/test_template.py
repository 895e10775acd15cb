"""Templates: download for a framework and year, fill in, upload; another framework's is refused."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecocite.data import DataImportError, read_indicator_table
from ecocite.data.template import build_template
from ecocite.web.accounts.models import RoleKind
from ecocite.web.datasets.models import Dataset, PendingUpload
from ecocite.web.frameworks.registry import framework_by_key


@pytest.fixture
def official_client(client: Any, make_user: Any, city: Any) -> Any:
    client.force_login(make_user("official", (RoleKind.CITY_OFFICIAL, city)))
    return client


def _download(client: Any, city: Any, framework_key: str, kind: str, lang: str) -> Any:
    return client.get(
        reverse("datasets:template", args=[city.slug]),
        {"template-framework": framework_key, "template-year": 2024, "template-format": kind},
        HTTP_ACCEPT_LANGUAGE=lang,
    )


def _read(kind: str, body: bytes) -> pd.DataFrame:
    if kind == "csv":
        return pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False)
    return pd.read_excel(io.BytesIO(body), dtype=str, keep_default_na=False)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_template_lists_every_indicator_in_the_reader_s_language(
    kind: str, client: Any, make_user: Any, city: Any, framework_key: str
) -> None:
    user = make_user("official", (RoleKind.CITY_OFFICIAL, city))
    client.force_login(user)
    framework = framework_by_key(framework_key)
    first = framework.indicators()[0][1]
    seen = {}
    for lang, code in (("zh-hans", "zh"), ("en", "en")):
        user.preferred_language = lang
        user.save(update_fields=["preferred_language"])
        response = _download(client, city, framework_key, kind, lang)
        assert response.status_code == 200
        assert (
            f"ecocite-template-{city.slug}-{framework.id}-2024.{kind}"
            in (response["Content-Disposition"])
        )
        table = _read(kind, response.content)
        assert list(table["indicator"]) == framework.indicator_ids()
        assert set(table["city"]) == {city.slug} and set(table["year"]) == {"2024"}
        assert table["value"].eq("").all() and table["source"].eq("").all()
        assert table.loc[0, "unit"] == first.unit
        assert table.loc[0, "notes"].startswith(first.name(code))
        seen[code] = table.loc[0, "notes"]
    assert seen["zh"] != seen["en"] and "允许范围" in seen["zh"] and "allowed range" in seen["en"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_filled_template_goes_through_preview_and_confirm(
    kind: str, official_client: Any, city: Any, framework_key: str, jobs: Any
) -> None:
    response = _download(official_client, city, framework_key, kind, "en")
    table = _read(kind, response.content)
    framework = framework_by_key(framework_key)
    filled = []
    for i in range(2):
        ind = framework.indicator(table.loc[i, "indicator"])
        low = ind.range.min if ind.range.min is not None else 0
        table.loc[i, ["value", "source", "quality", "verified"]] = [
            str(low),
            "survey",
            "high",
            "yes",
        ]
        filled.append(table.loc[i, "indicator"])
    buffer = io.BytesIO()
    if kind == "csv":
        buffer.write(table.to_csv(index=False).encode())
    else:
        table.to_excel(buffer, index=False)
    with jobs():
        sent = official_client.post(
            reverse("datasets:upload", args=[city.slug]),
            {
                "framework": framework_key,
                "file": SimpleUploadedFile(f"t.{kind}", buffer.getvalue()),
            },
        )
    page = official_client.get(sent["Location"], HTTP_ACCEPT_LANGUAGE="en")
    preview = page.context["preview"]
    assert preview["rows"] == 2, page.context["errors"]
    skipped = len(table) - 2
    stored = PendingUpload.objects.get().preview["warnings"]
    assert {"id": "template_skipped", "params": {"count": skipped}} in stored
    assert len(preview["warnings"]) == len(stored)
    with jobs():
        official_client.post(reverse("datasets:confirm", args=[PendingUpload.objects.get().pk]))
    dataset = Dataset.objects.get()
    assert sorted(dataset.values.values_list("indicator", flat=True)) == sorted(filled)


def test_a_template_of_another_framework_is_one_clear_error(
    official_client: Any, city: Any, framework_key: str, jobs: Any, tmp_path: Any
) -> None:
    framework = framework_by_key(framework_key)
    table = build_template(framework, city=city.slug, year=2024)
    table["provenance"] = '{"template": "other-framework@2.0"}'
    table.loc[0, ["value", "source", "quality", "verified"]] = ["1", "s", "high", "yes"]
    with jobs():
        sent = official_client.post(
            reverse("datasets:upload", args=[city.slug]),
            {"framework": framework_key,
             "file": SimpleUploadedFile("t.csv", table.to_csv(index=False).encode())},
        )  # fmt: skip
    page = official_client.get(sent["Location"])
    errors = page.context["errors"]
    assert [(e.row, e.field, e.message_id) for e in errors] == [
        (None, "(file)", "template.other_framework")
    ]
    assert "other-framework@2.0" in errors[0].message and framework_key in errors[0].message
    assert not Dataset.objects.exists()
    # the engine says the same to the command line
    path = tmp_path / "t.csv"
    table.to_csv(path, index=False)
    with pytest.raises(DataImportError) as caught:
        read_indicator_table(path, framework=framework)
    assert caught.value.errors[0].message_id == "template.other_framework"


def test_an_empty_template_says_so(framework_key: str, tmp_path: Any) -> None:
    framework = framework_by_key(framework_key)
    path = tmp_path / "t.csv"
    build_template(framework, city="jingzhou", year=2024).to_csv(path, index=False)
    with pytest.raises(DataImportError) as caught:
        read_indicator_table(path, framework=framework)
    assert [e.message_id for e in caught.value.errors] == ["template.empty"]


def test_template_needs_the_upload_right(client: Any, city: Any, framework_key: str) -> None:
    assert _download(client, city, framework_key, "csv", "en").status_code == 302  # sign in
