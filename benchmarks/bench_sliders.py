"""Load benchmark of the scenario sliders (run by hand; not a test). Loopback only.

A production-mode server (gunicorn, DEBUG off) on the demo Vegueta site; ``wrk`` with 20
connections asks ``/sliders/<id>/evaluate.json`` with a different slider position on every
request (what a person moving a slider sends). Goal: p95 < 50 ms per slider change. The engine
alone (``ecocite.scenario.evaluate``) is timed in-process too.

    .venv/bin/python benchmarks/bench_sliders.py [--seconds 20]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bench_web import free_port, load, wait_until_up
from benchkit import DOCS, write_section

HEADING = "## Scenario sliders"

# wrk: every request moves the density and green-share sliders to a new position.
WRK_SCRIPT = """
counter = 0
request = function()
  counter = counter + 1
  local density = 10 + (counter * 7) % 590
  local green = (counter * 3) % 60
  return wrk.format("GET", wrk.path .. "?density=" .. density .. "&green_share=" .. green)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT p50=%.2f p95=%.2f p99=%.2f max=%.2f requests=%d errors=%d seconds=%.2f\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
      + summary.errors.timeout, summary.duration / 1e6))
end
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    data_dir = Path(tempfile.mkdtemp(prefix="ecocite-bench-sliders-"))
    os.environ.update(ECOCITE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="ecocite.web.settings")
    os.environ.pop("ECOCITE_DEBUG", None)
    import django

    django.setup()
    from django.core.management import call_command

    from ecocite.frameworks import get_framework
    from ecocite.scenario import evaluate
    from ecocite.web.demo import load_demo
    from ecocite.web.sliders.models import SliderSite

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_demo(assess=False, log=lambda _m: None)
    (data_dir / "first-start-done").write_text("1")
    site = SliderSite.objects.get()
    engine_site, framework = site.site, get_framework("sino-french-ecocity")
    times = []
    for i in range(300):
        t0 = time.perf_counter()
        evaluate(engine_site, {"density": 10 + (i * 7) % 590, "green_share": (i * 3) % 60},
                 facilities=("kindergarten",), framework=framework)  # fmt: skip
        times.append((time.perf_counter() - t0) * 1000)
    engine_ms = statistics.median(times)
    load_before = os.getloadavg()[0]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "ecocite.web", "serve", "--no-demo", "--no-worker",
         "--port", str(port), "--workers", str(args.workers), "--threads", str(args.threads)],
        env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    path = f"/sliders/{site.pk}/evaluate.json"
    try:
        wait_until_up(base + path)
        urllib.request.urlopen(base + path).read()
        script = data_dir / "sliders.lua"
        script.write_text(WRK_SCRIPT)
        stats = load(base + path, args.seconds, args.connections, script)
    finally:
        server.terminate()
        server.wait(timeout=20)
    text = f"""{HEADING}

`benchmarks/bench_sliders.py`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()} with
{os.cpu_count()} cores (load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after),
SQLite, gunicorn {args.workers} workers × {args.threads} threads, `wrk` with {args.connections}
connections for {args.seconds} s on `{path}`, every request a new slider position (the demo
Vegueta site, illustrative figures). Goal: p95 < 50 ms per slider change.

| measure | value |
|---|---|
| engine alone, median of 300 evaluations (ms) | {engine_ms:.2f} |
| p50 (ms) | {stats["p50"]:.1f} |
| p95 (ms) | {stats["p95"]:.1f} |
| p99 (ms) | {stats["p99"]:.1f} |
| requests per second | {stats["requests"] / stats["seconds"]:.0f} |
| errors | {stats["errors"]:.0f} |
"""
    print(text)
    if not args.no_write:
        write_section(DOCS, HEADING, text)


if __name__ == "__main__":
    main()
