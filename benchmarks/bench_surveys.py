"""Benchmark of a survey's results page: 10,000 answers × 20 questions (run by hand; not a test).

A survey of 20 questions (single and multiple choice, scales, rankings, numbers, free texts and
map points) receives 10,000 illustrative responses written in bulk; then the results page is
timed in process (median of warm requests through Django's test client) and under load: a
production-mode server (gunicorn, DEBUG off, ``ecocite-web serve``) is loaded by ``wrk`` with 20
concurrent connections, as ``bench_web.py`` does. Goal: the results page in < 200 ms.

    .venv/bin/python benchmarks/bench_surveys.py [--responses 10000] [--seconds 20] [--write]

Needs Debian's ``wrk`` for the load part (apt-get install wrk; skipped without it).
``--write`` replaces the "Surveys" section of docs/benchmarks.md with the figures.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_web import WRK_SCRIPT, free_port, load, wait_until_up
from benchkit import DOCS, write_section

HEADING = "## Surveys (results page)"
SITE = {
    "type": "Polygon",
    "coordinates": [[[112.2, 30.3], [112.3, 30.3], [112.3, 30.4], [112.2, 30.4], [112.2, 30.3]]],
}
KINDS = (
    ["single"] * 4 + ["multiple"] * 3 + ["scale"] * 3 + ["ranking"] * 2 + ["number"] * 3
    + ["text"] * 3 + ["map"] * 2
)  # fmt: skip


def populate(n_responses: int) -> int:
    """Create the survey and its responses; return the survey's id."""
    from ecocite.web.cities.models import City
    from ecocite.web.consultations.models import College, Process
    from ecocite.web.core.models import Phase
    from ecocite.web.surveys.models import Answer, Question, Response, Survey

    city = City.objects.create(slug="bench", name_fr="Bench", name_zh="Bench", name_en="Bench",
                               country="CN", illustrative=True)  # fmt: skip
    process = Process.objects.create(slug="bench", city=city, scale="territory", title_fr="Bench",
                                     decision_fr="Plan", site=SITE, illustrative=True)  # fmt: skip
    now = datetime.now(UTC)
    Phase.objects.create(process=process, position=1, name="enquête", actions=["answer_survey"],
                         starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30))  # fmt: skip
    survey = Survey.objects.create(process=process, title_fr="Bench", results_public=True,
                                   illustrative=True)  # fmt: skip
    questions = []
    for i, kind in enumerate(KINDS, start=1):
        fields: dict[str, object] = {"kind": kind, "text_fr": f"Question {i}", "position": i}
        if kind in ("single", "multiple", "ranking"):
            fields["options"] = [f"option {k}" for k in range(5 if kind != "ranking" else 4)]
        if kind == "multiple":
            fields["max_choices"] = 3
        if kind == "scale":
            fields["scale_min"], fields["scale_max"] = (0, 10) if i % 2 else (1, 5)
        if kind == "number":
            fields["unit"] = "km"
        questions.append(Question.objects.create(survey=survey, **fields))
    rng = random.Random(1)
    colleges = list(College.values)
    batch = 1000
    for start in range(0, n_responses, batch):
        responses = Response.objects.bulk_create(
            Response(survey=survey, session_key=f"bench-{n}", college=rng.choice(colleges),
                     illustrative=True)
            for n in range(start, min(start + batch, n_responses))
        )  # fmt: skip
        rows = []
        for response in responses:
            for q in questions:
                if q.kind == "single":
                    rows.append(Answer(response=response, question=q, option=rng.randrange(5)))
                elif q.kind == "multiple":
                    for n, o in enumerate(sorted(rng.sample(range(5), rng.randint(1, 3)))):
                        rows.append(Answer(response=response, question=q, option=o, lead=n == 0))
                elif q.kind == "ranking":
                    for o, r in enumerate(rng.sample(range(1, 5), 4)):
                        rows.append(
                            Answer(response=response, question=q, option=o, rank=r, lead=o == 0)
                        )
                elif q.kind == "scale":
                    value = rng.randint(q.scale_min, q.scale_max)
                    rows.append(Answer(response=response, question=q, number=value))
                elif q.kind == "number":
                    rows.append(Answer(response=response, question=q, number=rng.uniform(0, 40)))
                elif q.kind == "text":
                    rows.append(
                        Answer(
                            response=response, question=q, text=f"idée n° {rng.randrange(10**6)}"
                        )
                    )
                else:
                    point = [112.2 + rng.random() * 0.1, 30.3 + rng.random() * 0.1]
                    rows.append(Answer(response=response, question=q,
                                       geometry={"type": "Point", "coordinates": point}))  # fmt: skip
        for row in rows:
            row.college = row.response.college
        Answer.objects.bulk_create(rows, batch_size=5000)
    Survey.objects.filter(pk=survey.pk).update(answers_revision=1)
    return int(survey.pk)


