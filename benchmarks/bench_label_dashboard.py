"""Load benchmark of the label programme dashboard (run by hand; not a test).

One programme with 300 applications spread over every stage (with their reviews, ballots,
actions and linked consultations, illustrative), served by a production-mode server (gunicorn,
DEBUG off) and loaded by ``wrk`` with 20 concurrent connections signed in as the secretariat.
Goal: p95 < 100 ms on 2 cores.

    .venv/bin/python benchmarks/bench_label_dashboard.py [--applications 300] [--seconds 20]

Needs the ``web`` extra and Debian's ``wrk`` (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_web import WRK_SCRIPT, free_port, wait_until_up

STAGES = [
    "commitment", "diagnostic", "co_construction", "expert_review", "jury", "labelled",
    "refused", "monitoring", "confirmed",
]  # fmt: skip


def populate(n: int) -> str:
    """Create the programme, its people and ``n`` applications; return the secretariat's name."""
    from django.contrib.auth import get_user_model

    from ecocite.web.accounts.models import Role, RoleKind
    from ecocite.web.cities.models import City
    from ecocite.web.consultations.models import PlanAction, Process
    from ecocite.web.frameworks.registry import default_framework_key
    from ecocite.web.label.models import (
        Action,
        Application,
        Ballot,
        Call,
        Deadline,
        LinkedProcess,
        Member,
        Programme,
        Review,
    )

    users = get_user_model().objects
    programme = Programme.objects.create(
        slug="bench", name_fr="Programme (banc d'essai)", framework_key=default_framework_key(),
        assessment_stage="planning_design", illustrative=True,
    )  # fmt: skip
    for i, stage in enumerate(STAGES):
        Deadline.objects.create(programme=programme, stage=stage, due_on=date(2030, 1, 1 + i))
    secretariat = users.create_user("bench-secretariat", "s@example.org", "bench-password")
    Role.objects.create(user=secretariat, kind=RoleKind.SECRETARIAT, scope=programme)
    pool = {
        side: [users.create_user(f"bench-{side}-{k}") for k in range(10)] for side in ("fr", "cn")
    }
    for side, people in pool.items():
        for user in people:
            Member.objects.create(programme=programme, user=user, kind="assessor", side=side)
    jury = [users.create_user(f"bench-jury-{k}") for k in range(5)]
    for k, user in enumerate(jury):
        Member.objects.create(programme=programme, user=user, kind="chair" if k == 0 else "juror")
    call = Call.objects.create(
        programme=programme, slug="bench-call", title_fr="Appel", opens_on=date(2020, 1, 1),
        closes_on=date(2030, 1, 1),
    )  # fmt: skip
    for i in range(n):
        city = City.objects.create(
            slug=f"bench-{i}", name_fr=f"Ville {i}", name_zh=f"城市{i}", name_en=f"City {i}",
            country="CN", illustrative=True,
        )  # fmt: skip
        stage = STAGES[i % len(STAGES)]
        app = Application.objects.create(
            call=call, city=city, stage=stage, charter_sha256="0" * 64, illustrative=True,
            pilot_site={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
        )  # fmt: skip
        if STAGES.index(stage) >= 2:
            for scale, kind in (("city", "territory"), ("pilot_site", "operation")):
                process = Process.objects.create(
                    slug=f"bench-{i}-{scale}", city=city, scale=kind, title_fr="Concertation",
                    decision_fr="Plan", illustrative=True,
                )  # fmt: skip
                LinkedProcess.objects.create(application=app, process=process, scale=scale)
            for k in range(3):
                action = PlanAction.objects.create(city=city, title_fr=f"Action {k}")
                Action.objects.create(
                    application=app, plan_action=action, indicator="sponge_city_area_share",
                    target_value=40, target_year=2030, owner="Bureau",
                )  # fmt: skip
        if STAGES.index(stage) >= 3:
            for side in ("fr", "cn"):
                Review.objects.create(
                    application=app, assessor=pool[side][i % 10], side=side,
                    submitted_at=None if stage == "expert_review" else city.updated_at,
                )  # fmt: skip
        if STAGES.index(stage) >= 4:
            for user in jury[:3]:
                Ballot.objects.create(
                    application=app, round=1, member=user, no_conflict=True,
                    vote="" if stage == "jury" and user == jury[2] else "award",
                )  # fmt: skip
    return secretariat.username


def session_cookie(username: str) -> str:
    """Sign the secretariat in (a database session the server will read) and return the cookie."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return f"sessionid={client.cookies['sessionid'].value}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--applications", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    data_dir = Path(tempfile.mkdtemp(prefix="ecocite-bench-label-"))
    os.environ["ECOCITE_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecocite.web.settings"
    os.environ.pop("ECOCITE_DEBUG", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    name = populate(args.applications)
    print(f"populated {args.applications} applications in {time.perf_counter() - t0:.0f} s")
    (data_dir / "first-start-done").write_text("1")
    cookie = session_cookie(name)
    path = "/label/programmes/bench/"

    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=name))
    assert client.get(path).status_code == 200
    load_before = f"{os.getloadavg()[0]:.2f}"
    service = service_times_signed_in(client, path)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "ecocite.web", "serve", "--no-demo", "--no-worker",
         "--port", str(port), "--workers", str(args.workers), "--threads", str(args.threads)],
        env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_up(f"{base}/")
        script = data_dir / "p95.lua"
        script.write_text(WRK_SCRIPT)
        request = urllib.request.Request(base + path, headers={"Cookie": cookie})
        assert b"bench" in urllib.request.urlopen(request).read()  # warm, and signed in
        out = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "-s", str(script),
             "-H", f"Cookie: {cookie}", "-H", "Accept-Encoding: gzip, deflate", base + path],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        line = next(x for x in out.splitlines() if x.startswith("RESULT"))
        stats = {k: float(v) for k, v in (part.split("=") for part in line.split()[1:])}
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
    print(
        f"dashboard {path}: in-process {service:.1f} ms; under {args.connections} connections "
        f"p50 {stats['p50']:.1f} ms, p95 {stats['p95']:.1f} ms, p99 {stats['p99']:.1f} ms, "
        f"{stats['requests'] / stats['seconds']:.0f} req/s, errors {stats['errors']:.0f}"
    )
    print(f"load average before/after: {load_before} / {os.getloadavg()[0]:.2f}")


def service_times_signed_in(client: object, path: str, repeat: int = 10) -> float:
    """Median in-process time of the page for the signed-in client, in ms."""
    import statistics

    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        client.get(path)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    main()
