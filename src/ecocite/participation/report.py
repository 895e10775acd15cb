"""A self-contained HTML report of an opinion map (inline SVG, no script, no external file).

Texts come from ``messages.yaml`` beside this module, in fr / zh / en; statement texts are the
participants' own, shown as written.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources

import numpy as np
import yaml

from ecocite.participation.engine import OpinionState
from ecocite.participation.polis_io import PolisExport

LANGS = ("fr", "zh", "en")
# Okabe–Ito colours (distinguishable with colour-blindness), each with its own marker shape
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
LETTERS = "ABCDE"


@lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, str]]:
    """Return the report's texts by key and language."""
    text = resources.files("ecocite.participation").joinpath("messages.yaml").read_text("utf-8")
    return {
        str(k): {str(lang): str(s) for lang, s in v.items()}
        for k, v in yaml.safe_load(text).items()
    }


def msg(key: str, lang: str, **fields: object) -> str:
    """Return the text of ``key`` in ``lang`` with its placeholders filled."""
    template = messages()[key][lang]
    return template.format(**fields) if fields else template


def _pct(x: float) -> str:
    return f"{round(100 * x)}\u00a0%"


def _marker(g: int, x: float, y: float) -> str:
    c = COLOURS[g % len(COLOURS)]
    if g % 5 == 1:
        return f'<rect x="{x - 2.5:.1f}" y="{y - 2.5:.1f}" width="5" height="5" fill="{c}"/>'
    if g % 5 == 2:
        return f'<path d="M{x:.1f} {y - 3.2:.1f}l3 5.4h-6z" fill="{c}"/>'
    if g % 5 == 3:
        return f'<path d="M{x:.1f} {y - 3.2:.1f}l3.2 3.2-3.2 3.2-3.2-3.2z" fill="{c}"/>'
    if g % 5 == 4:
        return f'<path d="M{x - 3:.1f} {y:.1f}h6M{x:.1f} {y - 3:.1f}v6" stroke="{c}" stroke-width="2"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{c}"/>'


def legend_svg(g: int) -> str:
    """Draw group ``g``'s marker alone (decorative, beside the group's name)."""
    return (
        '<svg class="legend" aria-hidden="true" focusable="false" viewBox="0 0 10 10" '
        f'width="14" height="14" xmlns="http://www.w3.org/2000/svg">{_marker(g, 5, 5)}</svg>'
    )


def scatter_svg(state: OpinionState, lang: str, *, size: int = 360, max_points: int = 5000) -> str:
    """Draw the opinion map: one marker per participant, shape and colour by group."""
    r = state.result
    assert r is not None
    return scatter_svg_points(
        r.groups, r.points, r.group_sizes, lang, size=size, max_points=max_points
    )


def scatter_svg_points(
    groups: Mapping[str, int],
    points: Mapping[str, Sequence[float]],
    group_sizes: Sequence[int],
    lang: str,
    *,
    size: int = 360,
    max_points: int = 5000,
    title_id: str = "map-title",
) -> str:
    """Draw the opinion map from a result's groups, points and group sizes (e.g. stored JSON)."""
    pids = list(groups)
    if len(pids) > max_points:  # a readable map: an even sample of participants
        pids = pids[:: int(np.ceil(len(pids) / max_points))]
    pts = np.array([points[p] for p in pids], dtype=float) if pids else np.zeros((0, 2))
    sizes = ", ".join(
        f"{msg('group_name', lang, letter=LETTERS[g % len(LETTERS)])} {msg('group_size', lang, n=n)}"
        for g, n in enumerate(group_sizes)
    )
    alt = msg("map_alt", lang, groups=len(group_sizes), sizes=sizes)
    pad = 12
    if len(pts):
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        span = np.where(hi - lo > 0, hi - lo, 1.0)
        xy = pad + (pts - lo) / span * (size - 2 * pad)
        xy[:, 1] = size - xy[:, 1]
    else:
        xy = pts
    marks = "".join(_marker(int(groups[p]), x, y) for p, (x, y) in zip(pids, xy, strict=True))
    return (
        f'<svg role="img" aria-labelledby="{title_id}" viewBox="0 0 {size} {size}" '
        f'xmlns="http://www.w3.org/2000/svg" class="map"><title id="{title_id}">'
        f"{html.escape(alt)}</title>"
        f'<rect width="{size}" height="{size}" fill="#fff" stroke="#767676"/>{marks}</svg>'
    )


