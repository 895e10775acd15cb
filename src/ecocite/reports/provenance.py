"""Indicator-value provenance (JSON made by the engines) as labelled lines in the reader's language.

The engines write provenance with English keys (``engine``, ``inputs``, ``parameters``…). A report
shows each known key by its label from ``messages.yaml`` (``provenance.key.<name>``); nested
objects become one line per leaf, labelled by their path. Numbers, years and yes/no go through
the report formatters; text from data (file names, comments, sources) is shown as written. A key
without a label is shown as itself, so a new engine key is never hidden.
"""

from __future__ import annotations

import json
from typing import Any

from ecocite.reports.messages import catalogue, format_number, format_year, message

KEY_PREFIX = "provenance.key."
PATH_SEPARATOR = " › "
# keys whose value is a calendar year or a date-like count that must never get a thousands mark
_YEAR_KEYS = frozenset({"year", "base_year", "inventory_year"})


def key_label(key: str, lang: str) -> str:
    """Return the label of a provenance key in ``lang``, or the key itself when unknown."""
    entry = catalogue().get(KEY_PREFIX + key)
    return entry.get(lang, key) if entry else key


def _scalar(key: str, value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return message("provenance.yes" if value else "provenance.no", lang)
    if isinstance(value, int | float):
        if key in _YEAR_KEYS:
            return format_year(value)
        return format_number(float(value), lang)
    return str(value)


def _flatten(path: list[str], key: str, value: Any, lang: str) -> list[dict[str, str]]:
    if isinstance(value, dict):
        rows: list[dict[str, str]] = []
        for k, v in value.items():
            rows += _flatten([*path, key_label(str(k), lang)], str(k), v, lang)
        return rows or [{"label": PATH_SEPARATOR.join(path), "value": "—"}]
    if isinstance(value, list):
        if any(isinstance(v, dict | list) for v in value):
            rows = []
            for i, v in enumerate(value, start=1):
                step = f"{path[-1]} {i}" if len(value) > 1 else path[-1]
                rows += _flatten([*path[:-1], step], key, v, lang)
            return rows
        text = "; ".join(_scalar(key, v, lang) for v in value) if value else "—"
        return [{"label": PATH_SEPARATOR.join(path), "value": text}]
    return [{"label": PATH_SEPARATOR.join(path), "value": _scalar(key, value, lang)}]


def provenance_lines(text: str, lang: str) -> list[dict[str, str]]:
    """Return a value's provenance as ``{"label", "value"}`` lines in ``lang``.

    Parameters
    ----------
    text:
        The provenance as stored with the value: a JSON object, or any other text.
    lang:
        Report language ("fr", "zh" or "en").

    Returns
    -------
    list of dict
        One line per leaf of the JSON object; empty when ``text`` is not a JSON object (the
        report then shows the text as it is).
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return []
    if not isinstance(data, dict):
        return []
    rows: list[dict[str, str]] = []
    for k, v in data.items():
        rows += _flatten([key_label(str(k), lang)], str(k), v, lang)
    return rows


def raw_json(text: str) -> str:
    """Return the provenance JSON indented for experts (or the text itself when not JSON)."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False, sort_keys=True)
    except json.JSONDecodeError:
        return text
