"""Every page as a newcomer meets it, in French, Chinese and English, in Debian's Chromium on a
390 px phone screen: no known English interface text on French or Chinese pages, no page wider
than the screen, no raw ``**`` unit, no year written like a quantity, no raw framework key or
level id, and axe-core finds no serious or critical accessibility violation."""

from __future__ import annotations

import ast
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

import ecocite.web
from ecocite.carbon.demo import demo_activity_path
from ecocite.carbon.names import gpc_names, lever_texts
from ecocite.web.accounts.models import RoleKind
from ecocite.web.assessments.execution import execute
from ecocite.web.assessments.models import AssessmentRun
from ecocite.web.carbon.services import already_accepted
from ecocite.web.cities.models import City
from ecocite.web.core.capabilities import capabilities
from ecocite.web.datasets.models import Dataset
from ecocite.web.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
LANGS = {"fr": "fr", "zh-hans": "zh_Hans", "en": "en"}
LOCALE = Path(ecocite.web.__file__).parent / "locale"

# A year grouped like a quantity ("2,024", "2 024"), not part of a longer grouped number.
GROUPED_YEAR = re.compile(
    r"(?<![\d,.\u00a0\u202f])(?:2[,.\u00a0\u202f]0|1[,.\u00a0\u202f]9)\d\d(?!\d)(?![,\u00a0\u202f]\d{3})"
)
RAW_KEYS = re.compile(r"@\d+\.\d+\.\d+|\b(?:one|two|three)_star\b|\bdimensionless\b")
# Besides the interface catalogue: the English of the engines' translated data (GPC sectors,
# pathway levers) and phrases a newcomer reported seeing.
KNOWN_ENGLISH = ["you may not", "requested by", "emission wedges", "Monte Carlo"]
# The page as read in its own language: texts marked lang="en" (data that exist only in English,
# followed by "(in English)") and the language switcher are not counted.
READ_TEXT = """() => {
  const lang = document.documentElement.lang.slice(0, 2);
  const body = document.body.cloneNode(true);
  body.querySelectorAll(`script, style, select, [lang]:not([lang^="${lang}"])`)
    .forEach((e) => e.remove());
  return body.textContent;
}"""


