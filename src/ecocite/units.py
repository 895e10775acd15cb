"""One shared pint registry with the units eco-city indicators need.

Currencies and persons get their own dimensions so that, for example, "t/person" never converts to
"t/CNY" and no exchange rate is ever invented: CNY and USD are separate dimensions on purpose.
"""

from __future__ import annotations

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
