"""Roles held for one scope object (a process, a workshop, a programme), and their predicates.

Until the consultations and label apps bring processes and programmes, real objects of the
platform stand in as scopes (a dataset put to consultation, a framework as a programme): the
kernel only sees a generic relation.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.accounts.predicates import is_facilitator, is_moderator, is_secretariat
from ecocite.web.datasets.models import Dataset
from ecocite.web.datasets.services import import_upload
from ecocite.web.interactions.models import Comment


@pytest.fixture
def datasets(city: Any, good_csv: bytes, framework_key: str) -> tuple[Dataset, Dataset]:
    first = import_upload("a.csv", good_csv, city=city, framework_key=framework_key, user=None)
    second = import_upload("b.csv", good_csv, city=city, framework_key=framework_key, user=None)
    return first, second


def test_a_scoped_role_counts_only_for_its_object(
    make_user: Any, datasets: tuple[Dataset, Dataset]
) -> None:
    mine, other = datasets
    person = make_user("mod")
    Role.objects.create(user=person, kind=RoleKind.MODERATOR, scope=mine)
    assert is_moderator.test(person, mine)
    assert not is_moderator.test(person, other)
    assert not is_facilitator.test(person, mine)


def test_a_scoped_role_reaches_what_hangs_on_its_object(
    make_user: Any, datasets: tuple[Dataset, Dataset]
) -> None:
    mine, other = datasets
    person = make_user("facilitator")
    Role.objects.create(user=person, kind=RoleKind.FACILITATOR, scope=mine)
    on_mine = Comment.objects.create(content_object=mine, text="a question")
    on_other = Comment.objects.create(content_object=other, text="another")
    assert is_facilitator.test(person, on_mine)
    assert not is_facilitator.test(person, on_other)


def test_a_platform_moderator_moderates_everywhere(
    make_user: Any, datasets: tuple[Dataset, Dataset]
) -> None:
    person = make_user("mod", (RoleKind.MODERATOR, None))
    assert all(is_moderator.test(person, d) for d in datasets)
    assert not is_secretariat.test(person, datasets[0])


def test_scoped_role_shape_is_checked(
    make_user: Any, city: Any, datasets: tuple[Dataset, Dataset]
) -> None:
    person = make_user("someone")
    with pytest.raises(ValidationError, match="kind"):
        Role.objects.create(user=person, kind=RoleKind.FACILITATOR)  # needs its workshop
    with pytest.raises(ValidationError, match="kind"):
        Role.objects.create(user=person, kind=RoleKind.RESIDENT, scope=datasets[0])
    with pytest.raises(ValidationError, match="city"):
        Role.objects.create(user=person, kind=RoleKind.SECRETARIAT, city=city, scope=datasets[0])
    Role.objects.create(user=person, kind=RoleKind.SECRETARIAT, scope=datasets[0])
    with pytest.raises(ValidationError):
        Role.objects.create(user=person, kind=RoleKind.SECRETARIAT, scope=datasets[0])  # twice
    assert Role.objects.filter(user=person).count() == 1


def test_the_roles_page_refuses_a_scoped_role_without_its_scope(
    client: Any, make_user: Any
) -> None:
    """Scoped roles are granted by the app that owns the scope; the page says so, no error."""
    from django.urls import reverse

    client.force_login(make_user("admin", (RoleKind.ADMINISTRATOR, None)))
    make_user("candidate")
    data = {"username": "candidate", "kind": RoleKind.FACILITATOR, "city": "", "side": ""}
    response = client.post(reverse("accounts:roles"), data)
    assert response.status_code == 422
    assert "Ce rôle s&#x27;exerce pour une démarche" in response.content.decode()
    assert not Role.objects.filter(kind=RoleKind.FACILITATOR).exists()
