"""Charts and maps as inline SVG strings, computed in Python (no JavaScript, no external request).

Every function returns a complete ``<svg>`` element. Texts passed in are escaped here. Geometry
is drawn in a local equirectangular projection: x = R·Δλ·cos φ₀, y = R·Δφ (km), which is accurate
to well under 1 % across a city and keeps the code free of a projection library.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from markupsafe import escape
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180.0

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
CATEGORY_COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
NO_LEVEL_COLOUR = "#bdbdbd"
_LEVEL_LOW, _LEVEL_HIGH = (199, 233, 192), (0, 90, 50)
FONT = (
    "font-family=\"'Noto Sans', 'EcoCite Noto Sans SC', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'PingFang SC', "
    "'Microsoft YaHei', sans-serif\""
)


def _f(x: float) -> str:
    """Format a coordinate with two decimals (enough for a screen, small in the file)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def _svg_open(width: float, height: float, label: str, cls: str) -> str:
    return (
        f'<svg class="{cls}" viewBox="0 0 {_f(width)} '
        f'{_f(height)}" width="{_f(width)}" height="{_f(height)}" role="img" '
        f'aria-label="{escape(label)}" {FONT}>'
    )


def level_colours(n_levels: int) -> list[str]:
    """Fill colours by level rank: index 0 is "no level", then light to dark green."""
    out = [NO_LEVEL_COLOUR]
    for i in range(n_levels):
        t = (i + 1) / n_levels if n_levels > 1 else 1.0
        rgb = [round(a + (b - a) * t) for a, b in zip(_LEVEL_LOW, _LEVEL_HIGH, strict=True)]
        out.append("#{:02x}{:02x}{:02x}".format(*rgb))
    return out


def category_colour(index: int) -> str:
    """Return the colour of the category at ``index``."""
    return CATEGORY_COLOURS[index % len(CATEGORY_COLOURS)]


# ---------------------------------------------------------------------------------------------
# Radar


def wrap_label(label: str, width: int = 16, cjk_width: int = 7) -> list[str]:
    """Break a chart label into short lines: at spaces, or every few characters for Chinese."""
    if " " in label.strip():
        return textwrap.wrap(label, width=width, break_long_words=False) or [label]
    if not any(ord(ch) > 0x2E80 for ch in label):
        return [label]  # one long word stays whole
    return [label[i : i + cjk_width] for i in range(0, len(label), cjk_width)] or [label]


def radar_vertex(
    share: float, index: int, count: int, cx: float, cy: float, r: float
) -> tuple[float, float]:
    """Return where a share falls on one axis of a radar.

    Where axis ``index`` of ``count`` puts ``share`` (0–1): the first axis points up, then
    clockwise.
    """
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return cx + r * share * math.cos(angle), cy + r * share * math.sin(angle)


