"""Template filters for the engines' three-language texts, framework rules, and numbers, years, units and names as people write them.

Every number a person reads goes through the reports' formatter (``ecocite.reports.messages``)
and every unit through :func:`ecocite.units.format_unit`, so a page, a report and the command
line show the same "m²/hab." and the same "45 %". Years, ids and codes are never localised as
quantities (the settings keep Django's thousands separator off for the same reason).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ecocite.frameworks import Indicator
from ecocite.frameworks.schema import BandScoring
from ecocite.reports.messages import (
    ReportError,
    format_number,
    format_quantity,
    format_share,
    format_year,
    message,
)
from ecocite.units import format_unit, is_calendar_year
from ecocite.web.core.languages import engine_lang, pick

register = template.Library()


@register.filter
def tr(obj: Any, attribute: str = "name") -> str:
    """``obj.<attribute>``, a three-language Text, in the active language.

    Takes the owner rather than the Text itself: a Text is callable, and Django templates call
    callables with no argument (which would give the English fallback).
    """
    return pick(getattr(obj, attribute, None))


@register.filter
def in_english(text: Any) -> str:
    """Return a data text that exists only in English (a threshold's source, a boundary note, a publisher's note): marked ``lang="en"`` for screen readers and, on French and Chinese pages, followed by "(in English)" so that nobody takes it for a missing translation."""
    value = str(text or "")
    if not value:
        return ""
    if engine_lang() == "en":
        return value
    return format_html(
        '<span lang="en">{}</span> <small class="in-english">({})</small>',
        value,
        _("in English"),
    )


@register.filter
def kind_label(kind: Any) -> str:
    """Return an indicator kind in the active language."""
    labels = {
        "control": _("control item"),
        "scored": _("scored item"),
        "bonus": _("bonus item"),
        "measure": _("measured only"),
    }
    return labels.get(str(getattr(kind, "value", kind)), str(kind))


@register.filter
def status_label(status: str) -> str:
    """Return an indicator's status in an assessment, in the active language."""
    labels = {
        "scored": _("scored"),
        "passed": _("passed"),
        "failed": _("failed"),
        "measured": _("measured"),
        "missing": _("missing"),
        "insufficient_quality": _("insufficient quality"),
    }
    return labels.get(status, status)


@register.filter
def notation_label(key: str) -> str:
    """Return a GPC notation key ("NO", "IE", "NE", "C") spelt out in the active language."""
    labels = {
        "NO": _("not occurring"),
        "IE": _("included elsewhere"),
        "NE": _("not estimated"),
        "C": _("confidential"),
    }
    return labels.get(str(key), str(key))


def _n(value: float) -> str:
    return format_number(value, engine_lang())


def _float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@register.filter
def year(value: Any) -> str:
    """Return a calendar year: "2024" in every language ("2,022.342" → "2022")."""
    return format_year(value)


@register.filter
def unit(value: Any) -> str:
    """Return a unit as a reader writes it in the active language (``m**2/person`` → "m²/hab.")."""
    return format_unit(str(value or ""), engine_lang())


@register.filter
def number(value: Any, decimals: Any = None) -> str:
    """Return a quantity in the active language, about three significant digits by default."""
    digits = None if decimals in (None, "") else int(decimals)
    return format_number(_float(value), engine_lang(), decimals=digits)


@register.filter
def quantity(value: Any, unit_text: Any = "") -> str:
    """Return a value with its unit ("3.6 t/hab.", "45 %")."""
    return format_quantity(_float(value), str(unit_text or ""), engine_lang())


@register.filter
def share(value: Any) -> str:
    """Return a share 0–1 as a percentage ("100 %", "64%")."""
    return format_share(_float(value), engine_lang())


@register.filter
def indicator_value(row: Any, attribute: str = "value") -> str:
    """``row.<attribute>`` of an indicator row (an assessment row, a gap action, a dataset value) with the row's unit; a calendar-year indicator reads as a year."""
    value = getattr(row, attribute, None)
    unit_text = str(getattr(row, "unit", "") or "")
    if value is None:
        return "—"
    if is_calendar_year(getattr(row, "indicator", None), unit_text):
        return format_year(value)
    return format_quantity(_float(value), unit_text, engine_lang())


@register.filter
def indicator_number(row: Any, attribute: str = "value") -> str:
    """Like :func:`indicator_value` without the unit, for tables that have a unit column."""
    value = getattr(row, attribute, None)
    if value is None:
        return "—"
    if is_calendar_year(getattr(row, "indicator", None), str(getattr(row, "unit", "") or "")):
        return format_year(value)
    return format_number(_float(value), engine_lang())


@register.filter
def quality_label(quality: Any) -> str:
    """Return a data-quality level ("high", "medium", "low") in the active language."""
    key = str(getattr(quality, "value", quality) or "")
    if not key:
        return "—"
    try:
        return message(f"quality.{key}", engine_lang())
    except ReportError:
        return key


# Countries of the platform's cities, by ISO 3166 code; another code is shown as it is.
_COUNTRIES: dict[str, dict[str, str]] = {
    "CN": {"fr": "Chine", "zh": "中国", "en": "China"},
    "FR": {"fr": "France", "zh": "法国", "en": "France"},
    "DE": {"fr": "Allemagne", "zh": "德国", "en": "Germany"},
    "FI": {"fr": "Finlande", "zh": "芬兰", "en": "Finland"},
    "GB": {"fr": "Royaume-Uni", "zh": "英国", "en": "United Kingdom"},
    "JP": {"fr": "Japon", "zh": "日本", "en": "Japan"},
    "SG": {"fr": "Singapour", "zh": "新加坡", "en": "Singapore"},
    "US": {"fr": "États-Unis", "zh": "美国", "en": "United States"},
}


@register.filter
def country_name(code: Any) -> str:
    """Return a country code ("CN") as the country's name in the active language ("Chine")."""
    text = str(code or "")
    names = _COUNTRIES.get(text.upper())
    return names[engine_lang()] if names else (text or "—")


@register.filter
def rule_text(indicator: Indicator) -> str:
    """Describe the scoring rule in words, with localized numbers."""
    sign = "≥" if indicator.direction.value == "higher" else "≤"
    if indicator.requirement is not None:
        return f"{sign} {_n(indicator.requirement)}"
    scoring = indicator.scoring
    if isinstance(scoring, BandScoring):
        return "; ".join(f"{sign} {_n(b.threshold)} → {_n(b.points)}" for b in scoring.bands)
    if scoring is not None:
        return _("linear from %(worst)s to %(best)s") % {
            "worst": _n(scoring.worst),
            "best": _n(scoring.best),
        }
    return "—"
