"""Unit arithmetic for activity data, on the shared EcoCité pint registry.

Activity units may carry a scale (``"10000 m**3"`` for 万立方米, ``"1e4 t"``), so they are read as
pint expressions rather than bare units.
"""

from __future__ import annotations

from functools import lru_cache

import pint

from ecocite.units import UnitError, check_unit_expression, normalise_unit_text, ureg


@lru_cache(maxsize=4096)
def quantity(unit: str) -> pint.Quantity:
    """One of ``unit`` as a pint quantity; raises :class:`UnitError` (a ValueError).

    The text passes :func:`ecocite.units.check_unit_expression` before pint evaluates it.
    """
    text = normalise_unit_text(unit)
    if not text or text.lower() == "nan":
        raise UnitError("unit.empty")
    check_unit_expression(unit)
    try:
        q = ureg.parse_expression(text)
    except Exception as exc:  # pint raises assorted tokenizer and definition errors
        raise UnitError("unit.unknown", value=unit) from exc
    if not isinstance(q, ureg.Quantity):
        q = ureg.Quantity(float(q), "dimensionless")
    return q


def unit_problem(unit: str) -> UnitError | None:
    """None if ``unit`` reads, else the error (with its message id)."""
    try:
        quantity(unit)
    except UnitError as exc:
        return exc
    return None


def unit_error(unit: str) -> str | None:
    """None if ``unit`` reads, else the reason in English."""
    problem = unit_problem(unit)
    return None if problem is None else str(problem)


@lru_cache(maxsize=4096)
def scale(from_unit: str, to_unit: str) -> float:
    """Multiplier taking a magnitude in ``from_unit`` to ``to_unit``; ValueError if they differ."""
    q = quantity(from_unit)
    try:
        return float(q.to(quantity(to_unit).units).magnitude / quantity(to_unit).magnitude)
    except pint.errors.DimensionalityError as exc:
        raise ValueError(f"{from_unit!r} does not convert to {to_unit!r}") from exc


def dimension_of(unit: str) -> str:
    """Return a short name of the dimension: energy, mass, volume, or the pint dimensionality."""
    dim = quantity(unit).dimensionality
    for name, ref in (("energy", "J"), ("mass", "kg"), ("volume", "m**3")):
        if dim == ureg.Unit(ref).dimensionality:
            return name
    return str(dim)


@lru_cache(maxsize=4096)
def product_to(amount_unit: str, factor_unit: str, to_unit: str) -> float:
    """Multiplier so that ``amount [amount_unit] × factor [factor_unit] → [to_unit]``."""
    q = quantity(amount_unit) * quantity(factor_unit)
    target = quantity(to_unit)
    try:
        return float(q.to(target.units).magnitude / target.magnitude)
    except pint.errors.DimensionalityError as exc:
        raise ValueError(
            f"activity in {amount_unit!r} times a factor in {factor_unit!r} is not {to_unit!r}"
        ) from exc
