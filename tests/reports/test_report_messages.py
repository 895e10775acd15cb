"""The message catalogue: three languages for every key, numbers and reasons per language."""

from __future__ import annotations

import string

import pytest

from ecocite.assessment import Reason
from ecocite.frameworks import Framework
from ecocite.i18n import LANGUAGES
from ecocite.reports import ReportError, catalogue, message, reason_sentence
from ecocite.reports.messages import (
    format_number,
    format_points,
    format_quantity,
    format_share,
    format_unit,
    is_illustrative,
)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_has_all_three_languages_and_the_same_placeholders() -> None:
    cat = catalogue()
    assert len(cat) > 100
    for key, texts in cat.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        assert _fields(texts["fr"]) == _fields(texts["zh"]) == _fields(texts["en"]), key


def test_every_key_the_reports_use_exists() -> None:
    # Every status, kind, quality and reason code the assessment model can produce has a text.
    from typing import get_args

    from ecocite.assessment.model import GapAction, IndicatorStatus, ReasonCode

    cat = catalogue()
    for status in get_args(IndicatorStatus):
        assert f"status.{status}" in cat
    for code in get_args(ReasonCode):
        assert f"reason.{code}" in cat or f"reason.{code}.points" in cat
    for why in get_args(GapAction.model_fields["why"].annotation):
        assert f"why.{why}" in cat
    for kind in ("control", "scored", "bonus", "measure"):
        assert f"kind.{kind}" in cat


def test_unknown_key_or_language_is_a_clear_error() -> None:
    with pytest.raises(ReportError, match="no message 'nope'"):
        message("nope", "en")
    with pytest.raises(ReportError, match="'de'"):
        message("section.level", "de")


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (45.0, "en", "45"),
        (3.64, "en", "3.64"),
        (12.345, "en", "12.3"),
        (0.0352, "en", "0.0352"),
        (1990.0, "en", "1990"),
        (123456.0, "en", "123,456"),
        (123456.0, "fr", "123\u202f456"),
        (12.345, "fr", "12,3"),
        (-0.0001, "en", "-0.0001"),
        (0.0, "zh", "0"),
        (None, "en", "—"),
    ],
)
def test_format_number(value: float | None, lang: str, expected: str) -> None:
    assert format_number(value, lang) == expected


def test_points_shares_units_and_quantities() -> None:
    assert format_points(61.26, "en") == "61.3"
    assert format_points(61.2, "fr") == "61,2"
    assert format_points(-0.01, "en") == "0.0"
    assert format_share(0.646, "en") == "65%"
    assert format_share(0.5, "fr") == "50\u202f%"
    assert format_unit("m**2/person", "fr") == "m²/hab."
    assert format_unit("m**2/person", "zh") == "m²/人"
    assert format_unit("t / person", "en") == "t/person"
    assert format_unit("1/year", "en") == "/year"
    assert format_quantity(3.6, "t/person", "en") == "3.6 t/person"
    assert format_quantity(45.0, "%", "en") == "45%"
    assert format_quantity(45.5, "%", "fr") == "45,5\u202f%"
    assert format_quantity(None, "%", "en") == "—"


def test_illustrative_detection() -> None:
    assert is_illustrative("EcoCité demo: Illustrative value")
    assert is_illustrative("illustrative")
    assert not is_illustrative("CEADs 2019 inventory")
    assert not is_illustrative(None)


REASONS = [
    Reason(code="level_reached", level="two_star", value=61.25, threshold=60.0),
    Reason(code="no_level"),
    Reason(code="control_failed", indicator="sewage_treated", value=90.0, threshold=95.0),
    Reason(code="control_missing", indicator="sewage_treated", threshold=95.0),
    Reason(code="insufficient_quality", indicator="co2_per_capita", value=6.54, threshold=4.0),
    Reason(code="category_below_minimum", category="land_use", value=8.04, threshold=10.0),
    Reason(code="points_below_next_level", level="three_star", value=61.25, threshold=80.0),
    Reason(code="core_missing", level="two_star"),
    Reason(code="completeness_below_next_level", level="two_star", value=0.5, threshold=0.75),
]


@pytest.mark.parametrize("reason", REASONS, ids=[r.code for r in REASONS])
def test_every_reason_reads_as_a_sentence_in_each_language(
    reason: Reason, framework: Framework
) -> None:
    sentences = {
        lang: reason_sentence(reason, framework=framework, lang=lang) for lang in LANGUAGES
    }
    assert len(set(sentences.values())) == 3  # really translated
    for lang, text in sentences.items():
        assert "{" not in text and "None" not in text, (lang, text)
        assert text.rstrip()[-1] in ".。", (lang, text)
        if reason.level:
            level = next(lv for lv in framework.grading.levels if lv.id == reason.level)
            assert level.name(lang) in text
        if reason.indicator:
            assert framework.indicator(reason.indicator).name(lang) in text
        if reason.category:
            cat = next(c for c in framework.categories if c.id == reason.category)
            assert cat.name(lang) in text


def test_reason_numbers_are_formatted_per_language(framework: Framework) -> None:
    reached = REASONS[0]
    assert "61.2" in reason_sentence(reached, framework=framework, lang="en")
    assert "61,2" in reason_sentence(reached, framework=framework, lang="fr")
    assert "60.0" in reason_sentence(reached, framework=framework, lang="zh")
    failed = REASONS[2]
    en = reason_sentence(failed, framework=framework, lang="en")
    assert "90%" in en and "at least 95%" in en
    lower = Reason(code="control_failed", indicator="co2_per_capita", value=6.54, threshold=4.0)
    en = reason_sentence(lower, framework=framework, lang="en")
    assert "6.54 t/person" in en and "at most 4 t/person" in en
    assert "6,54 t/hab." in reason_sentence(lower, framework=framework, lang="fr")
    share = REASONS[-1]
    assert "50%" in reason_sentence(share, framework=framework, lang="en")
    assert "75\u202f%" in reason_sentence(share, framework=framework, lang="fr")
