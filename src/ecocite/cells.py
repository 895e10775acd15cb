"""Cells safe to open in a spreadsheet: text that a spreadsheet would run as a formula is defused.

A CSV or XLSX export repeats text that people typed (activity notes, sources, names). Excel,
LibreOffice and Google Sheets treat a cell starting with ``=``, ``+``, ``-`` or ``@`` as a formula
(and tab or carriage return as a prefix of one), so ``=HYPERLINK("http://…")`` or
``=cmd|' /C calc'!A0`` in an input file would come out live. Following the OWASP CSV-injection
advice, such text is prefixed with a single quote, which every spreadsheet shows as text. Numbers
stay numbers: a number written as text (``-3.5``, ``+1e3``) is not a formula and is left alone, so
exported values still read back.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

# Full-width forms too: some spreadsheet locales (CJK input) accept them as formula starts.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    """Return the value, with text that would start a formula prefixed by ``'``; other values as given."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        if _NUMBER.fullmatch(value):
            return value
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells (and column names) are safe for a spreadsheet."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out
