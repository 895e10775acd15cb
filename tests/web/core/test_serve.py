"""The one command: a fresh data folder, migrations, demo, a generated admin password printed
once, a production-mode server with its job worker; a second start reuses everything."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(data_dir: Path, port: int) -> tuple[subprocess.Popen[str], str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ECOCITE_", "DJANGO_", "DATABASE_URL"))
    } | {"ECOCITE_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "ecocite.web", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    lines = []
    deadline = time.time() + 240
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "EcoCité on http" in line:
            break
    output = "".join(lines)
    assert f"http://127.0.0.1:{port}/" in output, output
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            break
        except OSError:
            time.sleep(0.3)
    return process, output


def _stop(process: subprocess.Popen[str]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def test_one_command_start(tmp_path: Path) -> None:
    port = _free_port()
    process, output = _start(tmp_path, port)
    try:
        password = re.search(r"password:\s+(\S+)", output)
        assert password and len(password.group(1)) >= 16
        base = f"http://127.0.0.1:{port}"
        home = urllib.request.urlopen(f"{base}/").read().decode()
        assert "<html lang=" in home
        cities = urllib.request.urlopen(f"{base}/api/v1/cities/").read().decode()
        assert '"count":7' in cities.replace(" ", "")  # six demo cities and Las Palmas
        city = urllib.request.urlopen(f"{base}/cities/jingzhou/").read().decode()
        assert "/assessments/" in city  # the demo assessments are there
        static = urllib.request.urlopen(f"{base}/static/ecocite/vendor/leaflet/leaflet.js")
        assert static.status == 200
    finally:
        _stop(process)
    assert (tmp_path / "ecocite.sqlite3").exists() and (tmp_path / "secret_key").exists()

    again, output = _start(tmp_path, port)
    _stop(again)
    assert "password:" not in output  # printed once, on the first start only