def render_report(state: OpinionState, export: PolisExport, *, lang: str = "en") -> str:
    """Render the report as one HTML document in ``lang`` (fr, zh or en)."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not one of fr, zh, en")
    r = state.result
    assert r is not None
    texts = {s.id: s.text for s in export.statements}
    e = html.escape

    def statement(sid: str) -> str:
        return f'<span class="sid">#{e(sid)}</span> {e(texts.get(sid, ""))}'

    parts = [
        f"<h1>{e(msg('title', lang))}</h1>",
        "<p>"
        + e(
            msg(
                "subtitle",
                lang,
                participants=r.participants,
                statements=r.statements,
                votes=r.votes,
                grouped=len(r.groups),
                groups=len(r.group_sizes),
            )
        )
        + "</p>",
        f"<h2>{e(msg('map_heading', lang))}</h2><p>{e(msg('map_help', lang))}</p>",
        scatter_svg(state, lang),
        '<ul class="legend">'
        + "".join(
            f'<li><svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">'
            f"{_marker(g, 6, 6)}</svg> {e(msg('group_name', lang, letter=LETTERS[g]))} · "
            f"{e(msg('group_size', lang, n=n))}</li>"
            for g, n in enumerate(r.group_sizes)
        )
        + "</ul>",
        f"<h2>{e(msg('group_heading', lang))}</h2><p>{e(msg('group_help', lang))}</p>",
    ]

    def cell(key: str, value: str) -> str:
        return f'<td data-label="{e(msg(key, lang))}">{value}</td>'

    head = (
        f"<tr class='head'><th scope='col'>{e(msg('col_statement', lang))}</th>"
        f"<th scope='col'>{e(msg('col_direction', lang))}</th>"
        f"<th scope='col'>{e(msg('col_agree', lang))}</th>"
        f"<th scope='col'>{e(msg('col_disagree', lang))}</th>"
        f"<th scope='col'>{e(msg('col_votes', lang))}</th></tr>"
    )
    for g, n in enumerate(r.group_sizes):
        name = f"{msg('group_name', lang, letter=LETTERS[g])} · {msg('group_size', lang, n=n)}"
        rows = "".join(
            f"<tr><td>{statement(s.statement)}</td>{cell('col_direction', e(msg(s.direction, lang)))}"
            f"{cell('col_agree', _pct(s.agree_share))}{cell('col_disagree', _pct(s.disagree_share))}"
            f"{cell('col_votes', str(s.n_votes))}</tr>"
            for s in r.repness.get(g, [])
        )
        parts.append(f"<h3>{e(name)}</h3>")
        parts.append(f"<table>{head}{rows}</table>" if rows else f"<p>{e(msg('none', lang))}</p>")
    parts.append(
        f"<h2>{e(msg('consensus_heading', lang))}</h2><p>{e(msg('consensus_help', lang))}</p>"
    )
    rows = "".join(
        f"<tr><td>{statement(c.statement)}</td>"
        f"{cell('col_direction', e(msg('consensus_' + c.direction, lang)))}"
        f"{cell('col_agree', _pct(c.agree_share))}{cell('col_disagree', _pct(c.disagree_share))}"
        f"{cell('col_votes', str(c.n_votes))}</tr>"
        for c in r.consensus
    )
    parts.append(f"<table>{head}{rows}</table>" if rows else f"<p>{e(msg('none', lang))}</p>")
    if r.divisive:
        parts.append(
            f"<h2>{e(msg('divisive_heading', lang))}</h2><p>{e(msg('divisive_help', lang))}</p>"
        )
        rows = "".join(
            f"<tr><td>{statement(d.statement)}</td><td>"
            + ", ".join(f"{e(LETTERS[g])} {_pct(a)}" for g, a in enumerate(d.agree_shares))
            + "</td></tr>"
            for d in r.divisive
        )
        parts.append(
            f"<table><tr class='head'><th scope='col'>{e(msg('col_statement', lang))}</th>"
            f"<th scope='col'>{e(msg('col_group_agree', lang))}</th></tr>{rows}</table>"
        )
    parts.append(f"<footer><p>{e(msg('method', lang))}</p></footer>")
    html_lang = {"fr": "fr", "zh": "zh-Hans", "en": "en"}[lang]
    style = (
        "body{font-family:system-ui,'Noto Sans CJK SC','Source Han Sans SC','PingFang SC',"
        "'Microsoft YaHei',sans-serif;max-width:52rem;margin:auto;padding:1rem;"
        "color:#1a1a1a;line-height:1.45}"
        ".map{width:100%;max-width:360px;height:auto;display:block}"
        "table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.95rem}"
        "th,td{border-bottom:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}"
        ".sid{color:#555;font-variant-numeric:tabular-nums}"
        ".legend{list-style:none;padding:0}"
        "td{overflow-wrap:anywhere}"
        # phones: each row becomes a card, figures labelled, header row kept for screen readers
        "@media (max-width:560px){body{padding:.6rem}table,tbody,tr,td{display:block}"
        "tr.head{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}"
        "tr{border-bottom:1px solid #ccc;padding:.4rem 0}td{border:none;padding:.1rem 0}"
        "td[data-label]{display:inline-block;margin-right:1rem;color:#333}"
        "td[data-label]::before{content:attr(data-label) ' ';font-weight:600}}"
    )
    return (
        f'<!doctype html><html lang="{html_lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(msg('title', lang))}</title><style>{style}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>\n"
    )