def in_process(path: str, repeat: int) -> tuple[float, float]:
    """Median and fastest in-process time of ``path`` (warm), in ms."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    assert client.get(path).status_code == 200
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), min(times)


def cold_results(survey_id: int, college: str, repeat: int = 5) -> float:
    """Median time of computing the results without the cache (the first view after an answer), ms."""
    from ecocite.web.surveys import services
    from ecocite.web.surveys.models import Survey

    survey = Survey.objects.get(pk=survey_id)
    questions = services.ordered_questions(survey)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        services.compute_results(survey, questions, college)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="ecocite-bench-surveys-"))
    os.environ["ECOCITE_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecocite.web.settings"
    os.environ.pop("ECOCITE_DEBUG", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ecocite.web.surveys.models import Answer

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    survey = populate(args.responses)
    n_answers = Answer.objects.count()
    print(f"populated {args.responses} responses, {n_answers} answer rows in "
          f"{time.perf_counter() - t0:.0f} s ({connection.vendor})", flush=True)  # fmt: skip
    (data_dir / "first-start-done").write_text("1")
    paths = [
        ("results page", f"/surveys/{survey}/results/"),
        ("results page, one college", f"/surveys/{survey}/results/?college=residents"),
    ]
    load_before = os.getloadavg()
    cold = {
        label: cold_results(survey, college)
        for (label, _), college in zip(paths, ("", "residents"), strict=True)
    }
    timings = {label: in_process(path, args.repeat) for label, path in paths}
    for label, (median, best) in timings.items():
        print(
            f"{label}: counting without cache {cold[label]:.1f} ms; in-process median {median:.1f} ms, fastest {best:.1f} ms",
            flush=True,
        )

    loaded: dict[str, dict[str, float]] = {}
    if shutil.which("wrk") is not None:
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
            for label, path in paths:
                urllib.request.urlopen(base + path).read()
                stats = load(base + path, args.seconds, args.connections, script)
                loaded[label] = stats
                print(f"{label}: p50 {stats['p50']:.1f} ms, p95 {stats['p95']:.1f} ms, "
                      f"{stats['requests'] / stats['seconds']:.1f} req/s, errors {stats['errors']:.0f}",
                      flush=True)  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=20)
    load_after = os.getloadavg()

    lines = [
        HEADING, "",
        f"`benchmarks/bench_surveys.py`, {datetime.now(UTC):%Y-%m-%d}: a survey of 20 questions "
        f"(4 single choice, 3 multiple choice, 3 scales, 2 rankings, 3 numbers, 3 free texts, "
        f"2 map points) with {args.responses:,} illustrative responses ({n_answers:,} answer rows), "
        f"{connection.vendor}. Goal: the results page in < 200 ms.", "",
        "| page | counting, no cache ms | in-process median ms | fastest ms | wrk p50 ms | wrk p95 ms | req/s |",
        "|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    for label, (median, best) in timings.items():
        s = loaded.get(label)
        wrk = (f"{s['p50']:.0f} | {s['p95']:.0f} | {s['requests'] / s['seconds']:.1f}"
               if s else "— | — | —")  # fmt: skip
        lines.append(f"| {label} | {cold[label]:.0f} | {median:.0f} | {best:.0f} | {wrk} |")
    lines += [
        "",
        f"wrk: {args.connections} connections, {args.seconds} s per page, gunicorn "
        f"{args.workers} workers × {args.threads} threads. Machine: {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; load average (1 min) "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after — the machine is shared, so "
        "the figures under load are upper bounds.", "",
    ]  # fmt: skip
    text = "\n".join(lines)
    print("\n" + text)
    if args.write:
        write_section(DOCS, HEADING, text)


if __name__ == "__main__":
    main()
