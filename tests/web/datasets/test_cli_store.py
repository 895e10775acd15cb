"""One store: what the command line keeps is what the web shows and the API serves.

A city added and a file imported with ``ecocite``, then an assessment saved by it, are the same
records a web upload and a web assessment make (issue 8 item 7).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from typer.testing import CliRunner

from ecocite.cli import app
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.cities.models import City
from ecocite.web.datasets.models import Dataset, IndicatorValue

runner = CliRunner()


def _cli(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_cli_import_and_assessment_appear_on_the_web_and_the_api(
    db: Any, client: Any, tmp_path: Any, good_csv: bytes, framework_key: str
) -> None:
    added = _cli("city", "add", "--admin-code", "421000", "--id", "jingzhou",
                 "--name-en", "Jingzhou", "--name-fr", "Jingzhou", "--name-zh", "荆州市")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert City.objects.get(slug="jingzhou").admin_code == "421000"
    file = tmp_path / "jingzhou-values.csv"
    file.write_bytes(good_csv)

    imported = _cli("data", "import", str(file), "--framework", framework_key)
    assert imported.exit_code == 0, imported.output
    dataset = Dataset.objects.get()
    assert (dataset.city.slug, dataset.original_name, dataset.years) == (
        "jingzhou", "jingzhou-values.csv", "2019,2020",
    )  # fmt: skip
    assert dataset.file.read() == good_csv  # the original file is kept, as for an upload
    assert IndicatorValue.objects.filter(dataset=dataset).count() == dataset.rows

    api = client.get("/api/v1/datasets/", {"city": "jingzhou"}).json()
    assert [d["original_name"] for d in api["results"]] == ["jingzhou-values.csv"]
    page = client.get(reverse("datasets:detail", args=[dataset.pk])).content.decode()
    assert "jingzhou-values.csv" in page

    assessed = _cli("assess", "jingzhou", "--year", "2020", "--format", "json")
    assert assessed.exit_code == 0, assessed.output
    run = AssessmentRun.objects.get()
    assert (run.status, run.year, run.framework_key) == (Status.FINISHED, 2020, framework_key)
    listed = client.get("/api/v1/assessments/", {"city": "jingzhou"}).json()["results"]
    assert [(a["id"], a["status"], a["year"]) for a in listed] == [(run.pk, "finished", 2020)]
    city = client.get(reverse("cities:detail", args=["jingzhou"])).content.decode()
    assert reverse("assessments:detail", args=[run.pk]) in city


def test_a_refused_cli_import_leaves_the_store_untouched(
    db: Any, city: Any, tmp_path: Any, bad_csv: bytes, framework_key: str
) -> None:
    file = tmp_path / "bad.csv"
    file.write_bytes(bad_csv)
    result = _cli("data", "import", str(file), "--framework", framework_key)
    assert result.exit_code == 1 and "nothing was kept" in result.output
    assert not Dataset.objects.exists() and not IndicatorValue.objects.exists()
