"""Regenerate the screenshots of the web platform in docs/screenshots/ (run by hand).

Starts the platform on a fresh data folder (demo cities, data and assessments loaded as on a
first start), signs in as a demo city official and photographs the key pages in Debian's
Chromium through Playwright (headless; no browser is downloaded).

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
USER, PASSWORD = "official", "screenshots-only-passphrase"
# Python packages that ship a Simplified Chinese font; used when the system has none, so that the
# Chinese screenshots show Chinese rather than empty boxes.
CJK_FONT_PACKAGES = ("pylopdf_fonts_zh_cn",)


def cjk_font_env() -> dict[str, str]:
    """``FONTCONFIG_FILE`` for Chromium adding a packaged CJK font folder, if the system has no
    CJK font; nothing otherwise."""
    import importlib.util

    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    if listed.stdout.strip():
        return {}
    for name in CJK_FONT_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            folder = next(iter(spec.submodule_search_locations))
            conf = Path(tempfile.mkdtemp()) / "fonts.conf"
            conf.write_text(
                '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                f"<dir>{folder}</dir></fontconfig>",
                encoding="utf-8",
            )
            return {"FONTCONFIG_FILE": str(conf)}
    print("warning: no CJK font found; Chinese screenshots will show empty boxes", file=sys.stderr)
    return {}


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="ecocite-screenshots-"))
    env = os.environ | {
        "ECOCITE_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "ecocite.web.settings",
    }
    os.environ.update(env)
    import django

    django.setup()
    from ecocite.web.accounts.models import Role, RoleKind, User
    from ecocite.web.cities.models import City
    from ecocite.web.serve import prepare

    prepare(demo=True)
    user = User.objects.create_user(USER, "official@example.org", PASSWORD)
    Role.objects.create(
        user=user, kind=RoleKind.CITY_OFFICIAL, city=City.objects.get(slug="jingzhou")
    )

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "ecocite.web", "serve", "--port", str(port), "--workers", "1"],
        env=env,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        shoot(base)
    finally:
        server.terminate()
        server.wait(timeout=20)


def shoot(base: str) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    bad = "city,year,indicator,value,unit,source,quality,verified\n" + "\n".join(
        [
            "jingzhou,2020,no_such_indicator,1,%,survey,high,yes",
            "jingzhou,twenty,life_circle_15min_coverage,40,%,survey,high,yes",
            "jingzhou,2020,life_circle_15min_coverage,lots,%,survey,medium,no",
            "jingzhou,2020,life_circle_15min_coverage,40,kg,survey,best,maybe",
        ]
    )
    bad_file = Path(tempfile.mkdtemp()) / "bad.csv"
    bad_file.write_text(bad + "\n", encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=FLAGS, env=os.environ | cjk_font_env()
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", USER)
        page.fill("#id_password", PASSWORD)
        page.click("#signin-submit")
        page.wait_for_url(f"{base}/")

        def language(code: str) -> None:
            with page.expect_navigation():
                page.select_option("#language-select", code)

        language("fr")
        page.wait_for_selector("#map[data-loaded]")
        # The offline base layer arrives after the cities (a larger file): wait for its outlines.
        page.wait_for_selector(".leaflet-basemap-pane path", state="attached")
        page.wait_for_timeout(500)
        page.screenshot(path=str(OUT / "portfolio-fr.png"), full_page=True)
        language("zh-hans")
        page.goto(f"{base}/cities/jingzhou/")
        page.screenshot(path=str(OUT / "city-zh.png"), full_page=True)
        latest = page.locator("table a[href^='/assessments/']").first.get_attribute("href")
        page.goto(base + str(latest))
        page.screenshot(path=str(OUT / "assessment-zh.png"), full_page=True)
        language("fr")  # the same page on a 390 px phone: tables scroll inside their box
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(OUT / "assessment-phone-fr.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        language("en")
        page.goto(f"{base}/no-such-page/")
        page.screenshot(path=str(OUT / "not-found-en.png"))
        page.goto(f"{base}/cities/jingzhou/upload/")
        page.set_input_files("#id_file", str(bad_file))
        page.click("#upload-submit")
        page.wait_for_selector("#upload-errors")
        page.screenshot(path=str(OUT / "upload-errors-en.png"), full_page=True)
        page.goto(f"{base}/frameworks/")
        page.click("table a")
        page.set_viewport_size({"width": 1280, "height": 1400})
        page.screenshot(path=str(OUT / "framework-en.png"))
        browser.close()
    print("screenshots written to", OUT.relative_to(REPO))


if __name__ == "__main__":
    main()
