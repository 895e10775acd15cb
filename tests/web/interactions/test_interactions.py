"""Comments, supports, reports and attachments on real objects, through their services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ecocite.web.accounts.models import Role, RoleKind
from ecocite.web.core.models import Phase
from ecocite.web.datasets.models import Dataset
from ecocite.web.datasets.services import import_upload
from ecocite.web.interactions import services
from ecocite.web.interactions.models import Attachment, Comment, Report, Support

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)


@pytest.fixture
def now(monkeypatch: Any) -> list[datetime]:
    """The clock, movable by the test (``now[0] += …``)."""
    clock = [NOW]
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock[0])
    return clock


@pytest.fixture
def dataset(city: Any, good_csv: bytes, framework_key: str) -> Dataset:
    """A dataset put to consultation: one open phase for comments and supports."""
    found = import_upload("a.csv", good_csv, city=city, framework_key=framework_key, user=None)
    Phase.objects.create(
        process=found,
        position=1,
        name="consultation",
        starts_at=datetime(2026, 3, 1, tzinfo=UTC),
        ends_at=datetime(2026, 5, 1, tzinfo=UTC),
        actions=["comment", "support"],
    )
    return found


def test_threaded_comments_and_the_deleted_placeholder(
    make_user: Any, dataset: Dataset, now: list[datetime]
) -> None:
    ann, bo = make_user("ann"), make_user("bo")
    first = services.add_comment(ann, dataset, "  Where do the 2019 values come from? ")
    answer = services.add_comment(bo, dataset, "The city's yearbook.", parent=first)
    services.add_comment(ann, dataset, "Thanks!", parent=answer)
    second = services.add_comment(bo, dataset, "A second topic.")
    services.delete_comment(ann, first)
    with translation.override("en"):
        entries = services.thread(dataset)
    assert [(e.depth, e.text) for e in entries] == [
        (0, "This comment was deleted."),
        (1, "The city's yearbook."),
        (2, "Thanks!"),
        (0, "A second topic."),
    ]
    assert entries[0].comment.text == "" and entries[0].comment.is_deleted
    assert entries[-1].comment == second
    with translation.override("fr"):
        assert services.thread(dataset)[0].text == "Ce commentaire a été supprimé."
    with pytest.raises(PermissionDenied):
        services.delete_comment(ann, first)  # already deleted


def test_an_answer_stays_in_its_thread(
    make_user: Any, dataset: Dataset, city: Any, now: list[datetime]
) -> None:
    ann = make_user("ann", (RoleKind.MODERATOR, None))
    first = services.add_comment(ann, dataset, "on the dataset")
    with pytest.raises(ValidationError, match="parent"):
        services.add_comment(ann, city, "on the city", parent=first)  # moderators may post there
    assert Comment.objects.count() == 1


def test_edit_window_and_authorship(make_user: Any, dataset: Dataset, now: list[datetime]) -> None:
    ann, bo = make_user("ann"), make_user("bo")
    comment = services.add_comment(ann, dataset, "draft")
    with pytest.raises(PermissionDenied):
        services.edit_comment(bo, comment, "not mine")
    now[0] += timedelta(minutes=10)
    services.edit_comment(ann, comment, "final")
    comment.refresh_from_db()
    assert comment.text == "final" and comment.edited_at == now[0]
    now[0] += timedelta(minutes=6)  # 16 minutes after writing
    with pytest.raises(PermissionDenied):
        services.edit_comment(ann, comment, "too late")
    with pytest.raises(ValidationError, match="text"):
        services.add_comment(ann, dataset, "   ")
    assert Comment.objects.get().text == "final"


def test_comments_follow_the_phase(make_user: Any, dataset: Dataset, now: list[datetime]) -> None:
    ann = make_user("ann")
    with pytest.raises(PermissionDenied):
        services.add_comment(AnonymousUser(), dataset, "anonymous")  # the phase needs an account
    now[0] = datetime(2026, 6, 1, tzinfo=UTC)  # the consultation is over
    with pytest.raises(PermissionDenied):
        services.add_comment(ann, dataset, "late")
    moderator = make_user("mod")
    Role.objects.create(user=moderator, kind=RoleKind.MODERATOR, scope=dataset)
    services.add_comment(moderator, dataset, "The consultation is closed; thank you all.")
    assert Comment.objects.count() == 1


def test_anonymous_comment_when_the_phase_allows_it(dataset: Dataset, now: list[datetime]) -> None:
    Phase.objects.filter(process_id=dataset.pk).update(anonymous_allowed=True)
    comment = services.add_comment(AnonymousUser(), dataset, "a visitor's question")
    assert comment.author is None


def test_one_support_per_person_and_withdrawal(
    make_user: Any, dataset: Dataset, now: list[datetime]
) -> None:
    ann, bo = make_user("ann"), make_user("bo")
    services.support(ann, dataset)
    services.support(ann, dataset)
    services.support(bo, dataset)
    assert services.support_count(dataset) == 2
    assert services.withdraw_support(ann, dataset) is True
    assert services.withdraw_support(ann, dataset) is False
    assert services.support_count(dataset) == 1
    with pytest.raises(PermissionDenied):
        services.support(AnonymousUser(), dataset)
    assert Support.objects.filter(user=bo).count() == 1


def test_reports_need_an_account_and_a_reason(
    make_user: Any, dataset: Dataset, now: list[datetime]
) -> None:
    ann = make_user("ann")
    comment = services.add_comment(ann, dataset, "buy cheap watches")
    with pytest.raises(PermissionDenied):
        services.report(AnonymousUser(), comment, "spam")
    with pytest.raises(ValidationError, match="reason"):
        services.report(ann, comment, "boring")
    flagged = services.report(make_user("bo"), comment, "spam", "advertising")
    assert flagged.content_object == comment and Report.objects.count() == 1


def test_attachments_are_checked_and_kept(
    make_user: Any, dataset: Dataset, now: list[datetime], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    ann = make_user("ann")
    facilitator = make_user("fac")
    Role.objects.create(user=facilitator, kind=RoleKind.FACILITATOR, scope=dataset)
    pdf = b"%PDF-1.7\n minutes of the workshop\n%%EOF"
    with pytest.raises(PermissionDenied):
        services.attach(ann, dataset, "minutes.pdf", pdf)  # the phase opens no proposals
    with pytest.raises(ValidationError, match="file"):
        services.attach(facilitator, dataset, "minutes.exe", pdf)
    with pytest.raises(ValidationError, match="file"):
        services.attach(facilitator, dataset, "minutes.pdf", b"MZ not a pdf")
    attached = services.attach(facilitator, dataset, "../minutes.pdf", pdf)
    assert attached.original_name == "minutes.pdf" and attached.size == len(pdf)
    assert attached.file.read() == pdf
    assert Attachment.objects.count() == 1
