"""Follows and notifications: answers, status changes, replies, phase openings, mails, digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations import services
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.interactions.models import Comment
from ecocite.web.notifications import services as notifications
from ecocite.web.notifications.models import Follow, Kind, Mail, Notification, Preferences

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)
START = NOW - timedelta(days=50)  # ideas: from NOW - 20 days to NOW + 25 days


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: Any) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.fixture
def process(make_user: Any, city: Any) -> Process:
    admin = make_user("ada", (RoleKind.ADMINISTRATOR, None))
    return services.create_process(
        admin,
        city,
        services.standard_phases(START, days=(30, 45, 30, 30, 180)),
        slug="centre",
        scale="operation",
        title_fr="Cœur de ville",
        title_zh="城市中心",
        title_en="Town centre",
        decision_fr="Plan guide",
    )


@pytest.fixture
def people(make_user: Any, city: Any) -> dict[str, Any]:
    rosa = make_user("rosa", (RoleKind.RESIDENT, None))
    li = make_user("li", (RoleKind.RESIDENT, None))
    li.preferred_language = "zh-hans"
    li.save()
    olga = make_user("olga", (RoleKind.CITY_OFFICIAL, city))
    return {"rosa": rosa, "li": li, "olga": olga}


def _propose(user: Any, process: Process, capture: Any) -> Proposal:
    with capture(execute=True):
        return services.submit_proposal(user, process, title="Un jardin", body="Sur la friche.")


def test_proposing_follows_and_the_answer_reaches_followers_in_their_language(
    process: Process, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    rosa, li, olga = people["rosa"], people["li"], people["olga"]
    proposal = _propose(rosa, process, django_capture_on_commit_callbacks)
    assert notifications.is_following(rosa, proposal)
    notifications.follow(li, process)  # follows the whole process
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_proposal(olga, proposal, "Nous l'étudions avec le quartier.", "accepted")
    # one notification each (the answer states the status: no second one for the status move)
    assert sorted(Notification.objects.values_list("recipient__username", "kind")) == [
        ("li", Kind.ANSWER),
        ("rosa", Kind.ANSWER),
    ]
    assert not Notification.objects.filter(recipient=olga).exists()  # not told of one's own act
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {"rosa@example.org", "li@example.org"}
    fr, zh = by_person["rosa@example.org"], by_person["li@example.org"]
    assert "Réponse officielle" in fr.subject and "retenue" in fr.subject
    assert "官方答复" in zh.subject and "Un jardin" in zh.subject
    assert "Nous l'étudions" in fr.body
    path = reverse("consultations:proposal", args=[proposal.pk])
    assert f"http://127.0.0.1:8000{path}" in fr.body
    for message in (fr, zh):
        link = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert link in message.body and "/notifications/unsubscribe/" in link
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.filter(mailed_at__isnull=True).count() == 0


def test_a_status_change_and_a_reply_are_told(
    process: Process, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    rosa, li, olga = people["rosa"], people["li"], people["olga"]
    proposal = _propose(rosa, process, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.comment_on(rosa, proposal, "Avec des bancs ?")
        services.comment_on(rosa, proposal, "Et de l'ombre.", parent=first)  # own reply: silent
        services.comment_on(li, proposal, "Oui, sous les arbres.", parent=first)
        services.change_status(olga, proposal, "under_study")
    assert notifications.is_following(li, proposal)  # commenting follows
    kinds = sorted(Notification.objects.filter(recipient=rosa).values_list("kind", flat=True))
    assert kinds == [Kind.REPLY, Kind.STATUS]
    assert list(Notification.objects.filter(recipient=li).values_list("kind", flat=True)) == [
        Kind.STATUS
    ]
    reply = Notification.objects.get(kind=Kind.REPLY)
    assert notifications.message(reply) == "li a répondu à votre commentaire sur « Un jardin »."
    answer = Comment.objects.get(text="Oui, sous les arbres.")
    assert reply.data["path"].endswith(f"#comment-{answer.pk}")


def test_a_kind_turned_off_is_not_told(
    process: Process, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    rosa, li = people["rosa"], people["li"]
    Preferences.objects.create(user=rosa, replies=False)
    proposal = _propose(rosa, process, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.comment_on(rosa, proposal, "Avec des bancs ?")
        services.comment_on(li, proposal, "Oui.", parent=first)
    assert not Notification.objects.filter(recipient=rosa).exists()


def test_daily_digest_sends_one_mail_once(
    process: Process, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    rosa, olga = people["rosa"], people["olga"]
    notifications.set_mail(rosa, Mail.DAILY)
    proposal = _propose(rosa, process, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(olga, proposal, "under_study")
        services.answer_proposal(olga, proposal, "Accepté.", "accepted")
    assert mail.outbox == []  # nothing at once for a digest reader
    assert Notification.objects.filter(recipient=rosa).count() == 2
    call_command("notify_digest", stdout=_Sink())
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert "2" in digest.subject and "quotidien" in digest.subject
    assert "« Un jardin » est maintenant : à l'étude." in digest.body
    assert "Réponse officielle à « Un jardin » : retenue." in digest.body
    assert "List-Unsubscribe" in digest.extra_headers
    call_command("notify_digest", stdout=_Sink())
    assert len(mail.outbox) == 1, "a second run has nothing new"


class _Sink:
    def write(self, text: str) -> None:
        pass


def test_phase_openings_are_announced_once_to_the_followers(
    process: Process, people: dict[str, Any], monkeypatch: Any
) -> None:
    rosa, li = people["rosa"], people["li"]
    notifications.follow(li, process)
    # the ideas phase opened 20 days ago: too long ago to announce now
    assert notifications.announce_phases() == 0
    # 46 days later the co-design phase has just opened (START + 75 days)
    later = START + timedelta(days=75, hours=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    mail.outbox.clear()
    call_command("notify_phases", stdout=_Sink())
    call_command("notify_phases", stdout=_Sink())
    notes = list(Notification.objects.all())
    assert [(n.recipient, n.kind) for n in notes] == [(li, Kind.PHASE)]  # rosa follows nothing
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["li@example.org"]
    assert "城市中心" in mail.outbox[0].subject  # Li reads Chinese: the process's Chinese title
    assert rosa.notifications.count() == 0


def test_one_click_unsubscribe_works_without_signing_in(
    process: Process, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    rosa, olga = people["rosa"], people["olga"]
    proposal = _propose(rosa, process, django_capture_on_commit_callbacks)
    token = notifications.unsubscribe_token(rosa)
    client = Client()
    page = client.get(reverse("notifications:unsubscribe", args=[token]))
    assert page.status_code == 200 and b"unsubscribed" in page.content
    assert notifications.preferences(rosa).mail == Mail.NONE
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_proposal(olga, proposal, "Accepté.", "accepted")
    assert mail.outbox == [] and rosa.notifications.count() == 1  # still listed in the site
    # undo, then the mail client's RFC 8058 one-click POST
    client.post(reverse("notifications:unsubscribe", args=[token]), {"resubscribe": "1"})
    assert notifications.preferences(rosa).mail == Mail.IMMEDIATE
    answer = client.post(
        reverse("notifications:unsubscribe", args=[token]),
        {"List-Unsubscribe": "One-Click"},
    )
    assert answer.status_code == 200 and notifications.preferences(rosa).mail == Mail.NONE
    forged = client.get(reverse("notifications:unsubscribe", args=[f"{rosa.pk}:forged"]))
    assert forged.status_code == 404


def test_follow_buttons_list_header_count_and_mark_read(
    process: Process, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    rosa, li, olga = people["rosa"], people["li"], people["olga"]
    proposal = _propose(rosa, process, django_capture_on_commit_callbacks)
    anonymous = Client()
    url = reverse("notifications:follow")
    form = {"type": "proposal", "id": str(proposal.pk), "next": "/"}
    assert "login" in anonymous.post(url, form)["Location"]
    assert anonymous.get(reverse("notifications:list"))["Location"].startswith("/accounts/login")
    client = Client()
    client.force_login(li)
    page = client.get(reverse("consultations:proposal", args=[proposal.pk]))
    assert b'name="type" value="proposal"' in page.content
    client.post(url, {**form, "next": "https://evil.example/"})
    assert Follow.objects.filter(user=li).count() == 1
    client.post(url, {**form, "unfollow": "1"})
    assert not Follow.objects.filter(user=li).exists()
    assert client.post(url, {"type": "user", "id": "1"}).status_code == 404
    client.post(url, form)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_proposal(olga, proposal, "Accepté.", "accepted")
    client.cookies.load({"django_language": "en"})
    home = client.get(reverse("consultations:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert b'id="notifications-link"' in home.content
    listing = client.get(reverse("notifications:list"))
    note = Notification.objects.get(recipient=li)
    assert reverse("notifications:open", args=[note.pk]).encode() in listing.content
    other = Client()
    other.force_login(rosa)
    rosa_note = Notification.objects.get(recipient=rosa)
    assert client.get(reverse("notifications:open", args=[rosa_note.pk])).status_code == 404
    opened = client.get(reverse("notifications:open", args=[note.pk]))
    assert opened["Location"] == reverse("consultations:proposal", args=[proposal.pk])
    assert notifications.unread_count(li) == 0 and notifications.unread_count(rosa) == 1
    other.post(reverse("notifications:list"))
    assert notifications.unread_count(rosa) == 0


def test_settings_page_saves_the_mail_choice(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["rosa"])
    url = reverse("notifications:settings")
    assert client.get(url).status_code == 200
    client.post(url, {"mail": "daily", "answers": "on", "phases": "on"})
    prefs = notifications.preferences(people["rosa"])
    assert (prefs.mail, prefs.answers, prefs.replies, prefs.phases) == ("daily", True, False, True)
    assert client.post(url, {"mail": "hourly"}).status_code == 422


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Réponse officielle"), ("en", "Official answer"), ("zh-hans", "官方答复")],
)
def test_mails_are_written_in_each_of_the_three_languages(
    process: Process,
    make_user: Any,
    people: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    language: str,
    expected: str,
) -> None:
    reader = make_user("reader", (RoleKind.RESIDENT, None))
    reader.preferred_language = language
    reader.save()
    proposal = _propose(people["rosa"], process, django_capture_on_commit_callbacks)
    notifications.follow(reader, proposal)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_proposal(people["olga"], proposal, "OK.", "rejected")
    sent = next(m for m in mail.outbox if m.to == ["reader@example.org"])
    assert expected in sent.subject
    assert sent.extra_headers["Content-Language"] == language


def test_the_ecocite_web_commands_run_the_jobs(db: Any, capsys: Any) -> None:
    from ecocite.web.serve import main

    main(["notify-phases"])
    main(["notify-digest"])
    out = capsys.readouterr().out
    assert "0 notifications of phase openings" in out and "0 digests sent" in out


def test_telling_many_followers_and_listing_cost_constant_queries(
    process: Process, people: dict[str, Any], make_user: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def tell(n: int, key: str) -> int:
        readers = [make_user(f"{key}{i}") for i in range(n)]
        for reader in readers:
            notifications.set_mail(reader, Mail.NONE)
            notifications.follow(reader, process)
        with CaptureQueriesContext(connection) as queries:
            notifications.notify(
                notifications.followers(process), str(Kind.PHASE), process, {}, key
            )
        Follow.objects.all().delete()
        return len(queries)

    assert tell(2, "a") == tell(40, "b")
    client = Client()
    client.force_login(people["rosa"])
    url = reverse("notifications:list")

    def listing() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    notifications.notify([people["rosa"]], str(Kind.PHASE), process, {}, "one")
    few = listing()
    for i in range(25):
        notifications.notify([people["rosa"]], str(Kind.PHASE), process, {}, f"k{i}")
    assert listing() == few
