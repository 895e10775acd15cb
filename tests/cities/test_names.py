"""Country codes (ISO 3166-1 alpha-2) and city names without control characters."""

from __future__ import annotations

import pytest

from ecocite.cities.names import country_codes, country_problem, name_problem


def test_the_249_assigned_codes() -> None:
    codes = country_codes()
    assert len(codes) == 249
    assert {"CN", "FR", "HK", "MO", "TW", "SS", "BQ"} <= codes
    assert not {"UK", "EU", "XK", "ZZ", "cn"} & codes  # reserved or user-assigned, or lower case


@pytest.mark.parametrize("code", ["", "C", "CHN", "cn", "ZZ", "C\x00"])
def test_bad_country_codes(code: str) -> None:
    assert "ISO 3166-1 alpha-2" in (country_problem(code) or "")


@pytest.mark.parametrize(
    ("name", "position"),
    [("Jing\x00zhou", 5), ("Jingzhou\n", 9), ("\x1b[31mred", 1), ("a\u2028b", 2), ("x\x7f", 2)],
)
def test_names_with_control_characters(name: str, position: int) -> None:
    assert f"at position {position}" in (name_problem(name) or "")


@pytest.mark.parametrize("name", ["荆州市", "Jingzhou", "Saint-Étienne", "<img src=x onerror=1>"])
def test_ordinary_names(name: str) -> None:
    """Markup is text like any other: it is escaped where shown, not refused."""
    assert name_problem(name) is None


def test_blank_name() -> None:
    assert name_problem("   ") == "a name cannot be blank"
