"""The anonymous pathway page never runs the Monte Carlo itself: the worker does, once per
parameter set, and the page shows progress and then the engine's result from the cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from ecocite.carbon import (
    compute_inventory,
    demo_activity_path,
    demo_contexts,
    monte_carlo,
    pathway_base,
    read_activity,
)
from ecocite.carbon.pathways import plan_levers
from ecocite.web.carbon import pathways
from ecocite.web.carbon.models import CarbonInventory
from ecocite.web.carbon.services import import_activity


@pytest.fixture
def stored(city: Any, transactional_db: Any) -> CarbonInventory:
    path = Path(demo_activity_path("jingzhou"))
    return import_activity(path.name, path.read_bytes(), city=city, gwp_set="ar6", user=None)


def _queued() -> int:
    return DBTaskResult.objects.filter(status="READY").count()


def _form_data(client: Any, url: str) -> dict[str, Any]:
    form = client.get(url).context["form"]
    return {k: ("" if form[k].value() is None else form[k].value()) for k in form.fields}


def test_page_queues_one_job_shows_progress_then_the_engine_result(
    client: Any, stored: CarbonInventory, run_jobs: Any
) -> None:
    url = reverse("carbon:pathway", args=[stored.pk])
    with mock.patch.object(pathways, "monte_carlo", wraps=monte_carlo) as engine:
        first = client.get(url)
        assert first.status_code == 200 and first.context["result"] is None
        html = first.content.decode()
        assert 'id="progress-box"' in html and "<svg" not in html
        for _ in range(5):  # more visitors, same parameters: still one job
            assert client.get(url).context["result"] is None
        assert _queued() == 1 and engine.call_count == 0  # nothing computed in a request

        status_url = reverse("carbon:pathway_status", args=[stored.pk])
        assert client.get(status_url).json()["status"] == "queued"
        assert run_jobs() == 1
        assert engine.call_count == 1
        assert client.get(status_url).json() == {
            "status": "finished", "progress": 100, "step": "done", "error": "",
        }  # fmt: skip

        done = client.get(url)
        assert engine.call_count == 1 and _queued() == 0  # from the cache
    result = done.context["result"]
    base = pathway_base(
        compute_inventory(read_activity(demo_activity_path("jingzhou")), gwp_set="ar6"),
        demo_contexts()["jingzhou"],
    )
    expected = monte_carlo(
        base, draws=pathways.MONTE_CARLO_DRAWS, seed=pathways.MONTE_CARLO_SEED,
        levers=plan_levers(),
    )  # fmt: skip
    assert result["probabilities"] == pytest.approx(expected.probabilities)
    assert result["draws"] == 2000 and done.content.decode().count("<svg") == 2


def test_other_levers_are_another_job(client: Any, stored: CarbonInventory, run_jobs: Any) -> None:
    url = reverse("carbon:pathway", args=[stored.pk])
    client.get(url)
    data = _form_data(client, url)
    data.update({k: 0 for k in data if k.startswith("lever_")})
    assert client.get(url, data).context["result"] is None
    assert _queued() == 2
    run_jobs()
    bau = client.get(url, data).context["result"]
    assert bau["scenario"]["residual_2060_t"] == pytest.approx(bau["bau"]["residual_2060_t"])


def test_a_full_queue_answers_busy_without_queueing(
    client: Any, stored: CarbonInventory, settings: Any
) -> None:
    settings.PATHWAY_QUEUE_LIMIT = 1
    url = reverse("carbon:pathway", args=[stored.pk])
    client.get(url)
    data = _form_data(client, url)
    data["lever_grid_decarbonisation"] = 0.1
    busy = client.get(url, data)
    assert busy.status_code == 503 and 'id="pathway-busy"' in busy.content.decode()
    assert _queued() == 1


def test_a_failed_job_is_shown_with_its_reason(
    client: Any, stored: CarbonInventory, run_jobs: Any
) -> None:
    url = reverse("carbon:pathway", args=[stored.pk])
    client.get(url)
    CarbonInventory.objects.filter(pk=stored.pk).update(sha256="0" * 64)  # file replaced
    run_jobs()
    CarbonInventory.objects.filter(pk=stored.pk).update(sha256=stored.sha256)
    page = client.get(url).content.decode()
    assert 'id="pathway-failed"' in page and "inventory has changed" in page


def test_invalid_parameters_are_422_on_page_and_status(
    client: Any, stored: CarbonInventory
) -> None:
    url = reverse("carbon:pathway", args=[stored.pk])
    data = _form_data(client, url)
    data["lever_grid_decarbonisation"] = 7
    assert client.get(url, data).status_code == 422
    status = client.get(reverse("carbon:pathway_status", args=[stored.pk]), data)
    assert status.status_code == 422 and status.json()["status"] == "invalid"
    assert _queued() == 1  # only the first visit's default parameters
