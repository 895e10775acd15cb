"""Load benchmark of a large consultation (run by hand; not a test).

One process with 20,000 proposals placed on the map (points over Las Palmas de Gran Canaria),
120,000 supports by 10,000 participants and 80,000 comments (a quarter of them answers), all
illustrative and written in bulk; then a production-mode server (gunicorn, DEBUG off,
``ecocite-web serve``) loaded by ``wrk`` with 20 concurrent connections over loopback on the
process page, its map data (all markers, then filtered by heritage) and a proposal page. Goals:
p95 < 100 ms at 20 clients on 2 cores; the GeoJSON export of every proposal < 2 s.

    .venv/bin/python benchmarks/bench_consultations.py [--proposals 20000] [--seconds 20]
        [--data-dir FOLDER] [--write]

Needs the ``web`` extra and Debian's ``wrk`` (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench_web import WRK_SCRIPT, free_port, load, wait_until_up
from benchkit import DOCS, write_section

SLUG = "bench-large"
BBOX = (-15.46, 28.07, -15.40, 28.16)  # lon/lat around Las Palmas de Gran Canaria


def populate(n_proposals: int, n_people: int, n_supports: int, n_comments: int) -> None:
    """The process, its proposals, participants, supports and comments, in bulk."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from ecocite.web.accounts.models import Role, RoleKind, User
    from ecocite.web.cities.models import City
    from ecocite.web.consultations import services
    from ecocite.web.consultations.models import Heritage, Proposal, Status
    from ecocite.web.interactions.models import Comment, Support

    rng = random.Random(42)
    city = City.objects.create(
        slug="las-palmas-bench", name_fr="Las Palmas", name_zh="拉斯帕尔马斯",
        name_en="Las Palmas", country="ES", illustrative=True,
    )  # fmt: skip
    admin = User.objects.create_user("bench-admin", "a@example.org", "not-used-x1")
    Role.objects.create(user=admin, kind=RoleKind.ADMINISTRATOR)
    process = services.create_process(
        admin, city, services.standard_phases(timezone.now() - timedelta(days=40)), slug=SLUG,
        scale="territory", title_fr="Grande consultation", decision_fr="Plan",
        categories=["mobilité", "nature", "logement", "patrimoine"], illustrative=True,
    )  # fmt: skip
    people = User.objects.bulk_create(
        [User(username=f"bench{i:05d}", email=f"b{i}@example.org") for i in range(n_people)],
        batch_size=2000,
    )
    if not people[0].pk:
        people = list(User.objects.filter(username__startswith="bench0").order_by("pk"))
    heritage = [""] * 6 + list(Heritage.values)
    statuses = [Status.RECEIVED] * 5 + list(Status.values)
    rows = []
    for i in range(n_proposals):
        status = rng.choice(statuses)
        rows.append(
            Proposal(
                process=process, author=rng.choice(people), title=f"Proposition {i}",
                body="Texte illustratif de la proposition.", category=rng.choice(process.categories),
                heritage=rng.choice(heritage), status=status,
                answer="Réponse illustrative." if status != Status.RECEIVED else "",
                geometry={"type": "Point", "coordinates": [
                    round(rng.uniform(BBOX[0], BBOX[2]), 6), round(rng.uniform(BBOX[1], BBOX[3]), 6)
                ]},
                illustrative=True,
            )
        )  # fmt: skip
    Proposal.objects.bulk_create(rows, batch_size=2000)
    ids = list(Proposal.objects.filter(process=process).values_list("pk", flat=True))
    kind = ContentType.objects.get_for_model(Proposal)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < n_supports:
        pairs.add((rng.choice(people).pk, rng.choice(ids)))
    Support.objects.bulk_create(
        [Support(user_id=u, target_type=kind, target_id=p) for u, p in pairs], batch_size=5000
    )
    top = n_comments * 3 // 4
    Comment.objects.bulk_create(
        [Comment(author=rng.choice(people), target_type=kind, target_id=rng.choice(ids),
                 text="Commentaire illustratif.") for _ in range(top)],
        batch_size=5000,
    )  # fmt: skip
    firsts = list(Comment.objects.filter(target_type=kind).values_list("pk", "target_id"))
    answers = []
    for _ in range(n_comments - top):
        parent, target = rng.choice(firsts)
        answers.append(
            Comment(author=rng.choice(people), target_type=kind, target_id=target,
                    parent_id=parent, text="Réponse illustrative.")
        )  # fmt: skip
    Comment.objects.bulk_create(answers, batch_size=5000)


def in_process(paths: list[str], repeat: int = 20) -> dict[str, tuple[float, float]]:
    """Median time of each page through Django's test client: (cached, built afresh) in ms."""
    from django.core.cache import caches
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip, deflate")
    out = {}
    for path in paths:
        caches["fragments"].clear()
        t0 = time.perf_counter()
        assert client.get(path).status_code == 200, path
        cold = (time.perf_counter() - t0) * 1000
        warm = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            client.get(path)
            warm.append((time.perf_counter() - t0) * 1000)
        out[path] = (statistics.median(warm), cold)
    return out


