"""No dead ends for administrators (issue 14 item 8): the roles page finds people, sign-up errors
read as errors, the language chosen at sign-up applies at once, the re-run action is on the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

import ecocite.web
from ecocite.web.accounts.models import Role, RoleKind, User
from ecocite.web.assessments.models import AssessmentRun, Status

CSS = Path(ecocite.web.__file__).parent / "static" / "ecocite" / "ecocite.css"


@pytest.fixture
def admin(make_user: Any) -> User:
    return make_user("administrator", (RoleKind.ADMINISTRATOR, None))


def test_roles_page_finds_people_by_any_part_of_their_name(
    client: Any, admin: User, make_user: Any, city: Any
) -> None:
    wang = make_user("wlei")
    wang.first_name, wang.last_name, wang.organisation = "Lei", "Wang", "CSUS"
    wang.save()
    make_user("dupont")
    client.force_login(admin)
    page = client.get(reverse("accounts:roles"), {"q": "csus"}).content.decode()
    assert "wlei" in page and "Lei Wang" in page and "dupont" not in page.split('id="grant"')[0]
    assert 'role="search"' in page and '<datalist id="known-usernames">' in page
    assert '<option value="dupont">' in page  # the grant form suggests every user name

    chosen = client.get(reverse("accounts:roles"), {"q": "csus", "user": "wlei"}).content.decode()
    assert 'name="username" value="wlei"' in chosen
    granted = client.post(
        reverse("accounts:roles"),
        {"username": "wlei", "kind": RoleKind.CITY_OFFICIAL, "city": city.pk},
    )
    assert granted.status_code == 302
    assert Role.objects.filter(user=wang, kind=RoleKind.CITY_OFFICIAL, city=city).exists()
    listed = client.get(reverse("accounts:roles"), {"q": "wang"}).content.decode()
    assert city.name_fr in listed.split('id="grant"')[0]


@pytest.mark.parametrize("who", ["anonymous", "resident", "official", "admin"])
def test_roles_search_permission(client: Any, make_user: Any, city: Any, who: str) -> None:
    users = {
        "anonymous": None,
        "resident": make_user("resident", (RoleKind.RESIDENT, None)),
        "official": make_user("official", (RoleKind.CITY_OFFICIAL, city)),
        "admin": make_user("administrator", (RoleKind.ADMINISTRATOR, None)),
    }
    if users[who] is not None:
        client.force_login(users[who])
    response = client.get(reverse("accounts:roles"), {"q": "res"})
    if who == "admin":
        assert response.status_code == 200 and "resident" in response.content.decode()
    elif who == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403


def _sign_up(client: Any, **extra: str) -> Any:
    form = {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "password1": "a-long-test-passphrase-42",
        "password2": "a-long-test-passphrase-42",
        "preferred_language": "zh-hans",
        **extra,
    }
    return client.post(reverse("accounts:signup"), form)


def test_the_language_chosen_at_sign_up_applies_at_once(client: Any, db: Any) -> None:
    # The visitor first reads the site in English, then signs up choosing Chinese.
    client.post(reverse("core:language"), {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get("/").content.decode()
    response = _sign_up(client)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="zh-hans"' in page
    assert client.cookies["django_language"].value == "zh-hans"


def test_sign_up_password_errors_read_as_errors(client: Any, db: Any) -> None:
    response = _sign_up(client, password2="something-else-entirely")
    page = response.content.decode()
    assert response.status_code == 200 and not User.objects.filter(username="newcomer").exists()
    assert '<ul class="errorlist' in page and 'aria-invalid="true"' in page
    css = CSS.read_text(encoding="utf-8")
    rule = css[css.index(".errorlist {") :].split("}")[0]
    assert "color: #a1231b" in rule and "border-left" in rule


@pytest.mark.parametrize("who", ["resident", "assessor", "admin"])
def test_the_rerun_action_is_on_the_assessment_page(
    client: Any, make_user: Any, city: Any, framework_key: str, who: str
) -> None:
    run = AssessmentRun.objects.create(
        city=city, framework_key=framework_key, stage="planning_design", year=2020,
        status=Status.FAILED, error="boom",
    )  # fmt: skip
    users = {
        "resident": make_user("resident", (RoleKind.RESIDENT, None)),
        "assessor": make_user("assessor", (RoleKind.ASSESSOR, city, "fr")),
        "admin": make_user("administrator", (RoleKind.ADMINISTRATOR, None)),
    }
    client.force_login(users[who])
    page = client.get(reverse("assessments:detail", args=[run.pk])).content.decode()
    shown = 'id="assessment-rerun"' in page
    assert shown == (who != "resident")
    if shown:
        assert f'action="{reverse("assessments:rerun", args=[run.pk])}"' in page
