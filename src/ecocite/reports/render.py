"""The city report: one self-contained HTML page (inline CSS and SVG, no script, no external file).

The page is built from plain view data computed here and a Jinja2 template; all numbers are
formatted for the reader's language. The output holds no clock time, so the same assessment,
framework and city always give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ecocite import __version__
from ecocite.assessment.model import Assessment, CategoryScore, IndicatorResult
from ecocite.cities.model import RegistryCity
from ecocite.frameworks.schema import Framework
from ecocite.reports import svg
from ecocite.reports.messages import (
    ReportError,
    category_name,
    check_lang,
    format_number,
    format_points,
    format_quantity,
    format_share,
    indicator_name,
    is_illustrative,
    level_name,
    message,
    reason_sentence,
    stated_target,
)

HTML_LANG = {"fr": "fr", "zh": "zh-Hans", "en": "en"}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("ecocite.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """Return the reports' stylesheet."""
    return (
        resources.files("ecocite.reports")
        .joinpath("templates/report.css")
        .read_text(encoding="utf-8")
    )


def render_template(name: str, lang: str, **context: Any) -> str:
    """Render one of the package's templates with the shared page context."""
    return (
        _environment()
        .get_template(name)
        .render(
            t=_translator(lang),
            html_lang=HTML_LANG[lang],
            version=__version__,
            css=Markup(stylesheet()),
            **context,
        )
    )


def _translator(lang: str) -> Callable[..., str]:
    def t(key: str, **fields: object) -> str:
        return message(key, lang, **fields)

    return t


def check_framework(assessment: Assessment, framework: Framework) -> None:
    """Raise ReportError unless the assessment was made with this framework version."""
    if assessment.framework_id != framework.id:
        raise ReportError(
            f"assessment of {assessment.city} {assessment.year} was made with framework "
            f"{assessment.framework_id!r}, not {framework.id!r}"
        )