def _catalogue(folder: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    msgid: str | None = None
    for line in (LOCALE / folder / "LC_MESSAGES" / "django.po").read_text("utf-8").splitlines():
        if line.startswith("msgid "):
            msgid = ast.literal_eval(line[6:])
        elif line.startswith("msgstr ") and msgid:
            entries[msgid] = ast.literal_eval(line[7:])
            msgid = None
    return entries


def english_ui_strings(folder: str) -> list[str]:
    """English interface texts that the catalogue of ``folder`` translates differently: finding
    one on a page in that language means a text escaped translation."""
    english, other = _catalogue("en"), _catalogue(folder)
    found = []
    for msgid, text in english.items():
        text = text or msgid
        if "%(" in text or "{" in text or len(text.split()) < 3:
            continue  # placeholders, and short phrases that data texts may hold ("not estimated")
        if other.get(msgid) and other[msgid] != text:
            found.append(text)
    data = [n["en"] for n in gpc_names().values() if n["en"] != n["fr"]]
    data += [t["en"] for t in lever_texts().values()]
    return [*found, *data, *KNOWN_ENGLISH]


def _platform(make_user: Any) -> dict[str, list[str]]:
    """The demo cities, values and carbon inventories, two finished assessments; the pages."""
    load_demo(assess=False, log=lambda _line: None)
    city = City.objects.get(slug="jingzhou")
    runs = []
    for year in (2023, 2024):
        run = AssessmentRun.objects.create(
            city=city,
            framework_key=Dataset.objects.first().framework_key,  # type: ignore[union-attr]
            stage="planning_design",
            year=year,
        )
        execute(run.pk)
        runs.append(run)
    # The demo keeps each city's carbon activity file as an inventory: its pages are walked.
    path = Path(demo_activity_path("jingzhou"))
    inventory = already_accepted(city, path.read_bytes())
    assert inventory is not None, "the demo load should keep Jingzhou's carbon inventory"
    dataset = Dataset.objects.filter(city=city).first()
    assert dataset is not None
    make_user("admin", (RoleKind.ADMINISTRATOR, None))
    make_user("resident", (RoleKind.RESIDENT, None))
    from ecocite.web.frameworks.registry import available_frameworks

    members = [
        reverse("core:home"),
        reverse("cities:list"),
        reverse("cities:detail", args=[city.slug]),
        reverse("datasets:upload", args=[city.slug]),
        reverse("assessments:new", args=[city.slug]),
        reverse("assessments:detail", args=[runs[-1].pk]),
        reverse("datasets:detail", args=[dataset.pk]),
        reverse("frameworks:list"),
        *[reverse("frameworks:detail", args=[key]) for key in available_frameworks()],
        reverse("frameworks:upload"),
        reverse("carbon:index"),
        reverse("carbon:city", args=[city.slug]),
        reverse("carbon:inventory", args=[inventory.pk]),
        reverse("carbon:pathway", args=[inventory.pk]),
        reverse("accounts:profile"),
        reverse("accounts:roles"),
        "/no-such-page/",
    ]
    # Every capability's menu page too, so that a new app is walked without editing this test
    # (the API docs are Swagger UI's own page, in English).
    for capability in capabilities():
        for entry in capability.menu:
            if entry.url_name != "api:docs" and reverse(entry.url_name) not in members:
                members.append(reverse(entry.url_name))
    visitors = [
        reverse("accounts:login"),
        reverse("accounts:signup"),
        reverse("accounts:password_reset"),
    ]
    refused = [reverse("assessments:new", args=[city.slug])]
    return {"admin": members, "": visitors, "resident": refused}


def _sign_in(page: Any, base: str, name: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", password)
    page.click("#signin-submit")
    page.wait_for_url(f"{base}/")


def _problems(page: Any, url: str, lang: str, english: list[str], axe: Any) -> list[str]:
    found = []
    text = page.inner_text("body")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"] + 1:
        found.append(f"{width} px wide")
    if "**" in text:
        found.append("raw ** unit")
    if GROUPED_YEAR.search(text):
        found.append(f"year with a separator: {GROUPED_YEAR.search(text).group(0)!r}")  # type: ignore[union-attr]
    if RAW_KEYS.search(text):
        found.append(f"raw key: {RAW_KEYS.search(text).group(0)!r}")  # type: ignore[union-attr]
    if lang != "en":
        own = page.evaluate(READ_TEXT)
        leaks = sorted({s for s in english if s in own})
        if leaks:
            found.append(f"English: {leaks[:5]}")
    # The full axe-core run in every language: texts differ in length and script, and a label or
    # a contrast can fail in one language only.
    results = axe.run(page, options={"resultTypes": ["violations"]})
    serious = [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}×)"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    if serious:
        found.append(f"axe: {serious}")
    return [f"{lang} {url}: {p}" for p in found]


def test_every_page_in_three_languages(
    browser: Any, live_server: Any, make_user: Any, password: str, tmp_path: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    pages = _platform(make_user)
    english = {lang: english_ui_strings(folder) for lang, folder in LANGS.items()}
    base = live_server.url
    problems: list[str] = []
    # ECOCITE_SCREENSHOTS=<folder> keeps a phone-size screenshot of every page, for looking at.
    shots = (
        Path(os.environ["ECOCITE_SCREENSHOTS"]) if os.environ.get("ECOCITE_SCREENSHOTS") else None
    )
    for who, urls in pages.items():
        for lang in LANGS:
            context = browser.new_context(viewport=PHONE, locale=lang)
            page = context.new_page()
            page.set_default_timeout(30_000)
            if who:
                _sign_in(page, base, who, password)
            page.goto(f"{base}/")
            if page.locator("html").get_attribute("lang") != lang:
                with page.expect_navigation():
                    page.select_option("#language-select", lang)
            for url in urls:
                page.goto(base + url)
                assert page.locator("html").get_attribute("lang") == lang, (lang, url)
                problems += _problems(page, url, lang, english[lang], axe)
                if shots:
                    name = re.sub(r"[^a-z0-9]+", "-", url.strip("/")) or "home"
                    page.screenshot(path=str(shots / f"{lang}-{who or 'visitor'}-{name}.png"))
            context.close()
    assert problems == [], "\n".join(problems)
