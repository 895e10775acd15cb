"""Units and years as a reader writes them: the one formatter of the web, reports and CLI."""

from __future__ import annotations

import pytest

from ecocite.frameworks import bundled_framework_files, load_framework
from ecocite.reports.messages import format_year
from ecocite.units import format_unit, is_calendar_year


@pytest.mark.parametrize(
    ("unit", "lang", "shown"),
    [
        ("m**2/person", "fr", "m²/hab."),
        ("m**2/person", "zh", "m²/人"),
        ("m**2/person", "en", "m²/person"),
        ("ug/m**3", "en", "µg/m³"),
        ("ug/m**3", "fr", "µg/m³"),
        ("dimensionless", "fr", ""),
        ("", "en", ""),
        ("t/wan_CNY", "zh", "t/万元"),
        ("t/wan_CNY", "fr", "t/10 000 CNY"),
        ("1/hundred_thousand_persons", "en", "/100,000 persons"),
        ("intersection/km**2", "fr", "carrefour/km²"),
        ("kg/person/year", "fr", "kg/hab./an"),
        ("%", "zh", "%"),
    ],
)
def test_units_read_as_people_write_them(unit: str, lang: str, shown: str) -> None:
    assert format_unit(unit, lang) == shown


def test_no_unit_of_a_bundled_framework_shows_pint_syntax() -> None:
    """Every unit of every bundled framework, in every language, reads without ``**``, ``_``
    or the word "dimensionless"."""
    for path in bundled_framework_files().values():
        framework = load_framework(path)
        for _, indicator in framework.indicators():
            for lang in ("fr", "zh", "en"):
                shown = format_unit(indicator.unit, lang)
                assert "**" not in shown and "_" not in shown, (indicator.id, shown)
                assert "dimensionless" not in shown, (indicator.id, shown)


def test_years_are_integers_without_separators() -> None:
    assert format_year(2024) == "2024"
    assert format_year(2022.342) == "2022"
    assert format_year("2030") == "2030"
    assert format_year(None) == "—"
    assert is_calendar_year("co2_peak_year", "dimensionless")
    assert not is_calendar_year("co2_per_capita", "t/person")
    assert not is_calendar_year("service_years", "year")


def test_gap_targets_are_rounded_on_the_safe_side() -> None:
    from ecocite.reports.messages import round_target

    assert round_target(48.215, "higher") == 49
    assert round_target(3.64, "lower") == 3.6
    assert round_target(0.0123, "higher") == 0.013
    assert round_target(2030.4, "lower") == 2000  # two significant digits
    assert round_target(50.0, "higher") == 50  # a round target stays as it is
    assert round_target(0.0, "higher") == 0.0