def text_colour(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (#rrggbb)."""
    r, g, b = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    return "#000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#fff"


def level_colour(framework: Framework, rank: int) -> str:
    """Return the fill colour of a level rank."""
    return svg.level_colours(len(framework.grading.levels))[max(rank, 0)]


def scale_factor(assessment: Assessment) -> float:
    """Scaled points per raw point of the stage's scored items (as the engine rescales them)."""
    raw = sum(i.max_points for i in assessment.indicators if i.kind == "scored")
    return assessment.scale / raw if raw > 0 else 0.0


def category_share(category: CategoryScore) -> float | None:
    """Share of the category's maximum obtained; None for a category without scored items."""
    if category.max_points <= 0:
        return None
    return category.points / category.max_points


def category_shares(assessment: Assessment) -> list[tuple[CategoryScore, float]]:
    """Return what the category chart shows for each category.

    Return what the category chart shows: the share of each category's maximum points, or under
    completeness grading the share of each category's indicators reported.
    """
    if assessment.grading == "completeness":
        return [(c, c.reported / c.indicators) for c in assessment.categories if c.indicators]
    return [(c, s) for c in assessment.categories if (s := category_share(c)) is not None]


def category_chart(
    assessment: Assessment,
    framework: Framework,
    lang: str,
    *,
    numbered: bool = False,
    radius: float | None = None,
    label_room: float = 120.0,
    font_size: float = 11.0,
) -> tuple[str, bool]:
    """Draw the category chart: a radar of the category shares.

    Draw a radar of the category shares (bars when fewer than three categories are scored).
    Returns the SVG and whether it fell back to bars.
    """
    scored = category_shares(assessment)
    labels = [
        str(i + 1) if numbered else category_name(framework, c.category, lang)
        for i, (c, _) in enumerate(scored)
    ]
    shares = [s for _, s in scored]
    values = [format_share(s, lang) for s in shares]
    title = message("section.radar", lang)
    if len(scored) >= 3:
        chart = svg.radar_chart(
            labels,
            shares,
            value_labels=values,
            title=title,
            radius=radius or (110.0 if len(scored) <= 10 else 160.0),
            label_room=label_room,
            font_size=font_size,
        )
        return chart, False
    chart = svg.bar_chart(labels, shares, max_value=1.0, value_labels=values, title=title)
    return chart, True


def _points_cell(result: IndicatorResult, factor: float, lang: str) -> str:
    if result.kind == "scored":
        return f"{format_points(result.scaled_points, lang)} / {format_points(result.max_points * factor, lang)}"
    if result.kind == "bonus":
        return f"{format_points(result.points, lang)} / {format_points(result.max_points, lang)}"
    return "—"


def _indicator_groups(
    assessment: Assessment, framework: Framework, lang: str
) -> list[dict[str, Any]]:
    factor = scale_factor(assessment)
    by_category: dict[str, list[IndicatorResult]] = {}
    for result in assessment.indicators:
        by_category.setdefault(result.category, []).append(result)
    groups = []
    for cat in assessment.categories:
        rows = []
        for r in by_category.get(cat.category, []):
            rows.append(
                {
                    "id": r.indicator,
                    "name": indicator_name(framework, r.indicator, lang),
                    "kind": message(f"kind.{r.kind}", lang),
                    "value": format_quantity(r.value, r.unit, lang),
                    "illustrative": is_illustrative(r.source),
                    "points": _points_cell(r, factor, lang),
                    "status": message(f"status.{r.status}", lang),
                    "status_code": r.status,
                    "source": r.source or "—",
                    "quality": message(f"quality.{r.quality}", lang) if r.quality else "—",
                    "verified": "—"
                    if r.verified is None
                    else message("verified.yes" if r.verified else "verified.no", lang),
                }
            )
        if cat.max_points > 0:
            points = message(
                "category.points_of",
                lang,
                points=format_points(cat.points, lang),
                max=format_points(cat.max_points, lang),
            )
        else:
            points = message("category.no_scored_items", lang)
        below = (
            message("category.below_minimum", lang, minimum=format_points(cat.min_points, lang))
            if cat.below_minimum
            else ""
        )
        groups.append(
            {
                "name": category_name(framework, cat.category, lang),
                "points": points,
                "below_minimum": below,
                "rows": rows,
            }
        )
    return groups


def _gap_view(assessment: Assessment, framework: Framework, lang: str) -> dict[str, Any]:
    gap = assessment.gap
    if gap is None:
        top = assessment.level_rank >= len(framework.grading.levels)
        return {
            "intro": message("gap.top_level" if top else "gap.not_computed", lang),
            "rows": [],
            "unreachable": "",
        }
    target = level_name(framework, gap.target_level, lang)
    if assessment.grading == "completeness":
        intro = message("gap.intro_completeness", lang, level=target)
    else:
        intro = message(
            "gap.intro_points", lang, level=target, points=format_points(gap.points_needed, lang)
        )
    sources = {i.indicator: i.source for i in assessment.indicators}
    low_quality = {i.indicator for i in assessment.indicators if i.status == "insufficient_quality"}
    rows = [
        {
            "id": a.indicator,
            "name": indicator_name(framework, a.indicator, lang),
            "category": category_name(framework, a.category, lang),
            "current": format_quantity(a.current_value, a.unit, lang)
            if a.current_value is not None
            else message("gap.no_value", lang),
            "illustrative": a.current_value is not None
            and is_illustrative(sources.get(a.indicator)),
            "target": format_quantity(
                stated_target(framework, a.indicator, a.target_value), a.unit, lang
            )
            if a.target_value is not None
            else message("gap.report_value", lang),
            "gain": "+" + format_points(a.points_gain, lang) if a.points_gain > 0 else "—",
            "why": message(f"why.{a.why}", lang)
            + (f" — {message('gap.quality_note', lang)}" if a.indicator in low_quality else ""),
        }
        for a in gap.actions
    ]
    unreachable = "" if gap.reachable else message("gap.unreachable", lang, level=target)
    return {"intro": intro, "rows": rows, "unreachable": unreachable}


def _summary(assessment: Assessment, lang: str) -> list[dict[str, str]]:
    q = assessment.quality_counts
    rows: list[dict[str, str]] = []
    if assessment.grading == "points":
        rows += [
            {
                "label": message("summary.score", lang),
                "value": message(
                    "summary.score_value",
                    lang,
                    score=format_points(assessment.score, lang),
                    scale=format_number(assessment.scale, lang),
                    total=format_points(assessment.total, lang),
                    bonus=format_points(assessment.bonus, lang),
                ),
            },
            {
                "label": message("summary.total", lang),
                "value": format_points(assessment.total, lang),
            },
            {
                "label": message("summary.bonus", lang),
                "value": format_points(assessment.bonus, lang),
            },
        ]
    rows += [
        {
            "label": message("summary.completeness", lang),
            "value": format_share(assessment.completeness, lang),
        },
        {
            "label": message("summary.quality", lang),
            "value": message(
                "summary.quality_counts",
                lang,
                high=q.get("high", 0),
                medium=q.get("medium", 0),
                low=q.get("low", 0),
            ),
        },
        {
            "label": message("summary.verified", lang),
            "value": format_share(assessment.verified_share, lang),
        },
        {
            "label": message("summary.controls", lang),
            "value": message(
                "summary.controls_ok"
                if assessment.all_controls_passed
                else "summary.controls_not_ok",
                lang,
            ),
        },
    ]
    return rows


def _ladder(assessment: Assessment, framework: Framework, lang: str) -> list[dict[str, Any]]:
    grading = framework.grading
    colours = svg.level_colours(len(grading.levels))
    steps = []
    for rank, level in enumerate(grading.levels, start=1):
        threshold = (
            format_points(level.min_points, lang)
            if grading.method == "points"
            else format_share(level.min_reported, lang)
        )
        steps.append(
            {
                "name": level.name(lang),
                "threshold": threshold,
                "colour": colours[rank],
                "current": rank == assessment.level_rank,
            }
        )
    return steps


def _provenance(assessment: Assessment, framework: Framework, lang: str) -> list[dict[str, str]]:
    items = []
    for r in assessment.indicators:
        if not r.provenance:
            continue
        try:
            text = json.dumps(
                json.loads(r.provenance), indent=2, ensure_ascii=False, sort_keys=True
            )
        except json.JSONDecodeError:
            text = r.provenance
        items.append({"name": indicator_name(framework, r.indicator, lang), "json": text})
    return items


def city_map(city: RegistryCity, fill: str, lang: str) -> str | None:
    """Draw the city's boundary map, or None without a boundary."""
    geometry = city.geometry()
    if geometry is None:
        return None
    return svg.boundary_map(
        [svg.MapShape(geometry=geometry, fill=fill)],
        title=city.name(lang),
        north_label=message("map.north", lang),
        number_format=lambda v: format_number(v, lang),
    )


def trend_chart(assessments: Sequence[Assessment], framework: Framework, lang: str) -> str | None:
    """Each category's share of its maximum over the years (the latest assessment of a year wins)."""
    by_year = {a.year: a for a in assessments}
    years = sorted(by_year)
    if len(years) < 2:
        return None
    categories = [c.id for c in framework.categories]
    series = []
    for cat in categories:
        values: list[float | None] = []
        for year in years:
            found = next((c for c in by_year[year].categories if c.category == cat), None)
            values.append(category_share(found) if found is not None else None)
        if any(v is not None for v in values):
            series.append((category_name(framework, cat, lang), values))
    return svg.line_chart(
        years,
        series,
        title=message("section.trend", lang),
        percent_suffix="\u202f%" if lang == "fr" else "%",
    )


def render_city_report(
    assessment: Assessment,
    *,
    framework: Framework,
    city: RegistryCity,
    lang: str = "en",
    history: Sequence[Assessment] | None = None,
) -> str:
    """Return the report of one assessed city as a self-contained HTML document.

    Parameters
    ----------
    assessment
        The result of :func:`ecocite.assessment.assess` for ``city``.
    framework
        The framework the assessment used (names of levels, categories, indicators come from it).
    city
        The assessed city (name in three languages; its boundary, if any, is mapped).
    lang
        ``"fr"``, ``"zh"`` or ``"en"``.
    history
        Earlier assessments of the same city (any order); with at least one other year, the
        report adds the trend of the category scores.
    """
    check_lang(lang)
    check_framework(assessment, framework)
    if city.id != assessment.city:
        raise ReportError(
            f"the assessment is of {assessment.city!r}, the city given is {city.id!r}"
        )
    earlier = list(history or [])
    for other in earlier:
        check_framework(other, framework)
        if other.city != assessment.city:
            raise ReportError(
                f"history holds an assessment of {other.city!r}, not of {assessment.city!r}"
            )
        if other.stage != assessment.stage:
            raise ReportError(
                f"history holds a {other.stage} assessment ({other.year}); the report is of the "
                f"{assessment.stage} stage"
            )
    colour = level_colour(framework, assessment.level_rank)
    radar, radar_is_bars = category_chart(assessment, framework, lang)
    map_svg = city_map(city, colour, lang)
    trend = trend_chart([*sorted(earlier, key=lambda a: a.year), assessment], framework, lang)
    title = message("report.city_title", lang, city=city.name(lang), framework=framework.name(lang))
    subtitle = message(
        "report.subtitle",
        lang,
        year=assessment.year,
        stage=message(f"stage.{assessment.stage}", lang),
        key=f"{assessment.framework_id}@{assessment.framework_version}",
    )
    illustrative_count = sum(
        1 for r in assessment.indicators if r.value is not None and is_illustrative(r.source)
    )
    return render_template(
        "city.html",
        lang,
        title=title,
        subtitle=subtitle,
        level={
            "rank": assessment.level_rank,
            "name": level_name(framework, assessment.level, lang),
            "colour": colour,
            "text_colour": text_colour(colour),
        },
        ladder=_ladder(assessment, framework, lang),
        reasons=[reason_sentence(r, framework=framework, lang=lang) for r in assessment.reasons],
        illustrative_count=illustrative_count,
        summary=_summary(assessment, lang),
        radar=Markup(radar),
        radar_is_bars=radar_is_bars,
        radar_caption=message(f"radar.caption.{assessment.grading}", lang),
        groups=_indicator_groups(assessment, framework, lang),
        gap=_gap_view(assessment, framework, lang),
        map=Markup(map_svg) if map_svg else None,
        map_caption=message(
            "map.caption", lang, source=city.boundary_source or message("map.source_unknown", lang)
        ),
        trend=Markup(trend) if trend else None,
        framework_key=f"{assessment.framework_id}@{assessment.framework_version}",
        grading=message(f"grading.{assessment.grading}", lang),
        data_hash=assessment.data_hash,
        engine_version=assessment.engine_version,
        provenance=_provenance(assessment, framework, lang),
    )
