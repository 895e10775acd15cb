"""Web tests: Django configured on a throw-away data folder; SQLite unless DATABASE_URL is set."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("ECOCITE_DATA_DIR", tempfile.mkdtemp(prefix="ecocite-web-test-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "ecocite.web.settings"
os.environ.setdefault("ECOCITE_DEBUG", "1")  # finders serve static files; no collectstatic needed

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache, caches  # noqa: E402

from ecocite.demo import demo_cities, demo_values  # noqa: E402
from ecocite.web.accounts.models import Role, RoleKind, User  # noqa: E402
from ecocite.web.cities.models import City  # noqa: E402
from ecocite.web.frameworks.registry import default_framework_key, framework_by_key  # noqa: E402

PASSWORD = "a-long-test-passphrase-42"
# Hashing strength is not under test; the default (PBKDF2) would cost ~0.2 s per user.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
os.makedirs(settings.STATIC_ROOT, exist_ok=True)
# A file, not shared-cache memory, for the SQLite test database: the browser test's live server,
# job worker and test thread then wait on each other's locks instead of failing at once.
if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(
        settings.DATA_DIR / "test.sqlite3"
    )
# One cache per test process: throttle counters must not leak between parallel workers.
settings.CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "f"},
}


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()  # sign-in throttle counters live in the cache
    # Rolled-back tests reuse primary keys, so a data fingerprint can repeat between tests.
    caches["fragments"].clear()
    yield


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def framework_key() -> str:
    return default_framework_key()


@pytest.fixture
def city(db: Any) -> City:
    engine_city = next(c for c in demo_cities() if c.id == "jingzhou")
    return City.objects.create(slug=engine_city.id, **City.fields_from_engine(engine_city))


@pytest.fixture
def other_city(db: Any) -> City:
    engine_city = next(c for c in demo_cities() if c.id == "foshan")
    return City.objects.create(slug=engine_city.id, **City.fields_from_engine(engine_city))


@pytest.fixture(scope="session")
def good_csv() -> bytes:
    """Jingzhou's demo values (real facts + labelled illustrative values) for 2019 and 2020."""
    values = demo_values(framework_by_key(default_framework_key()))
    mine = values[(values["city"] == "jingzhou") & values["year"].isin([2019, 2020])]
    return mine.to_csv(index=False).encode("utf-8")


@pytest.fixture(scope="session")
def bad_csv(good_csv: bytes) -> bytes:
    """The good file with three broken rows: unknown indicator, text value, wrong unit."""
    lines = good_csv.decode("utf-8").splitlines()
    header = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:4]]
    rows[0][header.index("indicator")] = "no_such_indicator"
    rows[1][header.index("value")] = "lots"
    rows[2][header.index("unit")] = "kg"
    return "\n".join([lines[0], *(",".join(r) for r in rows), *lines[4:]]).encode("utf-8")


MakeUser = Callable[..., User]


@pytest.fixture
def make_user(db: Any) -> MakeUser:
    def make(name: str, *roles: tuple[str, City | None] | tuple[str, City | None, str]) -> User:
        user = User.objects.create_user(name, f"{name}@example.org", PASSWORD)
        for role in roles:
            kind, where = role[0], role[1]
            side = role[2] if len(role) > 2 else ("fr" if kind == RoleKind.ASSESSOR else "")
            Role.objects.create(user=user, kind=kind, city=where, side=side)
        return user

    return make


@pytest.fixture
def run_jobs(transactional_db: Any) -> Callable[[], int]:
    """Run every queued background job, as ``ecocite-web worker`` does; returns how many ran.

    The worker closes its database connection after each job, as a long-running process should;
    so tests using it run on a transactional database rather than inside one rolled-back atomic."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    def run() -> int:
        before = DBTaskResult.objects.filter(status="SUCCESSFUL").count()
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test",
            excluded_queue_names=[],
        ).run()
        return DBTaskResult.objects.filter(status="SUCCESSFUL").count() - before

    return run


# Browser tests drive Debian's Chromium (apt-get install chromium) through Playwright; no download.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is needed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself (fixtures) are plain synchronous calls, which Django must be told are safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
