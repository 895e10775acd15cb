"""Checks of what identifies a city: its country code and its names.

Country codes are ISO 3166-1 alpha-2 (``data/iso3166-1-alpha2.txt``, with its source). A name is
shown on maps, in charts, reports and spreadsheets, so it holds no control character (a NUL,
a line break, an escape) and is not blank.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

# Cc: control characters (C0, DEL, C1); Zl/Zp: the Unicode line and paragraph separators.
_FORBIDDEN_CATEGORIES = {"Cc", "Zl", "Zp"}


@cache
def country_codes() -> frozenset[str]:
    """Return the officially assigned ISO 3166-1 alpha-2 codes."""
    text = resources.files("ecocite.cities").joinpath("data/iso3166-1-alpha2.txt").read_text()
    return frozenset(
        code for line in text.splitlines() if not line.startswith("#") for code in line.split()
    )


def country_problem(code: str) -> str | None:
    """Why ``code`` is not an ISO 3166-1 alpha-2 country code, or None if it is one."""
    if code not in country_codes():
        return f"{code!r} is not an ISO 3166-1 alpha-2 country code (e.g. CN, FR)"
    return None


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a city's name, or None if it can."""
    if not name.strip():
        return "a name cannot be blank"
    for position, char in enumerate(name):
        if unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            return f"control character U+{ord(char):04X} at position {position + 1}"
    return None
