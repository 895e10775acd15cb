"""A Content-Security-Policy on every page, and no inline script or handler for it to block."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from django.urls import reverse

from ecocite.web.accounts.models import RoleKind
from ecocite.web.assessments.models import AssessmentRun, Status
from ecocite.web.carbon.services import import_activity


class _Inline(HTMLParser):
    """Collects inline scripts (not JSON data blocks), event-handler and style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script" and "src" not in named and named.get("type") != "application/json":
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value!r}")
            if name == "style":
                self.found.append(f"{tag} style={value!r}")
            if name in ("href", "src") and (value or "").lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value!r}")


def _directives(policy: str) -> dict[str, str]:
    return dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())


def _pages(city: Any, framework_key: str) -> list[str]:
    from pathlib import Path

    from ecocite.carbon import demo_activity_path

    path = Path(demo_activity_path("jingzhou"))
    record = import_activity(path.name, path.read_bytes(), city=city, gwp_set="ar6", user=None)
    run = AssessmentRun.objects.create(
        city=city, framework_key=framework_key, stage="planning_design", year=2020
    )
    failed = AssessmentRun.objects.create(
        city=city, framework_key=framework_key, stage="planning_design", year=2020,
        status=Status.FAILED, error="illustrative failure",
    )  # fmt: skip
    return [
        reverse("core:home"),
        reverse("cities:list"),
        reverse("cities:detail", args=[city.slug]),
        reverse("datasets:upload", args=[city.slug]),
        reverse("assessments:new", args=[city.slug]),
        reverse("assessments:detail", args=[run.pk]),
        reverse("assessments:detail", args=[failed.pk]),
        reverse("frameworks:list"),
        reverse("frameworks:detail", args=[framework_key]),
        reverse("carbon:index"),
        reverse("carbon:city", args=[city.slug]),
        reverse("carbon:inventory", args=[record.pk]),
        reverse("carbon:pathway", args=[record.pk]),
        reverse("accounts:login"),
        reverse("accounts:signup"),
        reverse("accounts:password_reset"),
        reverse("accounts:profile"),
        "/api/v1/",
        "/admin/",
    ]


def test_every_page_has_the_policy_and_no_inline_script(
    client: Any, make_user: Any, city: Any, framework_key: str
) -> None:
    admin = make_user("admin", (RoleKind.ADMINISTRATOR, None))
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    for url in _pages(city, framework_key):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        policy = response.headers["Content-Security-Policy"]
        directives = _directives(policy)
        assert directives["script-src"] == "'self'", url
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in policy, url
        if url.startswith("/admin/"):
            continue  # Django's own admin templates: the header is what protects them
        parser = _Inline()
        parser.feed(response.content.decode())
        assert parser.found == [], (url, parser.found)


def test_the_html_report_may_style_itself_but_not_script(
    client: Any, city: Any, framework_key: str, good_csv: bytes
) -> None:
    from ecocite.web.assessments.execution import execute
    from ecocite.web.datasets.services import import_upload

    import_upload("v.csv", good_csv, city=city, framework_key=framework_key, user=None)
    run = AssessmentRun.objects.create(
        city=city, framework_key=framework_key, stage="planning_design", year=2020
    )
    execute(run.pk)
    response = client.get(reverse("assessments:report", args=[run.pk, "html"]))
    assert response.status_code == 200
    directives = _directives(response.headers["Content-Security-Policy"])
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["script-src"] == "'self'"
    parser = _Inline()
    parser.feed(response.content.decode())
    assert not [f for f in parser.found if "script" in f or " on" in f]
    # Every other page keeps the strict policy.
    page = client.get(reverse("assessments:detail", args=[run.pk]))
    assert "unsafe" not in page.headers["Content-Security-Policy"]
