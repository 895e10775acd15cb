"""Who may do what, for which city: the rules and every write endpoint (pages and API)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.datasets.models import Dataset, PendingUpload


def test_city_roles_are_per_city(make_user: Any, city: Any, other_city: Any) -> None:
    official = make_user("official", (RoleKind.CITY_OFFICIAL, city))
    assert official.has_perm("datasets.add_dataset", city)
    assert official.has_perm("cities.change_city", city)
    assert not official.has_perm("datasets.add_dataset", other_city)
    assert not official.has_perm("cities.change_city", other_city)
    assert not official.has_perm("frameworks.add_framework")


def test_assessor_cannot_sit_on_the_jury_of_the_same_city(
    make_user: Any, city: Any, other_city: Any
) -> None:
    person = make_user("expert", (RoleKind.ASSESSOR, city, "zh"))
    with pytest.raises(ValidationError):
        Role.objects.create(user=person, kind=RoleKind.JURY, city=city)
    Role.objects.create(user=person, kind=RoleKind.JURY, city=other_city)
    assert person.has_perm("accounts.sit_on_jury", other_city)
    assert not person.has_perm("accounts.sit_on_jury", city)
    juror = make_user("juror", (RoleKind.JURY, city))
    with pytest.raises(ValidationError):
        Role.objects.create(user=juror, kind=RoleKind.ASSESSOR, city=city, side="fr")


def test_role_shape_is_checked(make_user: Any, city: Any) -> None:
    person = make_user("someone")
    with pytest.raises(ValidationError):
        Role.objects.create(user=person, kind=RoleKind.CITY_OFFICIAL)  # needs a city
    with pytest.raises(ValidationError):
        Role.objects.create(user=person, kind=RoleKind.RESIDENT, city=city)  # never per city
    with pytest.raises(ValidationError):
        Role.objects.create(user=person, kind=RoleKind.ASSESSOR, city=city)  # needs a side


def test_unknown_permission_is_an_error_not_a_silent_no(make_user: Any) -> None:
    with pytest.raises(KeyError):
        make_user("x").has_perm("datasets.launch_rockets")


# Every write endpoint of the pages: (url name, needs the city slug, form data builder).
@pytest.fixture
def people(make_user: Any, city: Any, other_city: Any) -> dict[str, Any]:
    return {
        "anonymous": None,
        "resident": make_user("resident", (RoleKind.RESIDENT, None)),
        "official_here": make_user("official_here", (RoleKind.CITY_OFFICIAL, city)),
        "official_elsewhere": make_user("official_elsewhere", (RoleKind.CITY_OFFICIAL, other_city)),
        "assessor_here": make_user("assessor_here", (RoleKind.ASSESSOR, city, "fr")),
        "jury_here": make_user("jury_here", (RoleKind.JURY, city)),
        "admin": make_user("administrator", (RoleKind.ADMINISTRATOR, None)),
    }


UPLOADERS = {"official_here", "assessor_here", "admin"}


@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "resident",
        "official_here",
        "official_elsewhere",
        "assessor_here",
        "jury_here",
        "admin",
    ],
)
def test_page_upload_permission(
    client: Any, people: dict[str, Any], who: str, city: Any, good_csv: bytes, framework_key: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    if people[who] is not None:
        client.force_login(people[who])
    url = reverse("datasets:upload", args=[city.slug])
    file = SimpleUploadedFile("values.csv", good_csv, content_type="text/csv")
    response = client.post(url, {"framework": framework_key, "file": file})
    if who in UPLOADERS:
        assert response.status_code == 302  # stored and queued for its check
        assert PendingUpload.objects.filter(city=city).count() == 1
    else:
        assert response.status_code in (302, 403) and not PendingUpload.objects.exists()
        if who == "anonymous":
            assert reverse("accounts:login") in response["Location"]
        else:
            assert response.status_code == 403


@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "resident",
        "official_here",
        "official_elsewhere",
        "assessor_here",
        "jury_here",
        "admin",
    ],
)
def test_page_assessment_permission(
    client: Any,
    people: dict[str, Any],
    who: str,
    city: Any,
    good_csv: bytes,
    framework_key: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from ecocite.web.assessments.models import AssessmentRun
    from ecocite.web.datasets.services import import_upload

    import_upload("v.csv", good_csv, city=city, framework_key=framework_key, user=None)
    if people[who] is not None:
        client.force_login(people[who])
    data = {"framework": framework_key, "stage": "planning_design", "year": 2020}
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("assessments:new", args=[city.slug]), data)
    created = AssessmentRun.objects.count()
    if who in UPLOADERS:
        assert response.status_code == 302 and created == 1
    else:
        assert created == 0 and response.status_code in (302, 403)


@pytest.mark.parametrize("who", ["anonymous", "resident", "official_here", "admin"])
def test_page_framework_upload_permission(
    client: Any, people: dict[str, Any], who: str, tiny: Any
) -> None:
    import yaml
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ecocite.web.frameworks.models import UploadedFramework

    text = yaml.safe_dump(tiny.model_dump(mode="json"), allow_unicode=True)
    if people[who] is not None:
        client.force_login(people[who])
    file = SimpleUploadedFile("tiny.yaml", text.encode(), content_type="application/yaml")
    response = client.post(reverse("frameworks:upload"), {"file": file})
    if who == "admin":
        assert response.status_code == 302
        assert UploadedFramework.objects.get().key == "tiny@1.2.0"
    else:
        assert response.status_code in (302, 403) and not UploadedFramework.objects.exists()


def test_profile_needs_sign_in_and_edits_only_oneself(client: Any, people: dict[str, Any]) -> None:
    response = client.post(reverse("accounts:profile"), {"preferred_language": "en"})
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(people["resident"])
    response = client.post(
        reverse("accounts:profile"),
        {
            "preferred_language": "zh-hans",
            "email": "r@example.org",
            "first_name": "",
            "last_name": "",
            "organisation": "",
        },
    )
    assert response.status_code == 302
    people["resident"].refresh_from_db()
    people["official_here"].refresh_from_db()
    assert people["resident"].preferred_language == "zh-hans"
    assert people["official_here"].preferred_language == "fr"


def test_forms_require_csrf(people: dict[str, Any], city: Any) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["admin"])
    response = strict.post(reverse("datasets:upload", args=[city.slug]), {})
    assert response.status_code == 403
    response = strict.post(reverse("accounts:login"), {"username": "admin", "password": "x"})
    assert response.status_code == 403


# The API's write endpoints.
def _api(user: Any) -> APIClient:
    api = APIClient()
    if user is not None:
        from rest_framework.authtoken.models import Token

        token, _ = Token.objects.get_or_create(user=user)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api


@pytest.mark.parametrize(
    "who",
    ["anonymous", "resident", "official_here", "official_elsewhere", "assessor_here", "admin"],
)
def test_api_upload_permission(
    people: dict[str, Any], who: str, city: Any, good_csv: bytes, framework_key: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("values.csv", good_csv, content_type="text/csv")
    response = _api(people[who]).post(
        f"/api/v1/cities/{city.slug}/datasets/",
        {"file": file, "framework": framework_key},
        format="multipart",
    )
    if who in UPLOADERS:
        assert response.status_code == 202, response.content
        assert PendingUpload.objects.get().uploaded_by == people[who]
    else:
        assert response.status_code in (401, 403)
        assert not PendingUpload.objects.exists()


@pytest.mark.parametrize(
    "who", ["anonymous", "resident", "official_elsewhere", "jury_here", "assessor_here", "admin"]
)
def test_api_assessment_permission(
    people: dict[str, Any],
    who: str,
    city: Any,
    good_csv: bytes,
    framework_key: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from ecocite.web.assessments.models import AssessmentRun
    from ecocite.web.datasets.services import import_upload

    import_upload("v.csv", good_csv, city=city, framework_key=framework_key, user=None)
    payload = {
        "city": city.slug,
        "framework_key": framework_key,
        "stage": "planning_design",
        "year": 2020,
    }
    with django_capture_on_commit_callbacks(execute=False):
        response = _api(people[who]).post("/api/v1/assessments/", payload, format="json")
    if who in UPLOADERS:
        assert response.status_code == 202, response.content
        assert response.json()["status"] == "queued"
    else:
        assert response.status_code in (401, 403)
        assert not AssessmentRun.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "official_here", "admin"])
def test_api_city_create_permission(people: dict[str, Any], who: str) -> None:
    payload = {
        "slug": "newtown",
        "name_fr": "Newtown",
        "name_zh": "新城",
        "name_en": "Newtown",
        "country": "CN",
    }
    response = _api(people[who]).post("/api/v1/cities/", payload, format="json")
    assert response.status_code == (201 if who == "admin" else (401 if who == "anonymous" else 403))


def test_api_token_is_throttled(people: dict[str, Any], password: str) -> None:
    api = APIClient()
    codes = [
        api.post("/api/v1/token/", {"username": "resident", "password": "wrong"}).status_code
        for _ in range(12)
    ]
    assert codes[0] == 400 and codes[-1] == 429
    assert (
        api.post("/api/v1/token/", {"username": "resident", "password": password}).status_code
        == 429
    )


@pytest.mark.parametrize(
    "who", ["anonymous", "resident", "official_elsewhere", "jury_here", "assessor_here", "admin"]
)
def test_page_rerun_permission(
    client: Any,
    people: dict[str, Any],
    who: str,
    city: Any,
    framework_key: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from ecocite.web.assessments.models import AssessmentRun
    from ecocite.web.assessments.services import request_assessment

    with django_capture_on_commit_callbacks(execute=False):
        run = request_assessment(
            city, framework_key=framework_key, stage="planning_design", year=2020, user=None
        )
    if people[who] is not None:
        client.force_login(people[who])
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("assessments:rerun", args=[run.pk]))
    created = AssessmentRun.objects.count() - 1
    if who in UPLOADERS:
        assert response.status_code == 302 and created == 1
    else:
        assert created == 0 and response.status_code in (302, 403)
        if who != "anonymous":
            assert response.status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "resident", "official_here", "admin"])
def test_roles_page_permission(client: Any, people: dict[str, Any], who: str, city: Any) -> None:
    if people[who] is not None:
        client.force_login(people[who])
    data = {"username": "resident", "kind": RoleKind.CITY_OFFICIAL, "city": city.pk, "side": ""}
    response = client.post(reverse("accounts:roles"), data)
    granted = Role.objects.filter(user=people["resident"], kind=RoleKind.CITY_OFFICIAL).first()
    if who == "admin":
        assert response.status_code == 302 and granted is not None
        response = client.post(reverse("accounts:roles"), {"revoke": granted.pk})
        assert response.status_code == 302
        assert not Role.objects.filter(pk=granted.pk).exists()
    else:
        assert response.status_code in (302, 403) and granted is None
        if who != "anonymous":
            assert response.status_code == 403
            official_role = Role.objects.get(user=people["official_here"])
            client.post(reverse("accounts:roles"), {"revoke": official_role.pk})
            assert Role.objects.filter(pk=official_role.pk).exists()


def test_roles_page_enforces_jury_independence(
    client: Any, people: dict[str, Any], city: Any
) -> None:
    client.force_login(people["admin"])
    data = {"username": "assessor_here", "kind": RoleKind.JURY, "city": city.pk, "side": ""}
    response = client.post(reverse("accounts:roles"), data)
    assert response.status_code == 422
    assert "ne peut siéger à son jury" in response.content.decode()  # French is the default
    assert not Role.objects.filter(user=people["assessor_here"], kind=RoleKind.JURY).exists()


@pytest.fixture
def pending_and_dataset(
    city: Any, good_csv: bytes, framework_key: str, settings: Any
) -> tuple[PendingUpload, Dataset]:
    """A checked upload waiting for confirmation, and an accepted dataset, of the city."""
    from ecocite.web.datasets.services import import_upload, validate_upload
    from ecocite.web.datasets.uploads import build_preview, store_upload

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    dataset = import_upload("v.csv", good_csv, city=city, framework_key=framework_key, user=None)
    pending = store_upload("w.csv", good_csv, city=city, framework_key=framework_key, user=None)
    table = validate_upload("w.csv", good_csv, city=city, framework_key=framework_key)
    PendingUpload.objects.filter(pk=pending.pk).update(
        status="ready", preview=build_preview(table, pending)
    )
    return PendingUpload.objects.get(pk=pending.pk), dataset


@pytest.mark.parametrize("who", sorted(UPLOADERS | {"anonymous", "resident", "official_elsewhere",
                                                   "jury_here"}))  # fmt: skip
def test_upload_steps_and_dataset_changes_follow_the_city_rules(
    client: Any, people: dict[str, Any], who: str, city: Any, good_csv: bytes,
    pending_and_dataset: tuple[PendingUpload, Dataset],
) -> None:  # fmt: skip
    """Check page, status, confirm, discard, template, entry (datasets.add_dataset) and replace,
    withdraw (datasets.change_dataset): the same people as the upload itself, on pages and API."""
    pending, dataset = pending_and_dataset
    if people[who] is not None:
        client.force_login(people[who])
    pages = [
        ("get", reverse("datasets:check", args=[pending.pk]), {}),
        ("get", reverse("datasets:check_status", args=[pending.pk]), {}),
        ("get", reverse("datasets:template", args=[city.slug]), {}),
        ("get", reverse("datasets:enter", args=[city.slug]), {}),
        ("post", reverse("datasets:withdraw", args=[dataset.pk]), {"reason": ""}),
        ("post", reverse("datasets:replace", args=[dataset.pk]), {}),
        ("post", reverse("datasets:confirm", args=[pending.pk]), {}),
    ]
    for method, url, data in pages:
        response = getattr(client, method)(url, data)
        if who in UPLOADERS:
            assert response.status_code in (200, 302, 422), (url, response.status_code)
        elif who == "anonymous":
            assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
        else:
            assert response.status_code == 403, url
    api = _api(people[who])
    answers = [
        api.get(f"/api/v1/uploads/{pending.pk}/").status_code,
        api.delete(f"/api/v1/uploads/{pending.pk}/").status_code,
    ]
    if who in UPLOADERS:
        assert answers == [200, 409]  # the confirm above queued its import: not discarded now
        assert PendingUpload.objects.get(pk=pending.pk).status == "importing"
    else:
        assert set(answers) <= {401, 403} and answers[0] == (401 if who == "anonymous" else 403)
        assert PendingUpload.objects.get(pk=pending.pk).status == "ready"
    dataset.refresh_from_db()
    assert dataset.in_force  # a withdrawal needs a reason; a replacement a file
