"""Reads stay fast while hostile files are uploaded (run by hand; not a test). Loopback only.

A production-mode server (``ecocite-web serve``: gunicorn, DEBUG off, with its job worker) on the
demo portfolio. For ``--seconds``, 2 clients upload hostile files through the API (as a city
official with a token) in a loop while 20 clients read the public pages; each upload is stored
(202) and, after the run, polled until the job worker has judged it (parsed in a child process
under the ``ECOCITE_UPLOAD_PARSE_*`` limits). Reported: p50/p95/p99 of the reads, failed reads,
and for each hostile file its answers, its outcome in the worker and its slowest answer.

    .venv/bin/python benchmarks/bench_hostile_load.py [--seconds 30] [--readers 20] [--uploaders 2]

Hostile files (issue 9): a unit that is an exponent tower, an XLSX whose one cell is at
XFD1048576, a zip bomb named .xlsx, a truncated XLSX, a NUL byte after the first 4 KiB, a header
with a duplicated column, a provenance cell of 100,000 ``[``, 20,000 bad rows.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from pathlib import Path

TIDY = "city,year,indicator,value,unit,source,quality,verified,provenance\n"


def hostile_files(city: str, indicator: str, unit: str) -> dict[str, tuple[str, bytes]]:
    good = f"{city},2020,{indicator},1.0,{unit},bench,measured,false,bench\n"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<a>" + b"0" * (200 * 1024 * 1024) + b"</a>")
    far = io.BytesIO()
    with zipfile.ZipFile(far, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>',
        )
    nul = (TIDY + good * 200).encode()
    nul = nul[:5000] + b"\x00" + nul[5000:]
    bad_rows = TIDY + f"{city},2020,no_such_indicator,lots,kg,,,,\n" * 20_000
    return {
        "unit exponent tower": (
            "unit.csv",
            (TIDY + good.replace(f",{unit},", ",9**9**9,")).encode(),
        ),
        "cell at XFD1048576": ("far.xlsx", far.getvalue()),
        "zip bomb": ("bomb.xlsx", bomb.getvalue()),
        "truncated xlsx": ("cut.xlsx", far.getvalue()[:300]),
        "NUL after 4 KiB": ("nul.csv", nul),
        "duplicate header": ("dup.csv", (TIDY.replace("city,", "city,City,", 1)).encode()),
        "deep provenance": (
            "deep.csv",
            (TIDY + good.replace(",bench\n", "," + "[" * 100_000 + "\n")).encode(),
        ),
        "20,000 bad rows": ("rows.csv", bad_rows.encode()),
    }


def multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), boundary


def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 60) -> tuple[int, float]:  # fmt: skip
    status, ms, _ = request_body(port, method, path, body, headers, timeout)
    return status, ms


def request_body(port: int, method: str, path: str, body: bytes | None = None,
                 headers: dict[str, str] | None = None,
                 timeout: float = 60) -> tuple[int, float, bytes]:  # fmt: skip
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, (time.perf_counter() - t0) * 1000, data
    except OSError:
        return 0, (time.perf_counter() - t0) * 1000, b""
    finally:
        conn.close()


def checked(port: int, body: bytes, headers: dict[str, str], timeout: float = 120) -> str:
    """Poll an upload accepted for checking (202) until the worker has judged it."""
    path = "/api/v1/uploads/{}/".format(json.loads(body)["id"])
    deadline = time.time() + timeout
    while time.time() < deadline:
        status, _, data = request_body(port, "GET", path, headers=headers, timeout=30)
        state = json.loads(data).get("status") if status == 200 else f"HTTP {status}"
        if state in ("ready", "rejected", "imported") or status != 200:
            return str(state)
        time.sleep(0.5)
    return "still checking"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--uploaders", type=int, default=2)
    parser.add_argument("--port", type=int, default=8104)
    parser.add_argument("--skip", action="append", default=[], help="leave out a hostile file")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="ecocite-bench-hostile-"))
    os.environ.update(ECOCITE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="ecocite.web.settings")
    os.environ.pop("ECOCITE_DEBUG", None)
    import django

    from ecocite.web.serve import prepare

    django.setup()
    prepare(demo=True, out=io.StringIO())
    from rest_framework.authtoken.models import Token

    from ecocite.web.accounts.models import Role, RoleKind, User
    from ecocite.web.cities.models import City
    from ecocite.web.datasets.models import IndicatorValue

    city = City.objects.order_by("slug").first()
    assert city is not None
    official = User.objects.create_user("bench-official", "b@example.org", "x" * 20)
    Role.objects.create(user=official, kind=RoleKind.CITY_OFFICIAL, city=city)
    token = Token.objects.create(user=official).key
    sample = IndicatorValue.objects.filter(city=city).values_list("indicator", "unit").first()
    assert sample is not None
    files = {k: v for k, v in hostile_files(city.slug, *sample).items() if k not in args.skip}
    pages = ["/", "/cities/map.geojson", "/cities/", f"/cities/{city.slug}/", "/carbon/",
             "/frameworks/", "/api/v1/cities/"]  # fmt: skip

    def media_files() -> int:
        media = data_dir / "media"
        return sum(1 for p in media.rglob("*") if p.is_file()) if media.exists() else 0

    datasets_before, media_before = city.datasets.count(), media_files()
    server = subprocess.Popen(
        [sys.executable, "-m", "ecocite.web", "serve", "--no-demo", "--port", str(args.port)],
        env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: stopped whole, workers included
    )  # fmt: skip
    reads: list[float] = []
    failed_reads: list[int] = []
    uploads: dict[str, list[tuple[int, float, bytes]]] = {k: [] for k in files}
    outcomes: dict[str, list[str]] = {k: [] for k in files}
    stop = threading.Event()
    try:
        deadline = time.time() + 120
        while request(args.port, "GET", "/")[0] != 200:
            if time.time() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.5)
        for path in pages:
            request(args.port, "GET", path)  # warm

        def reader(i: int) -> None:
            n = i
            while not stop.is_set():
                status, ms = request(args.port, "GET", pages[n % len(pages)], timeout=30)
                (reads if status == 200 else failed_reads).append(ms if status == 200 else status)
                n += 1

        def uploader(i: int) -> None:
            names = list(files)
            n = i
            while not stop.is_set():
                label = names[n % len(names)]
                body, boundary = multipart(*files[label])
                auth = {"Authorization": f"Token {token}"}
                status, ms, answer = request_body(
                    args.port, "POST", f"/api/v1/cities/{city.slug}/datasets/", body,
                    {**auth, "Content-Type": f"multipart/form-data; boundary={boundary}"},
                    timeout=60,
                )  # fmt: skip
                # The request only stores the file (202); the worker parses it under the limits
                # (judged after the run: an attacker does not wait either).
                uploads[label].append((status, ms, answer))
                n += 1

        load_before = os.getloadavg()[0]
        threads = [threading.Thread(target=reader, args=(i,)) for i in range(args.readers)]
        threads += [threading.Thread(target=uploader, args=(i,)) for i in range(args.uploaders)]
        for t in threads:
            t.start()
        time.sleep(args.seconds)
        stop.set()
        for t in threads:
            t.join(timeout=90)
        load_after = os.getloadavg()[0]
        judging = time.perf_counter()
        auth = {"Authorization": f"Token {token}"}
        for label, done in uploads.items():
            for status, _, answer in done:
                outcomes[label].append(checked(args.port, answer, auth) if status == 202 else "")
        judged_s = time.perf_counter() - judging
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a worker stuck in a hostile file: stop it hard
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)

    q = statistics.quantiles(reads, n=100) if len(reads) > 2 else [float("nan")] * 99
    print(f"{len(reads)} reads in {args.seconds} s ({len(reads) / args.seconds:.0f}/s), "
          f"{len(failed_reads)} failed; p50 {q[49]:.0f} ms, p95 {q[94]:.0f} ms, "
          f"p99 {q[98]:.0f} ms, max {max(reads):.0f} ms")  # fmt: skip
    print(f"load average {load_before:.2f} before, {load_after:.2f} after; nproc {os.cpu_count()}")
    print(f"the worker finished judging the queued uploads {judged_s:.0f} s after the run")
    print("\n| hostile file | uploads | answers | outcome in the worker | slowest answer ms |"
          "\n|---|---|---|---|---|")  # fmt: skip
    for label, done in uploads.items():
        codes = sorted({s for s, *_ in done})
        found = sorted({o for o in outcomes[label] if o})
        slowest = max((ms for _, ms, _ in done), default=float("nan"))
        print(f"| {label} | {len(done)} | {', '.join(map(str, codes))} | {', '.join(found)} "
              f"| {slowest:.0f} |")  # fmt: skip
    print(json.dumps({"datasets": [datasets_before, city.datasets.count()],
                      "media_files": [media_before, media_files()]}))  # fmt: skip


if __name__ == "__main__":
    main()
