"""The phases kernel: dated, ordered phases on any object, and the predicates reading them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import translation

from ecocite.web.core.models import Action, Phase
from ecocite.web.core.phases import (
    active_phase,
    may_take_part,
    phase_allows,
    phases_of,
)

# Phases of a city's co-construction, used as the process-like object: the kernel is generic.
SPRING = datetime(2026, 3, 1, tzinfo=UTC)
SUMMER = datetime(2026, 6, 1, tzinfo=UTC)
AUTUMN = datetime(2026, 9, 1, tzinfo=UTC)
WINTER = datetime(2026, 12, 1, tzinfo=UTC)


def _phase(obj: Any, position: int, start: datetime, end: datetime, **fields: Any) -> Phase:
    return Phase.objects.create(
        process=obj, position=position, name=f"phase {position}", starts_at=start, ends_at=end,
        **fields,
    )  # fmt: skip


@pytest.fixture
def two_phases(city: Any) -> list[Phase]:
    return [
        _phase(city, 1, SPRING, SUMMER, actions=["propose", "comment"], anonymous_allowed=True),
        _phase(city, 2, SUMMER, AUTUMN, actions=["support"]),
    ]


def test_active_phase_follows_the_dates(city: Any, two_phases: list[Phase]) -> None:
    assert phases_of(city) == two_phases
    assert active_phase(city, now=datetime(2026, 2, 1, tzinfo=UTC)) is None
    assert active_phase(city, now=SPRING) == two_phases[0]
    assert active_phase(city, now=datetime(2026, 5, 31, 23, 59, tzinfo=UTC)) == two_phases[0]
    assert active_phase(city, now=SUMMER) == two_phases[1]  # a phase ends where the next starts
    assert active_phase(city, now=AUTUMN) is None


def test_phases_belong_to_their_own_object(
    city: Any, other_city: Any, two_phases: list[Phase]
) -> None:
    assert phases_of(other_city) == []
    assert active_phase(other_city, now=SPRING) is None


def test_phase_allows_reads_the_active_phase(
    city: Any, two_phases: list[Phase], make_user: Any, monkeypatch: Any
) -> None:
    person = make_user("resident")
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 4, 1, tzinfo=UTC))
    assert phase_allows("comment").test(person, city)
    assert not phase_allows("support").test(person, city)
    assert may_take_part("comment").test(AnonymousUser(), city)  # phase 1 is open to all
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 7, 1, tzinfo=UTC))
    assert phase_allows("support").test(person, city)
    assert not phase_allows("comment").test(person, city)
    assert may_take_part("support").test(person, city)
    assert not may_take_part("support").test(AnonymousUser(), city)  # phase 2 is not
    monkeypatch.setattr("django.utils.timezone.now", lambda: WINTER)
    assert not phase_allows("support").test(person, city)  # after the last phase, nothing


def test_an_object_without_phases_allows_nothing(other_city: Any, make_user: Any) -> None:
    assert not phase_allows("comment").test(make_user("x"), other_city)


def test_unknown_action_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        phase_allows("shout")
    assert set(Action.values) == {
        "propose", "comment", "support", "answer_survey", "join_workshop", "vote_statements",
    }  # fmt: skip


def test_phase_shape_is_checked(city: Any, two_phases: list[Phase]) -> None:
    translation.activate("en")  # the messages are matched in English, whatever ran before
    with pytest.raises(ValidationError, match="overlap"):
        _phase(city, 3, datetime(2026, 8, 1, tzinfo=UTC), WINTER)
    with pytest.raises(ValidationError, match="ends_at"):
        _phase(city, 3, WINTER, AUTUMN)
    with pytest.raises(ValidationError, match="actions"):
        _phase(city, 3, AUTUMN, WINTER, actions=["shout"])
    with pytest.raises(ValidationError, match="position"):
        _phase(city, 0, AUTUMN, WINTER)
    assert len(phases_of(city)) == 2
    _phase(city, 3, AUTUMN, WINTER, actions=["vote_statements"])
    assert len(phases_of(city)) == 3
