"""A radar chart of category scores as inline SVG: no JavaScript, nothing fetched."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def radar_svg(
    categories: Sequence[tuple[str, float, float]],
    *,
    size: int = 360,
    rings: int = 4,
    label: str = "",
) -> SafeString:
    """``categories`` are (label, points, max_points); each axis shows points / max_points."""
    n = len(categories)
    if n < 3:
        return mark_safe("")
    centre, radius = size / 2, size / 2 - 70

    def point(i: int, share: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return centre + radius * share * math.cos(angle), centre + radius * share * math.sin(angle)

    parts = [
        f'<svg class="radar" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        f'role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for ring in range(1, rings + 1):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring / rings) for i in range(n)))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#ccd" stroke-width="1"/>')
    shares = [min(max(p / m, 0.0), 1.0) if m > 0 else 0.0 for _, p, m in categories]
    for i, (label, points, max_points) in enumerate(categories):
        x, y = point(i, 1.0)
        parts.append(f'<line x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" stroke="#ccd"/>')
        lx, ly = point(i, 1.18)
        anchor = "middle" if abs(lx - centre) < 5 else ("start" if lx > centre else "end")
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="11" text-anchor="{anchor}">'
            f"{escape(label)} ({points:.0f}/{max_points:.0f})</text>"
        )
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, s) for i, s in enumerate(shares)))
    parts.append(
        f'<polygon points="{pts}" fill="rgba(46,139,87,0.35)" stroke="#2e8b57" stroke-width="2"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def trend_svg(
    points: Sequence[tuple[int, float]], *, width: int = 480, height: int = 160, label: str = ""
) -> SafeString:
    """Score over the years as a small line chart."""
    if len(points) < 2:
        return mark_safe("")
    years = [y for y, _ in points]
    scores = [s for _, s in points]
    y0, y1 = min(years), max(years)
    top = max(max(scores), 1.0)
    pad = 30

    def xy(year: int, score: float) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * (year - y0) / max(y1 - y0, 1)
        y = height - pad - (height - 2 * pad) * score / top
        return x, y

    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(a, b) for a, b in points))
    labels = "".join(
        f'<text x="{xy(a, 0)[0]:.1f}" y="{height - 8}" font-size="10" text-anchor="middle">{a}</text>'
        f'<circle cx="{xy(a, b)[0]:.1f}" cy="{xy(a, b)[1]:.1f}" r="3" fill="#2e8b57"/>'
        f'<text x="{xy(a, b)[0]:.1f}" y="{xy(a, b)[1] - 7:.1f}" font-size="10" '
        f'text-anchor="middle">{b:.0f}</text>'
        for a, b in points
    )
    return mark_safe(
        f'<svg class="trend" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f'<polyline points="{line}" fill="none" stroke="#2e8b57" stroke-width="2"/>{labels}</svg>'
    )
