"""Load benchmark of the library of cases (run by hand; not a test). Loopback only.

10,000 illustrative cases over 300 cities in three countries and three languages; a
production-mode server (gunicorn, DEBUG off, ``ecocite-web serve``) is loaded by ``wrk`` with 20
concurrent connections on the library with filters (theme + language + scale, text search in
every language, city size + heritage) and the API's filtered list. Goal: p95 < 100 ms on 2 cores.

    .venv/bin/python benchmarks/bench_cases.py [--cases 10000] [--seconds 20]

Needs the ``web`` extra and Debian's ``wrk`` (apt-get install wrk). Results go to
docs/benchmarks.md ("Library of cases").
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench_web import WRK_SCRIPT, free_port, load, service_times, wait_until_up
from benchkit import DOCS, write_section

HEADING = "## Library of cases (communities of practice)"


def populate(n_cases: int, n_cities: int = 300, seed: int = 7) -> None:
    """Cities and cases in bulk (the figures are random: the search, not the figures, is timed)."""
    from ecocite.web.cities.models import City
    from ecocite.web.community.models import Case, Method, Theme
    from ecocite.web.community.services import _facets
    from ecocite.web.consultations.models import Scale

    rng = random.Random(seed)
    countries = ["CN", "FR", "ES"]
    City.objects.bulk_create(
        City(slug=f"bench-{i}", name_fr=f"Ville {i}", name_zh=f"城市{i}", name_en=f"City {i}",
             country=countries[i % 3], illustrative=True)
        for i in range(n_cities)
    )  # fmt: skip
    cities = list(City.objects.order_by("pk"))
    words_fr = ["berges", "parc", "patrimoine", "mobilité", "école", "marché", "îlot", "rue"]
    words_zh = ["滨江", "公园", "遗产", "出行", "学校", "市场", "街区", "街道"]
    words_en = ["riverside", "park", "heritage", "mobility", "school", "market", "block", "street"]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    batch = []
    for i in range(n_cases):
        k = rng.randrange(len(words_fr))
        langs = rng.sample(["fr", "zh", "en"], rng.randint(1, 3))
        case = Case(
            slug=f"case-{i}",
            city=cities[i % len(cities)],
            scale=rng.choice(Scale.values),
            title_fr=f"Cas {i} : {words_fr[k]}" if "fr" in langs else "",
            title_zh=f"案例{i}：{words_zh[k]}" if "zh" in langs else "",
            title_en=f"Case {i}: {words_en[k]}" if "en" in langs else "",
            question_fr="Que faire ?" if "fr" in langs else "",
            lessons_en="Start early." if "en" in langs else "",
            methods=rng.sample(Method.values, rng.randint(1, 4)),
            themes=rng.sample(Theme.values, rng.randint(1, 3)),
            heritage=rng.random() < 0.3,
            population=rng.choice([50_000, 400_000, 2_000_000, 8_000_000]),
            figures={"participants": rng.randint(10, 5000), "proposals": rng.randint(0, 800)},
            published_at=start + timedelta(hours=i),
            illustrative=True,
        )
        case.facets = _facets(case)
        batch.append(case)
    Case.objects.bulk_create(batch, batch_size=1000)


def pages() -> list[tuple[str, str]]:
    return [
        ("library, no filter", "/community/cases/"),
        ("theme + language + scale", "/community/cases/?theme=water&language=zh&scale=operation"),
        ("text search (Chinese)", "/community/cases/?q=%E6%BB%A8%E6%B1%9F"),
        ("city size + heritage + country", "/community/cases/?city_size=large&heritage=yes&country=FR"),
        ("API, theme + method", "/api/v1/cases/?theme=mobility&method=survey"),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")

    data_dir = Path(tempfile.mkdtemp(prefix="ecocite-bench-cases-"))
    os.environ["ECOCITE_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecocite.web.settings"
    os.environ.pop("ECOCITE_DEBUG", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    populate(args.cases)
    print(f"populated {args.cases} cases in {time.perf_counter() - t0:.0f} s", flush=True)
    (data_dir / "first-start-done").write_text("1")

    load_before = os.getloadavg()[0]
    service = service_times([p for _, p in pages()], repeat=20)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "ecocite.web", "serve", "--no-demo", "--no-worker",
         "--port", str(port), "--workers", str(args.workers), "--threads", str(args.threads)],
        env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    results = []
    try:
        wait_until_up(f"{base}/community/cases/")
        script = data_dir / "p95.lua"
        script.write_text(WRK_SCRIPT)
        for label, path in pages():
            urllib.request.urlopen(base + path).read()
            stats = load(base + path, args.seconds, args.connections, script)
            results.append((label, path, stats))
            print(f"{label}: p95 {stats['p95']:.1f} ms, errors {stats['errors']:.0f}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=20)
    load_after = os.getloadavg()[0]

    rows = "\n".join(
        f"| {label} | `{path}` | {service[path]:.1f} | {s['p50']:.1f} | {s['p95']:.1f} | "
        f"{s['p99']:.1f} | {s['requests'] / s['seconds']:.0f} | {s['errors']:.0f} |"
        for label, path, s in results
    )
    text = f"""{HEADING}

`benchmarks/bench_cases.py`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()} with
{os.cpu_count()} cores (load average {load_before:.1f} before, {load_after:.1f} after), SQLite,
gunicorn {args.workers} workers × {args.threads} threads, `wrk` with {args.connections}
connections for {args.seconds} s per page; {args.cases:,} illustrative cases over 300 cities.
*In-process* is the median time of one request through Django's test client (warm).
Goal: p95 < 100 ms.

| page | path | in-process ms | p50 ms | p95 ms | p99 ms | req/s | errors |
|---|---|---|---|---|---|---|---|
{rows}
"""
    print(text)
    if not args.no_write:
        write_section(DOCS, HEADING, text)


if __name__ == "__main__":
    main()
