"""Pages: the portfolio map data, the filtered list, a city page; sign-in throttling; first start."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from shapely.geometry import shape

from ecocite.web.accounts.models import Role, RoleKind, User


def test_map_data_has_real_boundaries(client: Any, city: Any, other_city: Any) -> None:
    data = client.get(reverse("cities:map_data")).json()
    features = {f["properties"]["slug"]: f for f in data["features"]}
    assert set(features) == {"jingzhou", "foshan"}
    outline = shape(features["jingzhou"]["geometry"])
    full = shape(city.boundary)
    # The outline is the real boundary, simplified: same place, nearly the same area.
    assert outline.intersection(full).area / full.area > 0.95
    assert 111.0 < outline.centroid.x < 114.0 and 29.0 < outline.centroid.y < 31.5


def test_list_filters(client: Any, city: Any, other_city: Any) -> None:
    other_city.latest_level = "one_star"
    other_city.save()
    html = client.get(reverse("cities:list"), {"level": "one_star"}).content.decode()
    assert "Foshan" in html and "Jingzhou" not in html
    html = client.get(reverse("cities:list"), {"q": "荆州"}).content.decode()
    assert "Jingzhou" in html and "Foshan" not in html
    html = client.get(reverse("cities:list"), {"level": "none"}).content.decode()
    assert "Jingzhou" in html and "Foshan" not in html


def test_city_page_shows_actions_only_to_those_allowed(
    client: Any, make_user: Any, city: Any
) -> None:
    html = client.get(reverse("cities:detail", args=[city.slug])).content.decode()
    assert reverse("datasets:upload", args=[city.slug]) not in html
    assert 'id="city-outline"' in html
    client.force_login(make_user("o", (RoleKind.CITY_OFFICIAL, city)))
    html = client.get(reverse("cities:detail", args=[city.slug])).content.decode()
    assert reverse("datasets:upload", args=[city.slug]) in html


def test_sign_in_is_throttled(client: Any, make_user: Any, password: str, settings: Any) -> None:
    make_user("wang")
    url = reverse("accounts:login")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert client.post(url, {"username": "wang", "password": "nope"}).status_code == 200
    response = client.post(url, {"username": "wang", "password": password})
    assert response.status_code == 200 and "15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_up_and_password_reset(client: Any, db: Any, mailoutbox: Any) -> None:
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "zhang",
            "email": "zhang@example.org",
            "password1": "correct horse battery 9",
            "password2": "correct horse battery 9",
            "preferred_language": "zh-hans",
            "organisation": "",
            "first_name": "",
            "last_name": "",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="zhang").preferred_language == "zh-hans"
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:password_reset"), {"email": "zhang@example.org"})
    assert len(mailoutbox) == 1 and "/accounts/reset/" in mailoutbox[0].body


def test_first_start_creates_admin_with_generated_password(db: Any) -> None:
    from ecocite.web.serve import ADMIN_USERNAME, create_demo_admin

    password = create_demo_admin()
    assert password and len(password) >= 16
    admin = User.objects.get(username=ADMIN_USERNAME)
    assert admin.check_password(password) and admin.is_superuser
    assert Role.objects.filter(user=admin, kind=RoleKind.ADMINISTRATOR).exists()
    assert create_demo_admin() is None  # printed once, never again


def test_demo_load(db: Any, capsys: Any) -> None:
    from ecocite.web.assessments.models import AssessmentRun, Status
    from ecocite.web.cities.models import City
    from ecocite.web.demo import load_demo

    out = io.StringIO()
    load_demo(assess=False, log=lambda line: print(line, file=out))
    # six assessed demo cities, and Las Palmas for the demo consultation on its real extract
    assert City.objects.exclude(slug="las-palmas").count() == 6 and "jingzhou" in out.getvalue()
    assert "consultations" in out.getvalue()
    assert not AssessmentRun.objects.filter(status=Status.FINISHED).exists()


def test_secret_key_is_generated_outside_the_repo_and_settings_are_secure(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ECOCITE_", "DJANGO_", "DATABASE_URL"))
    } | {
        "ECOCITE_DATA_DIR": str(tmp_path),
        "ECOCITE_HTTPS": "1",
    }
    code = (
        "from ecocite.web import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.DATABASES['default']['ENGINE'], len(s.SECRET_KEY))"
    )
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    debug, secure, csrf_secure, httponly, engine, length = first.stdout.split()
    assert (debug, secure, csrf_secure, httponly) == ("False", "True", "True", "True")
    assert engine.endswith("sqlite3") and int(length) >= 50
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = subprocess.run(
        [sys.executable, "-c", "from ecocite.web import settings as s; print(s.SECRET_KEY)"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert again.stdout.strip() == key_file.read_text().strip()  # kept across starts
    pg = env | {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x"}
    out = subprocess.run([sys.executable, "-c", code], env=pg, capture_output=True, text=True)
    assert "postgresql" in out.stdout


def test_cached_pages_follow_the_data(client: Any, city: Any) -> None:
    first = client.get(reverse("cities:list")).content.decode()
    assert "Jingzhou" in first and "Renamed" not in first
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("cities:list")).content.decode()
    assert "Jingzhou" in again
    assert not any(
        "cities_city" in q["sql"] and "LIMIT" in q["sql"] for q in queries.captured_queries
    )
    city.name_fr = city.name_en = "Renamed town"
    city.save()
    assert "Renamed town" in client.get(reverse("cities:list")).content.decode()
    assert "Renamed town" in client.get(reverse("cities:detail", args=[city.slug])).content.decode()


def test_map_data_is_sent_compressed_to_browsers(client: Any, city: Any) -> None:
    import gzip
    import json

    plain = client.get(reverse("cities:map_data"))
    packed = client.get(reverse("cities:map_data"), HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert len(packed.content) < len(plain.content)
