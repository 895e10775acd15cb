"""Ranking contributors for a call: hand-computed scores, distances and reasons."""

from __future__ import annotations

import pytest

from ecocite.participation.matching import (
    Need,
    Offer,
    great_circle_km,
    rank_contributors,
    score_offer,
)

PARIS = (2.3522, 48.8566)
LYON = (4.8357, 45.7640)
WUHAN = (114.3055, 30.5928)
JINGZHOU = (112.2397, 30.3352)


def test_great_circle_distance_paris_lyon() -> None:
    # Published great-circle distance Paris–Lyon is about 392 km.
    assert great_circle_km(*PARIS, *LYON) == pytest.approx(392, abs=2)
    assert great_circle_km(*PARIS, *PARIS) == 0


def test_score_counts_discipline_languages_and_nearness() -> None:
    need = Need(
        disciplines=frozenset({"geography"}),
        languages=frozenset({"zh", "fr"}),
        lon=JINGZHOU[0],
        lat=JINGZHOU[1],
    )
    near = Offer("li", "geography", frozenset({"zh", "fr", "en"}), *JINGZHOU)
    match = score_offer(need, near)
    # 3 (discipline) + 2 × 2 (two wanted languages) + 2 × (1 − 0/50) (same place)
    assert match.score == pytest.approx(9)
    assert match.languages == ("fr", "zh")
    assert match.reasons == ("discipline", "languages", "near")
    far = Offer("wei", "geography", frozenset({"zh"}), *WUHAN)
    d = great_circle_km(*WUHAN, *JINGZHOU)
    assert d > 50  # Wuhan is beyond the 50 km reach: no nearness points
    assert score_offer(need, far).score == pytest.approx(3 + 2)
    assert score_offer(need, far).distance_km == pytest.approx(d)


def test_online_calls_ignore_place_and_unavailable_people_count_half() -> None:
    need = Need(languages=frozenset({"fr"}), lon=JINGZHOU[0], lat=JINGZHOU[1], online=True)
    here = Offer("a", "", frozenset({"fr"}), *JINGZHOU)
    assert score_offer(need, here).score == pytest.approx(2)
    busy = Offer("b", "", frozenset({"fr"}), *JINGZHOU, available=False)
    assert score_offer(need, busy).score == pytest.approx(1)


def test_ranking_is_stable_and_leaves_out_people_with_nothing_to_offer() -> None:
    need = Need(languages=frozenset({"zh"}))
    offers = [
        Offer("x", "", frozenset({"es"})),
        Offer("first", "", frozenset({"zh"})),
        Offer("second", "", frozenset({"zh"})),
        Offer("best", "architecture", frozenset({"zh"})),
    ]
    ranked = rank_contributors(need, offers)
    # "any discipline" earns a third of the discipline points: 2 + 1 for "best".
    assert [m.key for m in ranked] == ["best", "first", "second"]
    assert rank_contributors(need, offers, limit=1)[0].key == "best"