def export_seconds() -> tuple[float, int, int]:
    """Best of 3: seconds, bytes and features of the GeoJSON export of every proposal."""
    import json

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    best, size, features = float("inf"), 0, 0
    for _ in range(3):
        t0 = time.perf_counter()
        response = client.get(f"/consultations/{SLUG}/proposals.geojson")
        best = min(best, time.perf_counter() - t0)
        size = len(response.content)
    features = len(json.loads(response.content)["features"])
    return best, size, features


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--proposals", type=int, default=20_000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--supports", type=int, default=120_000)
    parser.add_argument("--comments", type=int, default=80_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--data-dir", type=Path, default=None, help="reuse a populated folder")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="ecocite-bench-consult-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["ECOCITE_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecocite.web.settings"
    os.environ.pop("ECOCITE_DEBUG", None)
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from ecocite.web.consultations.models import Process, Proposal
    from ecocite.web.interactions.models import Comment, Support

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Process.objects.filter(slug=SLUG).exists():
        print(f"populating {data_dir} …", flush=True)
        t0 = time.perf_counter()
        populate(args.proposals, args.people, args.supports, args.comments)
        print(f"populated in {time.perf_counter() - t0:.0f} s", flush=True)
    (data_dir / "first-start-done").write_text("1")
    counts = (Proposal.objects.count(), Support.objects.count(), Comment.objects.count())
    middle = Proposal.objects.order_by("pk").values_list("pk", flat=True)[counts[0] // 2]
    pages = [
        ("process page (first 50 of the list)", f"/consultations/{SLUG}/"),
        ("process page, filtered (heritage, page 3)",
         f"/consultations/{SLUG}/?heritage=landscape&page=3"),
        (f"map data, all {counts[0]:,} markers (gzip)", f"/consultations/{SLUG}/map.geojson"),
        ("map data, filtered by heritage", f"/consultations/{SLUG}/map.geojson?heritage=landscape"),
        ("proposal page", f"/consultations/proposals/{middle}/"),
    ]  # fmt: skip

    load_before = os.getloadavg()
    service = in_process([p for _, p in pages])
    export = export_seconds()
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
        for label, path in pages:
            for _ in range(args.workers * 2):  # warm every worker's cache
                urllib.request.urlopen(base + path, timeout=120).read()
            stats = load(base + path, args.seconds, args.connections, script)
            results.append((label, path, stats))
            print(f"{label}: p50 {stats['p50']:.1f} ms, p95 {stats['p95']:.1f} ms, "
                  f"p99 {stats['p99']:.1f} ms, {stats['requests'] / stats['seconds']:.0f} req/s, "
                  f"errors {stats['errors']:.0f}", flush=True)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=20)
    load_after = os.getloadavg()

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    table = [
        "| page | in-process ms (cached / built afresh) | p50 ms | p95 ms | p99 ms | req/s | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, path, s in results:
        warm, cold = service[path]
        table.append(
            f"| {label} | {warm:.1f} / {cold:.0f} | {s['p50']:.1f} | **{s['p95']:.1f}** | "
            f"{s['p99']:.1f} | {s['requests'] / s['seconds']:.0f} | {s['errors']:.0f} |"
        )
    text = f"""## Consultations at scale

`benchmarks/bench_consultations.py` (run by hand): one process with {counts[0]:,} proposals placed
on the map, {counts[1]:,} supports by {args.people:,} participants and {counts[2]:,} comments
(a quarter of them answers), illustrative, written in bulk into SQLite (WAL); a production-mode
server (gunicorn {args.workers} workers × {args.threads} threads, `DEBUG` off) loaded by
Debian's `wrk` over loopback with {args.connections} connections for {args.seconds} s per page.
"In-process" is the median time of one request through Django's test client with its cache
warm, then the time with every cache emptied (the first visitor after a change). The proposal
list (50 a page) and the map data are cached per server process under the process's version
token, renewed by every write (a support shows at once); the map data is kept gzip-compressed.

{chr(10).join(table)}

GeoJSON export of every proposal (`proposals.geojson`, built on each download, best of 3):
**{export[0]:.2f} s** for {export[2]:,} features, {export[1] / 1024 / 1024:.1f} MiB (goal < 2 s).

Machine: {platform.machine()}, `nproc` = {os.cpu_count()}, Python {platform.python_version()};
{when}. Load average (1/5/15 min) before {load_before[0]:.1f} / {load_before[1]:.1f} /
{load_before[2]:.1f}, after {load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f} (the
machine is shared with other developers' tests and benchmarks). Goal: p95 < 100 ms at 20
clients on 2 cores.
"""
    print("\n" + text)
    if args.write:
        write_section(DOCS, "## Consultations at scale", text)


if __name__ == "__main__":
    main()