def radar_chart(
    labels: Sequence[str],
    shares: Sequence[float],
    *,
    value_labels: Sequence[str] | None = None,
    radius: float = 110.0,
    label_room: float = 110.0,
    title: str = "",
    colour: str = "#0072B2",
    font_size: float = 11.0,
) -> str:
    """Draw a radar (spider) chart of shares 0–1, one axis per label (at least three).

    Shares above 1 are drawn at 1 and below 0 at 0. The score polygon carries ``data-cx``,
    ``data-cy``, ``data-r`` and ``data-shares`` so that the drawing can be checked against the data.
    """
    n = len(labels)
    if n < 3 or len(shares) != n:
        raise ValueError("a radar chart needs at least three axes and one share per axis")
    width = 2 * (radius + label_room)
    height = 2 * radius + 8 * font_size + 24
    cx, cy = width / 2, height / 2
    clipped = [min(max(float(s), 0.0), 1.0) for s in shares]
    parts = [_svg_open(width, height, title or "radar", "chart radar")]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for ring in (0.25, 0.5, 0.75, 1.0):
        pts = " ".join(
            f"{_f(x)},{_f(y)}"
            for x, y in (radar_vertex(ring, i, n, cx, cy, radius) for i in range(n))
        )
        parts.append(f'<polygon class="radar-grid" points="{pts}" fill="none" stroke="#ccc"/>')
    for i, label in enumerate(labels):
        x, y = radar_vertex(1.0, i, n, cx, cy, radius)
        parts.append(f'<line x1="{_f(cx)}" y1="{_f(cy)}" x2="{_f(x)}" y2="{_f(y)}" stroke="#ccc"/>')
        lx, ly = radar_vertex(1.0, i, n, cx, cy, radius + 8)
        dx, dy_axis = (lx - cx) / radius, (ly - cy) / radius
        anchor = "middle" if abs(dx) < 0.05 else ("start" if dx > 0 else "end")
        lines = wrap_label(label)
        block = font_size * 1.2 * (len(lines) + (value_labels is not None))
        if dy_axis < -0.3:  # above the centre: the block ends at the axis tip
            ly = ly - block + font_size
        elif dy_axis > 0.3:  # below: the block starts at the axis tip
            ly = ly + font_size
        else:  # beside: the block is centred on the axis
            ly = ly - block / 2 + font_size * 0.9
        parts.append(
            f'<text x="{_f(lx)}" y="{_f(ly)}" text-anchor="{anchor}" font-size="{_f(font_size)}">'
        )
        for k, line in enumerate(lines):
            dy = "0" if k == 0 else _f(font_size * 1.2)
            parts.append(f'<tspan x="{_f(lx)}" dy="{dy}">{escape(line)}</tspan>')
        if value_labels is not None:
            parts.append(
                f'<tspan x="{_f(lx)}" dy="{_f(font_size * 1.2)}" font-weight="bold">'
                f"{escape(value_labels[i])}</tspan>"
            )
        parts.append("</text>")
    vertices = [radar_vertex(s, i, n, cx, cy, radius) for i, s in enumerate(clipped)]
    pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in vertices)
    data = " ".join(f"{s:.4f}" for s in clipped)
    parts.append(
        f'<polygon class="radar-score" points="{pts}" fill="{colour}" fill-opacity="0.25" '
        f'stroke="{colour}" stroke-width="2" data-cx="{_f(cx)}" data-cy="{_f(cy)}" '
        f'data-r="{_f(radius)}" data-shares="{data}"/>'
    )
    for x, y in vertices:
        parts.append(f'<circle cx="{_f(x)}" cy="{_f(y)}" r="3" fill="{colour}"/>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Bars and lines


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    max_value: float | None = None,
    value_labels: Sequence[str] | None = None,
    colours: Sequence[str] | None = None,
    title: str = "",
    label_width: float = 190.0,
    bar_width: float = 260.0,
    row_height: float = 22.0,
    description: str = "",
) -> str:
    """Horizontal bars, one row per label, scaled to ``max_value`` (default: the largest value).

    ``description`` becomes the SVG's ``<desc>`` (its accessible description).
    """
    top = max_value if max_value is not None else max([*values, 0.0])
    top = top if top > 0 else 1.0
    height = row_height * len(labels) + 8
    width = label_width + bar_width + 70
    parts = [_svg_open(width, height, title or "bars", "chart bars")]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    if description:
        parts.append(f"<desc>{escape(description)}</desc>")
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 4 + i * row_height
        length = bar_width * min(max(value, 0.0), top) / top
        fill = colours[i] if colours is not None else CATEGORY_COLOURS[0]
        shown = value_labels[i] if value_labels is not None else _f(value)
        parts.append(
            f'<text x="{_f(label_width - 6)}" y="{_f(y + row_height * 0.65)}" text-anchor="end" '
            f'font-size="11">{escape(label)}</text>'
            f'<rect class="bar" x="{_f(label_width)}" y="{_f(y + 3)}" width="{_f(length)}" '
            f'height="{_f(row_height - 6)}" fill="{fill}" data-value="{value:.4f}"/>'
            f'<text x="{_f(label_width + length + 4)}" y="{_f(y + row_height * 0.65)}" '
            f'font-size="11">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    years: Sequence[int],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str = "",
    width: float = 640.0,
    height: float = 260.0,
    percent_suffix: str = "%",
    top: float = 1.0,
    tick_format: Callable[[float], str] | None = None,
    description: str = "",
) -> str:
    """Draw values over the years, one line per series.

    Values from 0 to ``top`` over years, one line per series (gaps for ``None``), legend on
    the right. By default the values are shares 0–1 and the ticks percentages; give ``top`` and
    ``tick_format`` for any other quantity (a score out of 100 points, say). ``description``
    becomes the chart's ``<desc>`` (what a screen reader says after the title).
    """
    left, right, margin_top, bottom = 44.0, 210.0, 14.0, 30.0
    plot_w, plot_h = width - left - right, height - margin_top - bottom
    lo, hi = (min(years), max(years)) if years else (0, 1)
    span = hi - lo

    def x_of(year: int) -> float:
        return left + (plot_w / 2 if span == 0 else plot_w * (year - lo) / span)

    scale_top = top if top > 0 else 1.0

    def y_of(value: float) -> float:
        return margin_top + plot_h * (1 - min(max(value / scale_top, 0.0), 1.0))

    def tick_text(share: float) -> str:
        if tick_format is not None:
            return tick_format(share * scale_top)
        return f"{round(share * 100)}{percent_suffix}"

    parts = [_svg_open(width, height, title or "trend", "chart trend")]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    if description:
        parts.append(f"<desc>{escape(description)}</desc>")
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = y_of(tick * scale_top)
        parts.append(
            f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(left + plot_w)}" y2="{_f(y)}" '
            f'stroke="#e0e0e0"/><text x="{_f(left - 6)}" y="{_f(y + 4)}" text-anchor="end" '
            f'font-size="10">{escape(tick_text(tick))}</text>'
        )
    for year in sorted(set(years)):
        parts.append(
            f'<text x="{_f(x_of(year))}" y="{_f(height - 10)}" text-anchor="middle" '
            f'font-size="10">{year}</text>'
        )
    for k, (name, values) in enumerate(series):
        colour = category_colour(k)
        points = [(x_of(y), y_of(v)) for y, v in zip(years, values, strict=True) if v is not None]
        if len(points) > 1:
            pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
            parts.append(
                f'<polyline class="trend-line" points="{pts}" fill="none" stroke="{colour}" '
                f'stroke-width="2"/>'
            )
        for x, y in points:
            parts.append(f'<circle cx="{_f(x)}" cy="{_f(y)}" r="3" fill="{colour}"/>')
        ly = margin_top + 6 + 16 * k
        lx = left + plot_w + 14
        parts.append(
            f'<line x1="{_f(lx)}" y1="{_f(ly)}" x2="{_f(lx + 16)}" y2="{_f(ly)}" '
            f'stroke="{colour}" stroke-width="3"/><text x="{_f(lx + 22)}" y="{_f(ly + 4)}" '
            f'font-size="11">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Band:
    """One series of a band chart: a central line and an optional probability band around it.

    ``low`` and ``high`` (the band's edges, e.g. the 5th and 95th percentiles) may be ``None``
    for a series without a band; ``mark`` is a (year, value, label) point drawn on the line,
    such as the peak year.
    """

    name: str
    central: Sequence[float]
    low: Sequence[float] | None = None
    high: Sequence[float] | None = None
    mark: tuple[int, float, str] | None = None


def nice_ceiling(value: float) -> float:
    """Return the smallest 1, 2, 2.5 or 5 × 10ⁿ at least ``value`` (the top of an axis)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * power * (1 + 1e-12):
            return step * power
    return 10.0 * power  # pragma: no cover - the loop ends at 10 × power


def band_chart(
    years: Sequence[int],
    series: Sequence[Band],
    *,
    title: str,
    description: str = "",
    markers: Sequence[tuple[int, str]] = (),
    tick_format: Callable[[float], str] | None = None,
    width: float = 420.0,
    height: float = 300.0,
    legend_row: float = 16.0,
) -> str:
    """Draw values over the years with probability bands, one colour per series.

    Each series is a line (``central``) over a shaded band between ``low`` and ``high``; the
    vertical ``markers`` (year, label) mark target years. The legend sits under the plot so the
    chart keeps its width on a narrow screen. ``title`` and ``description`` become the SVG's
    ``<title>`` and ``<desc>`` (its accessible name and description). Every band and line carries
    its values in ``data-values`` so the drawing can be checked against the data.
    """
    left, right, margin_top, axis = 64.0, 16.0, 18.0, 26.0
    legend_h = legend_row * len(series) + 8
    plot_w = width - left - right
    plot_h = height - margin_top - axis - legend_h
    lo, hi = (min(years), max(years)) if years else (0, 1)
    span = hi - lo
    values = [
        v
        for band in series
        for seq in (band.central, band.low or (), band.high or ())
        for v in seq
        if v is not None and math.isfinite(v)
    ]
    top = nice_ceiling(max([*values, 0.0]))

    def x_of(year: float) -> float:
        return left + (plot_w / 2 if span == 0 else plot_w * (year - lo) / span)

    def y_of(value: float) -> float:
        return margin_top + plot_h * (1 - min(max(value / top, 0.0), 1.0))

    def tick_text(value: float) -> str:
        return tick_format(value) if tick_format is not None else _f(value)

    parts = [_svg_open(width, height, title, "chart bands")]
    parts.append(f"<title>{escape(title)}</title>")
    if description:
        parts.append(f"<desc>{escape(description)}</desc>")
    mantissa = top / 10 ** math.floor(math.log10(top))
    steps = 4 if round(mantissa, 6) == 2.0 else 5  # round steps: 0.5, 1, 2 × 10ⁿ …
    for k in range(steps + 1):
        value = top * k / steps
        y = y_of(value)
        parts.append(
            f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(left + plot_w)}" y2="{_f(y)}" '
            f'stroke="#e0e0e0"/><text x="{_f(left - 6)}" y="{_f(y + 4)}" text-anchor="end" '
            f'font-size="10">{escape(tick_text(value))}</text>'
        )
    for year in sorted(set(years)):
        if year % 10 == 0 or year in (lo, hi):
            parts.append(
                f'<text x="{_f(x_of(year))}" y="{_f(margin_top + plot_h + 16)}" '
                f'text-anchor="middle" font-size="10">{year}</text>'
            )
    for year, label in markers:
        if lo <= year <= hi:
            x = x_of(year)
            anchor = "end" if x > left + plot_w * 0.8 else "start"
            dx = -4 if anchor == "end" else 4
            parts.append(
                f'<line class="marker" x1="{_f(x)}" y1="{_f(margin_top)}" x2="{_f(x)}" '
                f'y2="{_f(margin_top + plot_h)}" stroke="#444" stroke-dasharray="4 3" '
                f'data-year="{year}"/><text x="{_f(x + dx)}" y="{_f(margin_top - 5)}" '
                f'text-anchor="{anchor}" font-size="10">{escape(label)}</text>'
            )
    for k, band in enumerate(series):
        colour = category_colour(k)
        if band.low is not None and band.high is not None:
            upper = [(x_of(y), y_of(v)) for y, v in zip(years, band.high, strict=True)]
            lower = [(x_of(y), y_of(v)) for y, v in zip(years, band.low, strict=True)]
            pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in [*upper, *reversed(lower)])
            data = " ".join(
                f"{lo_v:.6g}:{hi_v:.6g}" for lo_v, hi_v in zip(band.low, band.high, strict=True)
            )
            parts.append(
                f'<polygon class="band" points="{pts}" fill="{colour}" fill-opacity="0.18" '
                f'stroke="none" data-values="{data}"/>'
            )
        points = [(x_of(y), y_of(v)) for y, v in zip(years, band.central, strict=True)]
        pts = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
        data = " ".join(f"{v:.6g}" for v in band.central)
        dash = "" if k < len(CATEGORY_COLOURS) else ' stroke-dasharray="6 3"'
        parts.append(
            f'<polyline class="band-line" points="{pts}" fill="none" stroke="{colour}" '
            f'stroke-width="2"{dash} data-values="{data}"/>'
        )
        if band.mark is not None:
            year, value, label = band.mark
            parts.append(
                f'<circle class="band-mark" cx="{_f(x_of(year))}" cy="{_f(y_of(value))}" r="4" '
                f'fill="#fff" stroke="{colour}" stroke-width="2" data-year="{year}">'
                f"<title>{escape(label)}</title></circle>"
            )
        ly = margin_top + plot_h + axis + 6 + legend_row * k
        parts.append(
            f'<rect x="{_f(left)}" y="{_f(ly)}" width="16" height="10" fill="{colour}" '
            f'fill-opacity="0.18"/><line x1="{_f(left)}" y1="{_f(ly + 5)}" x2="{_f(left + 16)}" '
            f'y2="{_f(ly + 5)}" stroke="{colour}" stroke-width="2"/>'
            f'<text x="{_f(left + 22)}" y="{_f(ly + 9)}" font-size="11">{escape(band.name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Maps


@dataclass(frozen=True)
class MapShape:
    """One outline to draw: a lon/lat geometry, its fill, and an optional label and centre dot."""

    geometry: BaseGeometry
    fill: str = "#c7e9c0"
    label: str | None = None
    marker: bool = False


def project_lonlat(geometry: BaseGeometry, lon0: float, lat0: float) -> BaseGeometry:
    """Project a lon/lat geometry to km around a centre point.

    Project a lon/lat geometry to km around (lon0, lat0), local equirectangular: x grows east,
    y north; longitudes are shortened by cos(lat0).
    """
    k = math.cos(math.radians(lat0))

    def to_km(coords: np.ndarray) -> np.ndarray:
        out = np.empty_like(coords)
        out[:, 0] = (coords[:, 0] - lon0) * k * KM_PER_DEGREE
        out[:, 1] = (coords[:, 1] - lat0) * KM_PER_DEGREE
        return out

    return shapely.transform(geometry, to_km)


def nice_length(target: float) -> float:
    """Return the largest 1, 2 or 5 × 10ⁿ not above ``target`` (a scale bar's length)."""
    if target <= 0:
        raise ValueError("target must be positive")
    exponent = math.floor(math.log10(target))
    for step in (5, 2, 1):
        value = step * 10.0**exponent
        if value <= target * (1 + 1e-9):
            return value
    return 10.0**exponent  # pragma: no cover - the loop always returns


def _polygons(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for part in getattr(geometry, "geoms", []) for g in _polygons(part)]


def _path(geometry: BaseGeometry, to_px: np.ndarray) -> str:
    """Return an SVG path (evenodd) of a projected geometry's polygons; to_px = [sx, ox, oy]."""
    s, ox, oy = to_px
    rings: list[str] = []
    for poly in _polygons(geometry):
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            px = ox + xy[:, 0] * s
            py = oy - xy[:, 1] * s
            body = " ".join(f"{_f(x)},{_f(y)}" for x, y in zip(px, py, strict=True))
            rings.append(f"M{body}Z")
    return "".join(rings)


def _text_width(text: str, font_size: float) -> float:
    """Estimate a rough width in px: Chinese characters are square, Latin ones about 0.6 em."""
    return sum(font_size if ord(ch) > 0x2E80 else 0.6 * font_size for ch in text)


def _free_baseline(
    x: float, y: float, width: float, placed: Sequence[tuple[float, float, float]]
) -> float:
    """Move a label down, a line at a time, until it overlaps none already placed."""
    line = 13.0
    for _ in range(len(placed) + 1):
        clash = any(x < px + pw and px < x + width and abs(y - py) < line for px, py, pw in placed)
        if not clash:
            return y
        y += line
    return y


def boundary_map(
    shapes: Sequence[MapShape],
    *,
    width: float = 520.0,
    height: float = 400.0,
    title: str = "",
    north_label: str = "N",
    km_label: str = "km",
    number_format: Callable[[float], str] | None = None,
) -> str:
    """Draw a map of city outlines with a scale bar in km and a north arrow.

    All shapes share one local equirectangular projection centred on their joint bounding box,
    outlines are thinned to half a pixel. ``number_format`` (a callable float → str) writes the
    scale bar's figure in the reader's language.
    """
    if not shapes:
        raise ValueError("a map needs at least one shape")
    minx, miny, maxx, maxy = shapely.total_bounds([s.geometry for s in shapes])
    lon0, lat0 = (minx + maxx) / 2, (miny + maxy) / 2
    projected = [project_lonlat(s.geometry, lon0, lat0) for s in shapes]
    pminx, pminy, pmaxx, pmaxy = shapely.total_bounds(projected)
    pad, bar_room = 28.0, 34.0
    span_x = max(pmaxx - pminx, 1e-6)
    span_y = max(pmaxy - pminy, 1e-6)
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad - bar_room) / span_y)  # px per km
    ox = width / 2 - (pminx + pmaxx) / 2 * scale
    oy = (height - bar_room) / 2 + (pminy + pmaxy) / 2 * scale
    to_px = np.array([scale, ox, oy])
    parts = [_svg_open(width, height, title or "map", "map")]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    parts.append(
        f'<g class="projection" data-lon0="{lon0:.6f}" data-lat0="{lat0:.6f}" '
        f'data-px-per-km="{scale:.6f}">'
    )
    tolerance = 0.5 / scale
    for shape, geom in zip(shapes, projected, strict=True):
        thin = geom.simplify(tolerance, preserve_topology=False)  # only drawn: speed wins
        parts.append(
            f'<path class="boundary" d="{_path(thin, to_px)}" fill="{shape.fill}" '
            f'fill-rule="evenodd" stroke="#2f4f4f" stroke-width="1"/>'
        )
    placed: list[tuple[float, float, float]] = []  # (x, baseline, width) of labels drawn
    for shape, geom in zip(shapes, projected, strict=True):
        if not (shape.marker or shape.label):
            continue
        c = geom.representative_point()
        x, y = ox + c.x * scale, oy - c.y * scale
        if shape.marker:
            parts.append(
                f'<circle class="city-marker" cx="{_f(x)}" cy="{_f(y)}" r="5" '
                f'fill="{shape.fill}" stroke="#2f4f4f"/>'
            )
        if shape.label:
            lx, ly = x + 8, y + 4
            ly = _free_baseline(lx, ly, _text_width(shape.label, 11), placed)
            placed.append((lx, ly, _text_width(shape.label, 11)))
            parts.append(
                f'<text x="{_f(lx)}" y="{_f(ly)}" font-size="11" paint-order="stroke" '
                f'stroke="#fff" stroke-width="3">{escape(shape.label)}</text>'
            )
    parts.append("</g>")
    # Scale bar: a round length close to a quarter of the drawing width.
    length_km = nice_length((width - 2 * pad) / 4 / scale)
    bar_px = length_km * scale
    bx, by = pad, height - 14
    fmt = number_format or (lambda v: f"{v:g}")
    parts.append(
        f'<g class="scale-bar" data-km="{length_km:g}" data-px="{bar_px:.4f}">'
        f'<rect x="{_f(bx)}" y="{_f(by - 6)}" width="{_f(bar_px / 2)}" height="5" fill="#333"/>'
        f'<rect x="{_f(bx + bar_px / 2)}" y="{_f(by - 6)}" width="{_f(bar_px / 2)}" height="5" '
        f'fill="#fff" stroke="#333"/>'
        f'<text x="{_f(bx + bar_px + 6)}" y="{_f(by)}" font-size="11">'
        f"{escape(fmt(length_km))} {escape(km_label)}</text></g>"
    )
    nx, ny = width - pad, pad
    parts.append(
        f'<g class="north-arrow"><polygon points="{_f(nx)},{_f(ny)} {_f(nx - 7)},{_f(ny + 20)} '
        f'{_f(nx)},{_f(ny + 15)} {_f(nx + 7)},{_f(ny + 20)}" fill="#333"/>'
        f'<text x="{_f(nx)}" y="{_f(ny - 4)}" text-anchor="middle" font-size="12" '
        f'font-weight="bold">{escape(north_label)}</text></g>'
    )
    parts.append("</svg>")
    return "".join(parts)
