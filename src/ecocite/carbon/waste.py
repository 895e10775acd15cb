"""Landfill methane by the IPCC 2006 first-order decay (FOD) method (Vol. 5, Ch. 3).

Decomposable DOC deposited:      DDOCm = W × DOC × DOCf × MCF                      (Eq. 3.2)
Accumulated at the end of T:     DDOCma(T) = DDOCmd(T) + DDOCma(T−1) × e^(−k)       (Eq. 3.4)
Decomposed in T:                 DDOCm_decomp(T) = DDOCma(T−1) × (1 − e^(−k))       (Eq. 3.5)
CH4 generated:                   DDOCm_decomp(T) × F × 16/12                         (Eq. 3.6)
CH4 emitted:                     (generated − recovered) × (1 − OX)                  (Eq. 3.1)

Decay starts in the year after deposition (the Eq. 3.4–3.5 form, without the spreadsheet's
six-month delay option). The recursion has a closed form per deposit, which lets each activity row
carry its own share of this year's methane: a deposit of year y contributes
DDOCm × (e^(−k(T−y−1)) − e^(−k(T−y))) in year T > y.
"""

from __future__ import annotations

import math

import numpy as np

CH4_PER_C = 16.0 / 12.0


def ddocm(waste_t: float, doc: float, docf: float, mcf: float) -> float:
    """Decomposable degradable organic carbon deposited (t C) for ``waste_t`` tonnes of wet waste."""
    return waste_t * doc * docf * mcf


def ch4_from_deposit(
    *,
    waste_t: float,
    deposit_year: int,
    year: int,
    k: float,
    doc: float,
    docf: float = 0.5,
    mcf: float = 1.0,
    f: float = 0.5,
    ox: float = 0.0,
    recovered_share: float = 0.0,
) -> float:
    """CH4 (t) emitted in ``year`` by waste deposited in ``deposit_year`` (closed form of the FOD)."""
    age = year - deposit_year
    if age <= 0:
        return 0.0
    decomposed = ddocm(waste_t, doc, docf, mcf) * (math.exp(-k * (age - 1)) - math.exp(-k * age))
    return decomposed * f * CH4_PER_C * (1.0 - recovered_share) * (1.0 - ox)


def fod_series(
    deposits_t: np.ndarray,
    *,
    k: float,
    doc: float,
    docf: float = 0.5,
    mcf: float = 1.0,
    f: float = 0.5,
    ox: float = 0.0,
) -> np.ndarray:
    """CH4 emitted (t) in each year of a deposit series, by the year-by-year IPCC recursion.

    ``deposits_t[i]`` is wet waste deposited in year i; the result has the same length.
    """
    decay = math.exp(-k)
    accumulated = 0.0
    out = np.zeros(len(deposits_t))
    for i, w in enumerate(np.asarray(deposits_t, dtype=float)):
        decomposed = accumulated * (1.0 - decay)
        accumulated = ddocm(float(w), doc, docf, mcf) + accumulated * decay
        out[i] = decomposed * f * CH4_PER_C * (1.0 - ox)
    return out
