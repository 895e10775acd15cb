"""A city named like an HTML payload stays text on every map and chart (Debian's Chromium).

The name reaches the portfolio map (label, dot tooltip and popup), the city page (title, outline map), the
assessment page (radar chart) and the carbon pages (inventory, pathway charts). No dialog may
open, no element of the payload may exist in any page, and the Content-Security-Policy must not
have to block anything of ours."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def worker(transactional_db: Any) -> Iterator[None]:
    """The background-job worker, as ``ecocite-web worker`` runs it, in a thread."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    job_worker = Worker(
        queue_names=["default"], interval=0.2, batch=False, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="hostile-names", excluded_queue_names=[],
    )  # fmt: skip

    def run() -> None:
        try:
            job_worker.run()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield
    job_worker.running = False
    thread.join(timeout=5)


def test_hostile_city_name_stays_text(
    browser: Any, live_server: Any, city: Any, good_csv: bytes, framework_key: str, worker: None
) -> None:
    from ecocite.carbon import demo_activity_path
    from ecocite.web.assessments.execution import execute
    from ecocite.web.assessments.models import AssessmentRun
    from ecocite.web.carbon.services import import_activity
    from ecocite.web.datasets.services import import_upload

    type(city).objects.filter(pk=city.pk).update(name_fr=HOSTILE, name_zh=HOSTILE, name_en=HOSTILE)
    import_upload("v.csv", good_csv, city=city, framework_key=framework_key, user=None)
    run = AssessmentRun.objects.create(
        city=city, framework_key=framework_key, stage="planning_design", year=2020
    )
    execute(run.pk)
    activity = Path(demo_activity_path("jingzhou"))
    record = import_activity(
        activity.name, activity.read_bytes(), city=city, gwp_set="ar6", user=None
    )

    page = browser.new_page(locale="en-GB")
    page.set_default_timeout(30_000)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: (
            blocked.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None
        ),
    )
    base = live_server.url

    def payload_elements() -> int:
        return int(
            page.evaluate("document.querySelectorAll('img[src=\"x\"], img[onerror]').length")
        )

    # The portfolio map: each city's name is a label beside its dot, and the dot (a keyboard
    # stop) names the city in its tooltip on focus; both must hold the payload as text.
    page.goto(f"{base}/")
    page.wait_for_selector("#map[data-loaded='1']")
    label = page.locator("#map .city-label")
    assert label.count() == 1
    assert label.text_content() == HOSTILE
    assert label.locator("*").count() == 0  # text only: no element was built from the name
    dot = page.locator("#map .city-dot")
    assert HOSTILE in (dot.get_attribute("aria-label") or "")
    dot.focus()
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert tooltip.inner_text() == HOSTILE
    assert tooltip.locator("img").count() == 0
    assert payload_elements() == 0
    page.locator("#map path.leaflet-interactive").first.click(force=True)
    popup = page.locator(".leaflet-popup-content a")
    assert popup.inner_text() == HOSTILE
    assert payload_elements() == 0

    pages = [
        f"{base}/cities/",
        f"{base}/cities/{city.slug}/",
        f"{base}/assessments/{run.pk}/",
        f"{base}/carbon/",
        f"{base}/carbon/inventories/{record.pk}/",
        f"{base}/carbon/inventories/{record.pk}/pathway/",
    ]
    for url in pages:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert payload_elements() == 0, url
        assert HOSTILE in page.inner_text("body"), url
    page.goto(f"{base}/cities/{city.slug}/")
    assert page.locator("#map .leaflet-interactive").count() >= 1  # the outline map still draws
    page.goto(f"{base}/assessments/{run.pk}/")
    assert page.locator("svg.radar").count() == 1
    # The pathway: computed by the worker; the page shows progress, then reloads with the charts.
    page.goto(f"{base}/carbon/inventories/{record.pk}/pathway/")
    page.wait_for_selector("svg[role='img']", timeout=120_000)
    assert page.locator("#progress-box").count() == 0
    assert payload_elements() == 0

    # The API's documentation page runs under the same policy (its start-up script is a file).
    page.goto(f"{base}/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=60_000)

    assert dialogs == []
    assert blocked == []
