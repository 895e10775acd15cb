"""A real user in Debian's Chromium (headless, through Playwright): sign in, switch to Chinese,
upload a bad file and read the errors, upload a good one, preview and confirm it, run an
assessment, open the report."""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ecocite.web.accounts.models import RoleKind

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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
        worker_id="browser-test",
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


def test_user_journey(
    browser: Any,
    live_server: Any,
    worker: None,
    make_user: Any,
    city: Any,
    password: str,
    good_csv: bytes,
    bad_csv: bytes,
    tmp_path: Path,
) -> None:
    make_user("official", (RoleKind.CITY_OFFICIAL, city))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(bad_csv)
    good = tmp_path / "jingzhou-2019-2020.csv"
    good.write_bytes(good_csv)

    page = browser.new_page(locale="en-GB")
    page.set_default_timeout(30_000)
    base = live_server.url

    # Sign in.
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "official")
    page.fill("#id_password", password)
    page.click("#signin-submit")
    page.wait_for_url(f"{base}/")
    assert "official" in page.locator(".account").inner_text().split("\n")  # signed in

    # Switch to Chinese.
    with page.expect_navigation():
        page.select_option("#language-select", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "生态城市总览" in page.inner_text("h1")

    # A bad file: checked by the worker meanwhile ("checking your file…"), then the errors are
    # listed row by row, nothing is saved.
    page.goto(f"{base}/cities/{city.slug}/")
    assert page.inner_text("h1").startswith("荆州市")
    page.click("text=上传数据")
    page.set_input_files("#id_file", str(bad))
    page.click("#upload-submit")
    errors = page.locator("#upload-errors")
    errors.wait_for(timeout=60_000)
    assert "文件被拒绝" in errors.inner_text()
    rows = errors.locator("tbody tr")
    assert rows.count() == 3
    assert "no_such_indicator" in rows.nth(0).inner_text()

    # A good file: its preview, then Confirm imports it.
    page.goto(f"{base}/cities/{city.slug}/upload/")
    page.set_input_files("#id_file", str(good))
    page.click("#upload-submit")
    page.wait_for_selector("#upload-confirm", timeout=60_000)
    assert "将导入" in page.inner_text("#upload-preview")
    page.click("#upload-confirm")
    page.wait_for_url(re.compile(r"/datasets/\d+/$"), timeout=60_000)
    assert "已接受" in page.inner_text(".message")

    # An assessment, run in the background with a progress bar, then its report.
    page.goto(f"{base}/cities/{city.slug}/assess/")
    page.select_option("#id_year", "2020")
    page.click("#assess-submit")
    page.wait_for_selector("#report-html", timeout=60_000)
    assert "评级理由" in page.inner_text("main")
    assert page.locator("svg.radar polygon").count() >= 2
    with page.expect_navigation():
        page.click("#report-html")
    report = page.content()
    assert "荆州市" in report and "得分" in report
    page.close()
