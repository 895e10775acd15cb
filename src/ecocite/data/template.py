"""Templates of the tidy format: one row per indicator of a framework, for a city and a year.

A template is a tidy table the importer reads back as it is: the ``value``, ``source``,
``quality`` and ``verified`` cells are left to fill in, ``unit`` holds the indicator's unit (any
convertible unit may replace it), ``notes`` the indicator's name in the chosen language with its
unit and allowed range, and ``provenance`` marks the row as a template row of its framework
(``{"template": "id@version"}``). So the importer can say "this is a template of another
framework" instead of one error per row, and skip the template rows left empty.
"""

from __future__ import annotations

import json

import pandas as pd

from ecocite.data.contract import TIDY_REQUIRED_COLUMNS
from ecocite.frameworks.schema import Framework
from ecocite.units import format_unit

#: Columns of a template, in order: the tidy columns, then the two optional ones.
TEMPLATE_COLUMNS = (*TIDY_REQUIRED_COLUMNS, "provenance", "notes")
#: The words of the ``notes`` column, per language.
_RANGE = {"en": "allowed range", "fr": "plage admise", "zh": "允许范围"}
_ANY = {"en": "any value", "fr": "toute valeur", "zh": "任意值"}


def template_marker(framework_key: str) -> str:
    """Return the ``provenance`` text of a template row of this framework."""
    return json.dumps({"template": framework_key}, ensure_ascii=False)


def template_framework(provenance: str) -> str | None:
    """Return the framework key a ``provenance`` cell marks as a template row, if it does."""
    text = provenance.strip()
    if not text.startswith("{") or '"template"' not in text:
        return None
    try:
        found = json.loads(text)
    except (ValueError, RecursionError):
        return None
    key = found.get("template") if isinstance(found, dict) else None
    return key if isinstance(key, str) else None


def allowed_range(low: float | None, high: float | None, unit: str, lang: str = "en") -> str:
    """Return an indicator's allowed range as a reader writes it ("0 – 100 %", "≥ 0 t/hab.")."""
    shown = format_unit(unit, lang)
    suffix = f" {shown}" if shown else ""
    if low is None and high is None:
        return _ANY.get(lang, _ANY["en"])
    if low is None:
        return f"≤ {high:g}{suffix}"
    if high is None:
        return f"≥ {low:g}{suffix}"
    return f"{low:g} – {high:g}{suffix}"


def build_template(framework: Framework, *, city: str, year: int, lang: str = "en") -> pd.DataFrame:
    """Return the template of a framework for a city and a year, one row per indicator.

    Parameters
    ----------
    framework
        The framework whose indicators the rows list, in the framework's order.
    city
        The city id written in every row.
    year
        The data year written in every row.
    lang
        The language of the indicator names and of the ``notes`` column (en, fr or zh).
    """
    marker = template_marker(framework.key)
    rows = []
    for _category, indicator in framework.indicators():
        rng = indicator.range
        span = allowed_range(rng.min, rng.max, indicator.unit, lang)
        label = _RANGE.get(lang, _RANGE["en"])
        rows.append(
            {
                "city": city,
                "year": year,
                "indicator": indicator.id,
                "value": "",
                "unit": indicator.unit,
                "source": "",
                "quality": "",
                "verified": "",
                "provenance": marker,
                "notes": f"{indicator.name(lang)} ({label}: {span})",
            }
        )
    return pd.DataFrame(rows, columns=list(TEMPLATE_COLUMNS))
