"""Time the whole web walking-access job on the Las Palmas extract (run by hand; not a test).

The job behind ``/access/`` (``ecocite.web.access.services.execute``, what the background worker
runs): read the OSM extract (+1 km around the municipal boundary) and the Guaguas GTFS feed,
build the walking network, compute walking distances to the 12 service categories, the
5/10/15-minute life-circle coverage, service deserts, urban-form indicators and the map layer,
and save the run. Goal: < 60 s on 2 cores. The shared Las Palmas folder
(``shared/data/las-palmas/`` beside the repository) must be present.

    .venv/bin/python benchmarks/bench_access_job.py [--repeat 2] [--write]

``bench_access.py`` is the other access benchmark (the engine against pandana, cityseer and
networkx, without the web job around it).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime

from benchkit import DOCS, write_section


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()

    os.environ["ECOCITE_DATA_DIR"] = tempfile.mkdtemp(prefix="ecocite-bench-access-job-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecocite.web.settings"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from ecocite.web.access.config import DEMO_KEY, server_extracts
    from ecocite.web.access.models import AccessRun, Status
    from ecocite.web.access.services import execute, request_run
    from ecocite.web.cities.models import City

    call_command("migrate", interactive=False, verbosity=0)
    extract = server_extracts().get(DEMO_KEY)
    if extract is None:
        sys.exit("the shared Las Palmas folder (shared/data/las-palmas/) is not present")
    city = City.objects.create(
        slug="las-palmas", name_fr="Las Palmas de Gran Canaria", name_zh="大加那利岛拉斯帕尔马斯",
        name_en="Las Palmas de Gran Canaria", country="ES",
    )  # fmt: skip
    times, steps = [], []
    load_before = os.getloadavg()
    for _ in range(args.repeat):
        run = request_run(city, server_key=DEMO_KEY)
        t0 = time.perf_counter()
        execute(run.pk)
        times.append(time.perf_counter() - t0)
        run.refresh_from_db()
        if run.status != Status.FINISHED:
            sys.exit(f"the job failed: {run.error}")
        steps.append(run)
        print(f"job: {times[-1]:.1f} s", flush=True)
    load_after = os.getloadavg()
    last: AccessRun = steps[-1]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = last.report or {}
    origins = report.get("origins", "?")
    layer = last.map_layer or {}
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = f"""## Access job (web)

`benchmarks/bench_access_job.py` (run by hand): the whole job behind `/access/`
(`web/access/services.execute`, what the background worker runs) on the demo server extract:
Las Palmas de Gran Canaria, OSM 2023-02-21 (+1 km around the municipal boundary) and the Guaguas
GTFS feed of 2023-02-22 — read the extract and the feed, build the walking network, walking
distances to the 12 categories, life-circle coverage, service deserts, urban form, map layer,
saved on the run. Goal: **< 60 s on 2 cores**.

| what | figure |
|---|---|
| whole job, first run in a fresh worker process (imports, numba compilation, cold caches) | **{times[0]:.1f} s** |
| whole job, later runs in the same process | {" / ".join(f"**{t:.1f} s**" for t in times[1:]) or "—"} |
| origins analysed | {origins} |
| map layer | {len(layer.get("origins", []))} origins, {len(layer.get("facilities", []))} facilities |
| process peak RSS | {rss_mb:.0f} MiB |

Machine: {platform.machine()}, `nproc` = {os.cpu_count()}, Python {platform.python_version()};
{when}. Load average (1/5/15 min) before {load_before[0]:.1f} / {load_before[1]:.1f} /
{load_before[2]:.1f}, after {load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f}: the
machine is shared with other developers' work, so the job had a fraction of the 2 cores.
"""
    print("\n" + text)
    if args.write:
        write_section(DOCS, "## Access job (web)", text)


if __name__ == "__main__":
    main()
