"""One shared pint registry with the units eco-city indicators need.

Currencies and persons get their own dimensions so that, for example, "t/person" never converts to
"t/CNY" and no exchange rate is ever invented: CNY and USD are separate dimensions on purpose.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pint

ureg: pint.UnitRegistry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
ureg.define("person = [population] = inhabitant = capita = resident = persons")
ureg.define("thousand_persons = 1000 * person")
ureg.define("hundred_thousand_persons = 100000 * person")
ureg.define("household = [household] = households")
ureg.define("dwelling = [dwelling] = dwellings")
ureg.define("CNY = [currency_cny] = yuan = RMB")
ureg.define("wan_CNY = 10000 * CNY")
ureg.define("yi_CNY = 100000000 * CNY")
ureg.define("USD = [currency_usd]")
ureg.define("million_USD = 1000000 * USD")
ureg.define("EUR = [currency_eur]")
ureg.define("tCO2 = tonne")
ureg.define("tCO2e = tonne")
ureg.define("vehicle = [vehicle] = vehicles")
ureg.define("facility = [facility] = facilities")
ureg.define("intersection = [intersection] = intersections")

Quantity = ureg.Quantity


class UnitError(ValueError):
    """A unit string that pint cannot read, or two units that do not convert."""


@lru_cache(maxsize=1024)
def parse_unit(text: str) -> pint.Unit:
    """Read a unit string such as ``"t / person"``, ``"%"`` or ``"m**2/person"``."""
    cleaned = text.strip().replace("²", "**2").replace("³", "**3").replace("µ", "u")
    if cleaned in {"", "1", "-"}:
        return ureg.dimensionless
    try:
        return ureg.Unit(cleaned)
    except (
        pint.errors.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        ValueError,
        TypeError,
        AttributeError,
    ) as exc:
        raise UnitError(f"unknown unit {text!r}") from exc
    except Exception as exc:  # pint raises assorted tokenizer errors on garbage
        raise UnitError(f"unreadable unit {text!r}") from exc


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: str, to_unit: str) -> tuple[float, float]:
    """Return ``(scale, offset)`` so that ``value_in_to = value_in_from * scale + offset``.

    Raises :class:`UnitError` when the units are unknown or of different dimensions.
    """
    src, dst = parse_unit(from_unit), parse_unit(to_unit)
    if src.dimensionality != dst.dimensionality:
        raise UnitError(f"{from_unit!r} does not convert to {to_unit!r}")
    zero = Quantity(0.0, src).to(dst).magnitude
    one = Quantity(1.0, src).to(dst).magnitude
    return float(one - zero), float(zero)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a magnitude between two compatible units."""
    scale, offset = conversion_factor(from_unit, to_unit)
    return value * scale + offset


# --- Units as a reader writes them (the one formatter of the web, the reports and the CLI) ---

_UNIT_WORDS: dict[str, dict[str, str]] = {
    "person": {"fr": "hab.", "zh": "人", "en": "person"},
    "persons": {"fr": "hab.", "zh": "人", "en": "persons"},
    "thousand_persons": {"fr": "1 000 hab.", "zh": "千人", "en": "1,000 persons"},
    "hundred_thousand_persons": {"fr": "100 000 hab.", "zh": "十万人", "en": "100,000 persons"},
    "household": {"fr": "ménage", "zh": "户", "en": "household"},
    "dwelling": {"fr": "logement", "zh": "套", "en": "dwelling"},
    "intersection": {"fr": "carrefour", "zh": "交叉口", "en": "intersection"},
    "vehicle": {"fr": "véhicule", "zh": "辆", "en": "vehicle"},
    "facility": {"fr": "équipement", "zh": "处", "en": "facility"},
    "year": {"fr": "an", "zh": "年", "en": "year"},
    "day": {"fr": "jour", "zh": "天", "en": "day"},
    "wan_CNY": {"fr": "10 000 CNY", "zh": "万元", "en": "10,000 CNY"},
    "yi_CNY": {"fr": "10⁸ CNY", "zh": "亿元", "en": "10⁸ CNY"},
    "CNY": {"fr": "CNY", "zh": "元", "en": "CNY"},
    "permille": {"fr": "‰", "zh": "‰", "en": "‰"},
    "percent": {"fr": "%", "zh": "%", "en": "%"},
    "ug": {"fr": "µg", "zh": "µg", "en": "µg"},
    "tCO2e": {"fr": "t CO₂e", "zh": "t CO₂e", "en": "t CO₂e"},
    "tCO2": {"fr": "t CO₂", "zh": "t CO₂", "en": "t CO₂"},
}
_SUPERSCRIPT = {"2": "²", "3": "³"}
_NO_UNIT = {"", "1", "-", "dimensionless"}


def format_unit(unit: str | None, lang: str = "en") -> str:
    """A pint unit string as a reader writes it: ``m**2/person`` → ``m²/hab.`` in French,
    ``ug/m**3`` → ``µg/m³``, ``dimensionless`` → nothing.

    The web pages, the reports and the command line all show units through this function."""
    text = (unit or "").strip()
    if text in _NO_UNIT:
        return ""
    text = re.sub(r"\s*\*\*\s*([23])", lambda m: _SUPERSCRIPT[m.group(1)], text)
    text = re.sub(r"\s*/\s*", "/", text)
    if text.startswith("1/"):
        text = text[1:]  # "1/year" reads "/year"
    text = re.sub(r"\s*\*\s*", "·", text)
    return re.sub(
        r"[A-Za-z_][A-Za-z_0-9]*",
        lambda m: _UNIT_WORDS.get(m.group(0), {}).get(lang, m.group(0)),
        text,
    )


def is_calendar_year(indicator: str | None, unit: str | None) -> bool:
    """An indicator whose value is a calendar year (``co2_peak_year``): shown as an integer year,
    never as a quantity with separators or decimals."""
    return bool(indicator) and str(indicator).endswith("_year") and (unit or "").strip() in _NO_UNIT
