"""Production mode (``ECOCITE_HTTPS=1``): ``check --deploy`` is clean and HSTS lasts a year.

Settings are read once per process, so production mode is checked in a child process with the
environment an operator would set (docs/web.md, production checklist)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ONE_YEAR = 365 * 24 * 3600


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ECOCITE_", "DJANGO_"))}
    env.update(
        ECOCITE_DATA_DIR=str(tmp_path),
        ECOCITE_HTTPS="1",
        ECOCITE_ALLOWED_HOSTS="ecocite.example.org",
        DJANGO_SETTINGS_MODULE="ecocite.web.settings",
        **extra,
    )
    return env


def test_check_deploy_is_clean_in_https_mode(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "DEBUG"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues (0 silenced)" in done.stdout


@pytest.mark.parametrize(
    ("extra", "header"),
    [
        ({}, f"max-age={ONE_YEAR}; includeSubDomains; preload"),
        ({"ECOCITE_HSTS_PRELOAD": "0", "ECOCITE_HSTS_SUBDOMAINS": "0"}, f"max-age={ONE_YEAR}"),
    ],
)
def test_hsts_header_over_https(tmp_path: Path, extra: dict[str, str], header: str) -> None:
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/api/v1/', secure=True, HTTP_HOST='ecocite.example.org')\n"
        "print(r.status_code, r.headers.get('Strict-Transport-Security'))\n"
        "r = Client().get('/api/v1/', HTTP_HOST='ecocite.example.org')\n"
        "print(r.status_code, r.headers.get('Location'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=_production_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    secure, plain = done.stdout.strip().splitlines()[-2:]
    assert secure == f"200 {header}"
    assert plain == "301 https://ecocite.example.org/api/v1/"
