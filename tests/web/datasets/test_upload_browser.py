"""In Debian's Chromium on a 390 px phone screen, in French, Chinese and English: download a
template, fill it in, upload it, wait while the worker checks it, read the preview, confirm;
then enter a value by hand. Every page fits the screen and axe-core finds no serious or critical
violation. ``ECOCITE_SCREENSHOTS=<folder>`` keeps a screenshot of each step."""

from __future__ import annotations

import io
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from ecocite.web.accounts.models import RoleKind
from ecocite.web.datasets.models import Dataset

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
# Words each language's pages must show (the preview's heading and the confirm button).
SAID = {
    "fr": ("Ce qui sera importé", "Confirmer l'import", "Vérification de votre fichier"),
    "zh-hans": ("将要导入的内容", "确认导入", "正在检查您的文件"),
    "en": ("What will be imported", "Confirm the import", "Checking your file"),
}


@pytest.fixture
def worker(transactional_db: Any) -> Iterator[None]:
    """The background-job worker, as ``ecocite-web worker`` runs it, in a thread."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    job_worker = Worker(
        queue_names=["default"], interval=0.2, batch=False, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="upload-browser", excluded_queue_names=[],
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


def _check(page: Any, axe: Any, where: str) -> list[str]:
    found = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"] + 1:
        found.append(f"{where}: {width} px wide")
    results = axe.run(page, options={"resultTypes": ["violations"]})
    serious = [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}×)"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    if serious:
        found.append(f"{where}: axe {serious}")
    return found


def _fill(path: Path) -> Path:
    """Fill in the first two rows of a downloaded XLSX template (at the lower allowed bound)."""
    table = pd.read_excel(path, dtype=str, keep_default_na=False)
    table.loc[0, ["value", "source", "quality", "verified"]] = ["3.5", "survey", "high", "yes"]
    table.loc[1, ["value", "source", "quality", "verified"]] = ["1", "survey", "medium", "no"]
    out = path.with_name("filled-" + path.name)
    buffer = io.BytesIO()
    table.to_excel(buffer, index=False)
    out.write_bytes(buffer.getvalue())
    return out


def test_template_upload_preview_confirm_in_three_languages(
    browser: Any, live_server: Any, worker: None, make_user: Any, city: Any, password: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    make_user("official", (RoleKind.CITY_OFFICIAL, city))
    base = live_server.url
    shots = (
        Path(os.environ["ECOCITE_SCREENSHOTS"]) if os.environ.get("ECOCITE_SCREENSHOTS") else None
    )
    problems: list[str] = []
    for n, lang in enumerate(SAID):
        context = browser.new_context(viewport=PHONE, locale=lang, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "official")
        page.fill("#id_password", password)
        page.click("#signin-submit")
        page.wait_for_url(f"{base}/")
        if page.locator("html").get_attribute("lang") != lang:
            with page.expect_navigation():
                page.select_option("#language-select", lang)

        def shot(step: str, lang: str = lang, page: Any = page) -> None:
            if shots:
                page.screenshot(path=str(shots / f"upload-{lang}-{step}.png"), full_page=True)

        # The template, for the year of this round.
        page.goto(f"{base}/cities/{city.slug}/upload/")
        problems += _check(page, axe, f"{lang} upload page")
        shot("1-upload")
        page.fill("#id_template-year", str(2020 + n))
        with page.expect_download() as download:
            page.click("#template-download")
        template = tmp_path / f"{lang}-{download.value.suggested_filename}"
        download.value.save_as(template)
        assert template.name.endswith(f"-{2020 + n}.xlsx")

        # Upload it filled in: "checking your file…", then the preview.
        page.set_input_files("#id_file", str(_fill(template)))
        page.click("#upload-submit")
        page.wait_for_url(re.compile(r"/datasets/uploads/\d+/$"))
        text = page.inner_text("main")
        if "upload-preview" not in page.content():
            assert SAID[lang][2] in text
        page.wait_for_selector("#upload-confirm", timeout=60_000)
        preview = page.inner_text("#upload-preview")
        assert SAID[lang][0] in preview
        assert page.locator("#upload-sample tbody tr").count() == 2
        assert page.inner_text("button#upload-confirm") == SAID[lang][1]
        problems += _check(page, axe, f"{lang} preview")
        shot("2-preview")

        # Confirm: imported by the worker, then the dataset's page with its history.
        page.click("#upload-confirm")
        page.wait_for_url(re.compile(r"/datasets/\d+/$"), timeout=60_000)
        assert page.locator("#dataset-history tbody tr").count() == 1
        problems += _check(page, axe, f"{lang} dataset")
        shot("3-dataset")

        # The manual entry page.
        page.goto(f"{base}/cities/{city.slug}/enter/")
        problems += _check(page, axe, f"{lang} entry")
        shot("4-entry")
        context.close()
    assert problems == [], "\n".join(problems)
    assert Dataset.objects.count() == 3
    assert sorted(Dataset.objects.values_list("years", flat=True)) == ["2020", "2021", "2022"]
