"""Self-contained inline SVG charts (no script, no CDN): wedge chart and Monte Carlo fan chart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import numpy as np

from ecocite.carbon.pathways import MonteCarlo, Pathway

WIDTH, HEIGHT = 720, 420
LEFT, RIGHT, TOP, BOTTOM = 70, 190, 40, 50
PALETTE = (
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e",
    "#e6ab02", "#a6761d", "#1f78b4", "#b2df8a", "#fb9a99",
)  # fmt: skip


class _Frame:
    """Maps data (year, tonnes) to pixels."""

    def __init__(self, years: np.ndarray, lo: float, hi: float) -> None:
        self.x0, self.x1 = float(years.min()), float(years.max())
        span = hi - lo or 1.0
        raw = span / 5
        magnitude = 10 ** np.floor(np.log10(raw))
        self.step = float(next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw))
        self.lo = float(np.floor(lo / self.step) * self.step)
        self.hi = float(np.ceil(hi / self.step) * self.step)

    def x(self, year: float) -> float:
        return LEFT + (year - self.x0) / max(self.x1 - self.x0, 1) * (WIDTH - LEFT - RIGHT)

    def y(self, value: float) -> float:
        return TOP + (self.hi - value) / (self.hi - self.lo) * (HEIGHT - TOP - BOTTOM)


def _points(frame: _Frame, xs: Sequence[float], ys: Sequence[float]) -> str:
    return " ".join(f"{frame.x(x):.1f},{frame.y(y):.1f}" for x, y in zip(xs, ys, strict=True))


def _band(
    frame: _Frame, xs: np.ndarray, lower: np.ndarray, upper: np.ndarray, colour: str, opacity: float
) -> str:
    pts = (
        _points(frame, list(xs), list(upper))
        + " "
        + _points(frame, list(xs[::-1]), list(lower[::-1]))
    )
    return f'<polygon points="{pts}" fill="{colour}" fill-opacity="{opacity}" stroke="none"/>'


def _axes(frame: _Frame, title: str, unit: str, note: str) -> list[str]:
    out = [
        f'<text x="{LEFT}" y="22" font-size="15" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" stroke="#333"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" stroke="#333"/>',
    ]
    for tick in np.arange(frame.lo, frame.hi + frame.step / 2, frame.step):
        y = frame.y(tick)
        out.append(
            f'<line x1="{LEFT - 4}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{tick:,.4g}</text>'
        )
    for year in range(int(frame.x0), int(frame.x1) + 1):
        if year % 10 == 0 or year == int(frame.x0):
            x = frame.x(year)
            out.append(
                f'<line x1="{x:.1f}" y1="{HEIGHT - BOTTOM}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM + 4}" stroke="#333"/>'
            )
            out.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" font-size="11" text-anchor="middle">{year}</text>'
            )
    out.append(
        f'<text x="16" y="{(HEIGHT - BOTTOM + TOP) / 2:.0f}" font-size="11" '
        f'transform="rotate(-90 16 {(HEIGHT - BOTTOM + TOP) / 2:.0f})" text-anchor="middle">{escape(unit)}</text>'
    )
    out.append(
        f'<text x="{LEFT}" y="{HEIGHT - 8}" font-size="11" fill="#a00">{escape(note)}</text>'
    )
    return out


def _legend(items: Sequence[tuple[str, str]]) -> list[str]:
    out = []
    for i, (label, colour) in enumerate(items):
        y = TOP + 8 + i * 18
        out.append(
            f'<rect x="{WIDTH - RIGHT + 12}" y="{y - 9}" width="12" height="12" fill="{colour}"/>'
        )
        out.append(
            f'<text x="{WIDTH - RIGHT + 30}" y="{y + 1}" font-size="11">{escape(label)}</text>'
        )
    return out


def _svg(body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" font-family="sans-serif" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _text(texts: Mapping[str, str] | None, key: str, default: str) -> str:
    return (texts or {}).get(key) or default


def wedge_chart_svg(
    pathway: Pathway,
    *,
    scale: float = 1e-6,
    unit: str = "Mt CO2e",
    texts: Mapping[str, str] | None = None,
) -> str:
    """BAU on top, the scenario at the bottom, and one band per lever in between.

    ``texts`` replaces the English words shown by a face in its reader's language: ``title``,
    ``note``, ``scenario``, ``bau`` and ``lever:<id>`` for each lever's name.
    """
    years = pathway.yearly["year"].to_numpy(dtype=float)
    bau = pathway.yearly["bau_co2e_t"].to_numpy(dtype=float) * scale
    scen = pathway.yearly["scenario_co2e_t"].to_numpy(dtype=float) * scale
    levers = [c for c in pathway.wedges.columns if c not in ("year", "illustrative")]
    wedges = [pathway.wedges[c].to_numpy(dtype=float) * scale for c in levers]
    levels = [scen]
    for w in reversed(wedges):
        levels.append(levels[-1] + w)
    lo = min(0.0, *(float(v.min()) for v in levels))
    hi = max(float(v.max()) for v in [*levels, bau])
    frame = _Frame(years, lo, hi)
    title = _text(texts, "title", f"{pathway.city}: emission wedges by lever")
    note = _text(texts, "note", "ILLUSTRATIVE levers and drivers")
    body = _axes(frame, title, unit, note if pathway.illustrative else "")
    body.append(_band(frame, years, np.zeros_like(scen), scen, "#999", 0.35))
    legend = [(_text(texts, "scenario", "scenario"), "#999")]
    for i, (name, lower, upper) in enumerate(
        zip(reversed(levers), levels[:-1], levels[1:], strict=True)
    ):
        colour = PALETTE[i % len(PALETTE)]
        body.append(_band(frame, years, lower, upper, colour, 0.8))
        legend.append((_text(texts, f"lever:{name}", name.replace("_", " ")), colour))
    body.append(
        f'<polyline points="{_points(frame, list(years), list(bau))}" fill="none" stroke="#000" stroke-width="2"/>'
    )
    legend.append((_text(texts, "bau", "BAU"), "#000"))
    return _svg(body + _legend(legend[::-1]), title)  # legend top to bottom like the stack


def fan_chart_svg(
    mc: MonteCarlo,
    pathway: Pathway | None = None,
    *,
    scale: float = 1e-6,
    unit: str = "Mt CO2e",
    texts: Mapping[str, str] | None = None,
) -> str:
    """Percentile fan of scenario CO2e (outer band widest percentiles), median line, BAU dashed.

    ``texts`` replaces the English words: ``title``, ``note``, ``percentile`` (with ``{lower}``
    and ``{upper}``), ``median`` and ``bau_central``.
    """
    fan = mc.fan
    years = fan["year"].to_numpy(dtype=float)
    cols = [c for c in fan.columns if c.startswith("p")]
    q = {c: fan[c].to_numpy(dtype=float) * scale for c in cols}
    series = list(q.values())
    bau = (
        pathway.yearly["bau_co2e_t"].to_numpy(dtype=float) * scale if pathway is not None else None
    )
    hi = max(float(v.max()) for v in ([*series, bau] if bau is not None else series))
    frame = _Frame(years, min(0.0, *(float(v.min()) for v in series)), hi)
    title = _text(texts, "title", f"{mc.city}: scenario CO2e, Monte Carlo {mc.draws:,} draws")
    note = _text(texts, "note", "ILLUSTRATIVE ranges (levers.csv, drivers.csv)")
    body = _axes(frame, title, unit, note)
    legend = []
    n = len(cols)
    for i in range(n // 2):
        lower, upper = cols[i], cols[n - 1 - i]
        body.append(_band(frame, years, q[lower], q[upper], "#1f78b4", 0.2 + 0.2 * i))
        label = _text(texts, "percentile", "{lower}–{upper}th percentile")
        legend.append(
            (label.format(lower=lower[1:], upper=upper[1:]), f"rgba(31,120,180,{0.2 + 0.2 * i})")
        )
    if n % 2:
        mid = cols[n // 2]
        body.append(
            f'<polyline points="{_points(frame, list(years), list(q[mid]))}" fill="none" stroke="#08306b" stroke-width="2"/>'
        )
        legend.append((_text(texts, "median", "median"), "#08306b"))
    if bau is not None:
        body.append(
            f'<polyline points="{_points(frame, list(years), list(bau))}" fill="none" stroke="#000" stroke-dasharray="5,4"/>'
        )
        legend.append((_text(texts, "bau_central", "BAU (central)"), "#000"))
    return _svg(body + _legend(legend), title)
