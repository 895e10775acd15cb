"""GDPR: download all one's data, delete one's account, no IP address kept for anonymous people."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from PIL import Image

from ecocite.web.accounts.models import RoleKind, User
from ecocite.web.consultations import services
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.core.models import Phase
from ecocite.web.interactions.models import Comment, Support
from ecocite.web.notifications import services as notifications
from ecocite.web.notifications.models import Follow

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: Any) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (0, 120, 60)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def world(make_user: Any, city: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = str(tmp_path)
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    process = services.create_process(
        admin,
        city,
        services.standard_phases(NOW - timedelta(days=40)),
        slug="centre",
        scale="operation",
        title_fr="Cœur de ville",
        decision_fr="Plan guide",
    )
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    li = make_user("li", (RoleKind.RESIDENT, None))
    mine = services.submit_proposal(
        rosa, process, title="Jardin de Rosa", body="Texte", images=[("j.png", _png())]
    )
    other = services.submit_proposal(li, process, title="Bancs de Li", body="Texte")
    question = services.comment_on(rosa, other, "Question de Rosa")
    services.comment_on(li, other, "Réponse de Li", parent=question)
    services.support_proposal(rosa, other)
    notifications.follow(rosa, process)
    return {"process": process, "rosa": rosa, "li": li, "mine": mine, "other": other}


def test_the_download_holds_every_row_and_file_of_the_person(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["rosa"])
    assert client.get(reverse("accounts:data")).status_code == 200
    response = client.get(reverse("accounts:data_download"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["username"] == "rosa" and "password" not in data["profile"]
    tables = data["tables"]
    assert [p["title"] for p in tables["consultations.proposal"]] == ["Jardin de Rosa"]
    assert [c["text"] for c in tables["interactions.comment"]] == ["Question de Rosa"]
    assert len(tables["interactions.support"]) == 1
    assert len(tables["notifications.follow"]) == 1  # the process
    assert [r["kind"] for r in tables["accounts.role"]] == ["resident"]
    image = tables["consultations.proposal"][0]["consultations.proposalimage"][0]["image"]
    assert image in archive.namelist()
    with Image.open(io.BytesIO(archive.read(image))) as picture:
        assert picture.size == (20, 10)
    assert "Bancs de Li" not in json.dumps(data, ensure_ascii=False)  # only her own rows
    assert "login" in Client().get(reverse("accounts:data_download"))["Location"]


def test_delete_keeping_contributions_as_former_participant(
    world: dict[str, Any], password: str
) -> None:
    client = Client()
    client.force_login(world["rosa"])
    url = reverse("accounts:delete")
    wrong = client.post(url, {"contributions": "keep", "password": "nope"})
    assert wrong.status_code == 422 and User.objects.filter(username="rosa").exists()
    done = client.post(url, {"contributions": "keep", "password": password})
    assert done.status_code == 302
    assert not User.objects.filter(username="rosa").exists()
    mine = Proposal.objects.get(pk=world["mine"].pk)
    assert mine.author is not None and mine.author.former and not mine.author.is_active
    assert str(mine.author) == "ancien participant"
    comment = Comment.objects.get(text="Question de Rosa")
    assert comment.author == mine.author
    assert Support.objects.count() == 0  # a support is personal: it goes with the account
    assert not Follow.objects.filter(user__username="rosa").exists()
    page = Client().get(reverse("consultations:proposal", args=[world["other"].pk]))
    assert "ancien participant" in page.content.decode()
    assert client.get(reverse("accounts:data")).status_code == 302  # signed out


def test_delete_with_contributions_removes_them_and_their_files(
    world: dict[str, Any], password: str
) -> None:
    picture = world["mine"].images.get().image
    storage, name = picture.storage, picture.name
    assert storage.exists(name)
    client = Client()
    client.force_login(world["rosa"])
    client.post(reverse("accounts:delete"), {"contributions": "delete", "password": password})
    assert not User.objects.filter(username="rosa").exists()
    assert not Proposal.objects.filter(pk=world["mine"].pk).exists()
    assert not storage.exists(name)
    placeholder = Comment.objects.get(pk=Comment.objects.get(text="Réponse de Li").parent_id)
    assert placeholder.is_deleted and placeholder.text == "" and placeholder.author is None
    assert not User.objects.filter(former=True).exists()


def test_anonymous_contributions_store_no_ip_address(city: Any, make_user: Any) -> None:
    process = Process.objects.create(
        slug="ouvert", city=city, scale="territory", title_fr="Ouvert", decision_fr="Plan"
    )
    Phase.objects.create(
        process=process, position=1, name="idées", actions=["propose", "comment"],
        anonymous_allowed=True,
        starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=9),
    )  # fmt: skip
    address = "203.0.113.77"
    client = Client(REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR="198.51.100.23")
    client.post(
        reverse("consultations:propose", args=[process.slug]),
        {"title": "Une idée anonyme", "body": "Sans compte.", "geometry": ""},
    )
    proposal = Proposal.objects.get(title="Une idée anonyme")
    assert proposal.author is None
    client.post(reverse("consultations:comment", args=[proposal.pk]), {"text": "Anonyme aussi"})
    assert Comment.objects.filter(text="Anonyme aussi", author=None).exists()
    # no column of any table holds either address
    found = []
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            or "ip" in f.name.lower()
        ]
        for row in model._base_manager.values(*text_fields):
            blob = json.dumps(row, default=str)
            if address in blob or "198.51.100.23" in blob:
                found.append(model._meta.label)
    assert found == []
