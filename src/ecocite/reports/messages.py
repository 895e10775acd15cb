"""The reports' strings in fr / zh / en, number formatting per language and reasons as sentences.

Strings live in ``messages.yaml`` beside this module (one key, three languages); the names of
levels, categories and indicators come from the framework, never from here.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources

import yaml

from ecocite.assessment.model import Reason
from ecocite.frameworks.schema import Direction, Framework
from ecocite.i18n import LANGUAGES, pick
from ecocite.units import format_unit, is_calendar_year

CATALOGUE_FILE = "messages.yaml"
ILLUSTRATIVE_WORD = "illustrative"
_NARROW_NBSP = "\u202f"  # French thousands separator


class ReportError(ValueError):
    """A report that cannot be made from what was given (unknown language, mismatched inputs)."""


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Every message key with its text in each language, as read from ``messages.yaml``."""
    text = resources.files("ecocite.reports").joinpath(CATALOGUE_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {str(k): {str(lang): str(s) for lang, s in v.items()} for k, v in data.items()}


def check_lang(lang: str) -> str:
    """Return ``lang`` if the reports have it; ReportError otherwise."""
    if lang not in LANGUAGES:
        raise ReportError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    return lang


def message(key: str, lang: str = "en", /, **fields: object) -> str:
    """Return the text of ``key`` in ``lang`` with its ``{placeholders}`` filled from ``fields``."""
    try:
        template = catalogue()[key][lang]
    except KeyError:
        raise ReportError(f"{CATALOGUE_FILE}: no message {key!r} in language {lang!r}") from None
    return template.format(**fields) if fields else template


def format_number(value: float | None, lang: str = "en", *, decimals: int | None = None) -> str:
    """Format a number for a reader in ``lang``.

    Format a number for a reader: ``decimals`` fixed, or by default about three significant digits
    (45 → "45", 3.64 → "3.64", 12.345 → "12.3", 1234.5 → "1235", 12345 → "12,345"); trailing
    zeros dropped. French uses a decimal comma and a narrow no-break space between thousands.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if decimals is None:
        magnitude = abs(value)
        if magnitude >= 100 or magnitude == 0:
            digits = 0
        else:
            digits = max(0, 2 - math.floor(math.log10(magnitude)))
    else:
        digits = decimals
    # Four-digit numbers (years, most counts) read better without a thousands separator.
    grouping = "," if abs(value) >= 10_000 else ""
    text = f"{value:{grouping}.{digits}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in {"-0", "-0.0"} or re.fullmatch(r"-0\.0+", text):
        text = text[1:]
    if lang == "fr":
        text = text.replace(",", _NARROW_NBSP).replace(".", ",")
    return text


def format_year(value: float | int | str | None) -> str:
    """Return a calendar year as people write it: "2024", never "2,024", "2 024" or "2022.342"."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return "—"
    try:
        return str(round(float(value)))
    except (TypeError, ValueError):
        return str(value)


def round_target(value: float, direction: Direction | str, digits: int = 2) -> float:
    """Return a gap-analysis target as a person states it: two significant digits, rounded towards the safe side so that reaching the rounded target still earns the points (48.215 % for a higher-is-better indicator → 49 %; 3.64 t/person for a lower-is-better one → 3.6)."""
    if not math.isfinite(value) or value == 0:
        return value
    exponent = math.floor(math.log10(abs(value))) - (digits - 1)
    step = 10.0**exponent
    steps = value / step
    lower = str(getattr(direction, "value", direction)) == Direction.LOWER.value
    steps = math.floor(steps + 1e-9) if lower else math.ceil(steps - 1e-9)
    return round(steps * step, max(0, -exponent))


def stated_target(framework: Framework, indicator: str, value: float) -> float:
    """Return a gap target as shown to people: a calendar year as a whole year, anything else by :func:`round_target`; both on the safe side of the indicator's direction."""
    ind = framework.indicator(indicator)
    if is_calendar_year(indicator, ind.unit):
        lower = ind.direction == Direction.LOWER
        return float(math.floor(value + 1e-9) if lower else math.ceil(value - 1e-9))
    return round_target(value, ind.direction)


def format_points(value: float | None, lang: str = "en") -> str:
    """Points with one decimal, as the reports show every score."""
    return format_number(value, lang, decimals=1)


def format_share(share: float | None, lang: str = "en", *, decimals: int = 0) -> str:
    """Format a share 0–1 as a percentage ("64 %" in French, "64%" otherwise)."""
    if share is None or math.isnan(share):
        return "—"
    number = format_number(share * 100, lang, decimals=decimals)
    return f"{number}{_NARROW_NBSP}%" if lang == "fr" else f"{number}%"


def format_quantity(value: float | None, unit: str, lang: str = "en") -> str:
    """Format a value with its unit ("3.6 t/person", "45%")."""
    if value is None:
        return "—"
    shown = format_unit(unit, lang)
    number = format_number(value, lang)
    if shown == "%":
        return f"{number}{_NARROW_NBSP}%" if lang == "fr" else f"{number}%"
    return f"{number} {shown}" if shown else number


def is_illustrative(source: str | None) -> bool:
    """Tell whether a value's source text says it is illustrative (not a sourced fact)."""
    return source is not None and ILLUSTRATIVE_WORD in source.lower()


def _level_name(framework: Framework, level_id: str | None, lang: str) -> str:
    for level in framework.grading.levels:
        if level.id == level_id:
            return level.name(lang)
    return level_id or message("level.none", lang)


def level_name(framework: Framework, level_id: str | None, lang: str = "en") -> str:
    """Return the name of a label level in ``lang`` (``None`` → "No level")."""
    return _level_name(framework, level_id, lang)


def indicator_name(framework: Framework, indicator_id: str, lang: str = "en") -> str:
    """Return an indicator's name in ``lang`` (its id if the framework lacks it)."""
    try:
        return framework.indicator(indicator_id).name(lang)
    except KeyError:
        return indicator_id


def category_name(framework: Framework, category_id: str, lang: str = "en") -> str:
    """Return a category's name in ``lang`` (its id if the framework lacks it)."""
    cat = next((c for c in framework.categories if c.id == category_id), None)
    return pick(cat.name, lang) if cat is not None else category_id


def reason_sentence(reason: Reason, *, framework: Framework, lang: str = "en") -> str:
    """One reason of an assessment as a sentence in ``lang``, numbers formatted for that language."""
    code = reason.code
    fields: dict[str, object] = {}
    if reason.level is not None:
        fields["level"] = _level_name(framework, reason.level, lang)
    if reason.category is not None:
        fields["category"] = category_name(framework, reason.category, lang)
    share_codes = {"completeness_below_next_level"}
    if code == "level_reached":
        code_key = f"reason.level_reached.{framework.grading.method}"
        if framework.grading.method == "completeness":
            share_codes = share_codes | {"level_reached"}
    else:
        code_key = f"reason.{code}"
    if reason.indicator is not None:
        fields["indicator"] = indicator_name(framework, reason.indicator, lang)
        try:
            ind = framework.indicator(reason.indicator)
            unit, direction = ind.unit, ind.direction
            fields["quality"] = message(f"quality.{ind.data_quality_min.value}", lang)
        except KeyError:
            unit, direction = "", Direction.HIGHER
        fields["value"] = format_quantity(reason.value, unit, lang)
        bound = "bound.at_least" if direction == Direction.HIGHER else "bound.at_most"
        fields["bound"] = message(bound, lang, value=format_quantity(reason.threshold, unit, lang))
        fields["threshold"] = format_quantity(reason.threshold, unit, lang)
    elif code in share_codes:
        fields["value"] = format_share(reason.value, lang)
        fields["threshold"] = format_share(reason.threshold, lang)
    else:
        fields["value"] = format_points(reason.value, lang)
        fields["threshold"] = format_points(reason.threshold, lang)
    return message(code_key, lang, **fields)
