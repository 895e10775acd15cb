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


#: Largest exponent (in absolute value) a unit expression may carry, and the longest expression.
MAX_EXPONENT = 9
MAX_UNIT_LENGTH = 100

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d{1,15}(?:\.\d{1,15})?(?:[eE][+-]?\d{1,2})?)(?![\d.])
      | (?P<name>[^\W\d]\w*|%)
      | (?P<power>\*\*|\^)\s*(?P<exponent>[+-]?\d+)
      | (?P<operator>[*/·])
      | (?P<open>\()
      | (?P<close>\))
    )""",
    re.VERBOSE,
)


class UnitError(ValueError):
    """A unit string that pint cannot read, or two units that do not convert.

    ``message_id`` and ``params`` follow :class:`ecocite.data.contract.RowError`.
    """

    def __init__(self, message_id: str, **params: str | int) -> None:
        self.message_id = message_id
        self.params = params
        from ecocite.data.contract import render

        super().__init__(render(message_id, params))


def normalise_unit_text(text: str) -> str:
    """Superscripts and the micro sign as pint reads them."""
    return text.strip().replace("²", "**2").replace("³", "**3").replace("µ", "u")


def _known_name(name: str) -> bool:
    if name == "%":
        return True
    if not name.isidentifier():
        return False
    try:
        return name in ureg
    except Exception:  # pint's own parser trips on some letters (e.g. vulgar fractions)
        return False


def check_unit_expression(text: str) -> None:
    """Refuse anything but a plain unit expression, before pint evaluates it.

    Accepted: known unit names, numbers (a scale such as ``10000 m**3``), ``*``, ``/``, spaces,
    parentheses (three levels) and integer exponents of at most :data:`MAX_EXPONENT`. pint
    evaluates exponents with Python integers, so ``9**9**9`` would otherwise run for ever.

    Raises
    ------
    UnitError
        ``unit.syntax`` for a malformed expression, ``unit.unknown`` for an unknown name.
    """
    cleaned = normalise_unit_text(text)
    syntax = UnitError("unit.syntax", value=text[:MAX_UNIT_LENGTH], max_exponent=MAX_EXPONENT)
    if len(cleaned) > MAX_UNIT_LENGTH:
        raise syntax
    position, depth = 0, 0
    expect_operand = True  # an operand is needed next (start, after an operator or "(")
    after_power = False
    while position < len(cleaned):
        match = _TOKEN.match(cleaned, position)
        if match is None or match.end() == position:
            if cleaned[position:].strip() == "":
                break
            raise syntax
        position = match.end()
        kind = match.lastgroup if match.lastgroup != "exponent" else "power"
        if kind in ("number", "name", "open"):
            # two operands in a row multiply (``10000 m**3``); nothing follows a bare exponent
            # without an operator except another factor, which is also fine
            if kind == "name" and not _known_name(match.group("name")):
                raise UnitError("unit.unknown", value=match.group("name"))
            if kind == "open":
                depth += 1
                if depth > 3:
                    raise syntax
                expect_operand = True
            else:
                expect_operand = False
            after_power = False
        elif kind == "power":
            exponent = match.group("exponent")
            if expect_operand or after_power or abs(int(exponent[:3])) > MAX_EXPONENT:
                raise syntax
            after_power = True
        elif kind == "operator":
            if expect_operand:
                raise syntax
            expect_operand, after_power = True, False
        elif kind == "close":
            depth -= 1
            if depth < 0 or expect_operand:
                raise syntax
            after_power = False
    if depth != 0 or expect_operand:
        raise syntax


@lru_cache(maxsize=1024)
def parse_unit(text: str) -> pint.Unit:
    """Read a unit string such as ``"t / person"``, ``"%"`` or ``"m**2/person"``."""
    cleaned = normalise_unit_text(text)
    if cleaned in {"", "1", "-"}:
        return ureg.dimensionless
    check_unit_expression(text)
    try:
        return ureg.Unit(cleaned)
    except (
        pint.errors.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        ValueError,
        TypeError,
        AttributeError,
    ) as exc:
        raise UnitError("unit.unknown", value=text) from exc
    except Exception as exc:  # pint raises assorted tokenizer errors on garbage
        raise UnitError("unit.syntax", value=text, max_exponent=MAX_EXPONENT) from exc


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: str, to_unit: str) -> tuple[float, float]:
    """Return ``(scale, offset)`` so that ``value_in_to = value_in_from * scale + offset``.

    Raises :class:`UnitError` when the units are unknown or of different dimensions.
    """
    src, dst = parse_unit(from_unit), parse_unit(to_unit)
    if src.dimensionality != dst.dimensionality:
        raise UnitError("unit.incompatible", value=from_unit, expected=to_unit)
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
    """Return a pint unit string as a reader writes it.

    ``m**2/person`` → ``m²/hab.`` in French, ``ug/m**3`` → ``µg/m³``, ``dimensionless`` → nothing.

    The web pages, the reports and the command line all show units through this function.
    """
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
    """Tell whether an indicator's value is a calendar year (``co2_peak_year``).

    Such a value is shown as an integer year, never as a quantity with separators or decimals.
    """
    return bool(indicator) and str(indicator).endswith("_year") and (unit or "").strip() in _NO_UNIT
