"""The portfolio report: several cities (and years) side by side, on one self-contained page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from markupsafe import Markup

from ecocite.assessment.model import Assessment
from ecocite.cities.model import RegistryCity
from ecocite.frameworks.schema import Framework
from ecocite.reports import svg
from ecocite.reports.messages import (
    ReportError,
    category_name,
    check_lang,
    format_number,
    format_points,
    format_share,
    is_illustrative,
    level_name,
    message,
)
from ecocite.reports.render import (
    category_chart,
    category_shares,
    check_framework,
    level_colour,
    render_template,
)


def _city_index(
    cities: Iterable[RegistryCity] | Mapping[str, RegistryCity],
) -> dict[str, RegistryCity]:
    if isinstance(cities, Mapping):
        return dict(cities)
    return {c.id: c for c in cities}


def latest_by_city(assessments: Iterable[Assessment]) -> list[Assessment]:
    """Return the latest assessment (by year) of each city, in the order cities first appear."""
    latest: dict[str, Assessment] = {}
    for a in assessments:
        if a.city not in latest or a.year >= latest[a.city].year:
            latest[a.city] = a
    return list(latest.values())


def render_portfolio_report(
    assessments: Sequence[Assessment],
    *,
    framework: Framework,
    cities: Iterable[RegistryCity] | Mapping[str, RegistryCity],
    lang: str = "en",
) -> str:
    """Cities compared on one self-contained HTML page.

    Parameters
    ----------
    assessments
        Assessments of any number of cities and years under ``framework``.
    framework
        The framework they used (level, category names and colours come from it).
    cities
        The assessed cities (a sequence or a mapping by id); every assessed city must be there.
    lang
        ``"fr"``, ``"zh"`` or ``"en"``.

    The page has a table (city, year, score, level, each category's points), one small radar
    (or bar chart) per city from its latest assessment, a map of all boundaries coloured by the
    latest level, and the distribution of the latest levels.
    """
    check_lang(lang)
    if not assessments:
        raise ReportError("a portfolio report needs at least one assessment")
    index = _city_index(cities)
    for a in assessments:
        check_framework(a, framework)
        if a.city not in index:
            raise ReportError(f"no city {a.city!r} among the cities given")

    def city_label(city_id: str) -> str:
        return index[city_id].name(lang)

    ordered = sorted(assessments, key=lambda a: (city_label(a.city), a.year, a.stage))
    latest = sorted(latest_by_city(assessments), key=lambda a: city_label(a.city))
    categories = [
        {"id": c.id, "name": category_name(framework, c.id, lang)} for c in framework.categories
    ]
    rows = []
    for a in ordered:
        by_cat = {c.category: c for c in a.categories}
        cells = []
        for cat in framework.categories:
            score = by_cat.get(cat.id)
            cells.append(
                {
                    "points": format_points(score.points, lang) if score else "—",
                    "below_minimum": message(
                        "category.below_minimum",
                        lang,
                        minimum=format_points(score.min_points, lang),
                    )
                    if score is not None and score.below_minimum
                    else "",
                }
            )
        rows.append(
            {
                "id": a.city,
                "name": city_label(a.city),
                "year": a.year,
                "score": format_share(a.completeness, lang)
                if a.grading == "completeness"
                else format_points(a.score, lang),
                "level": level_name(framework, a.level, lang),
                "colour": level_colour(framework, a.level_rank),
                "cells": cells,
                "illustrative": _uses_illustrative(a),
            }
        )
    multiples = []
    for a in latest:
        chart, _ = category_chart(
            a, framework, lang, numbered=True, radius=70.0, label_room=40.0, font_size=10.0
        )
        multiples.append(
            {
                "id": a.city,
                "name": city_label(a.city),
                "year": a.year,
                "level": level_name(framework, a.level, lang),
                "chart": Markup(chart),
            }
        )
    scored_categories = [
        category_name(framework, c.category, lang) for c, _ in category_shares(latest[0])
    ]
    shapes = []
    without_boundary = []
    for a in latest:
        geometry = index[a.city].geometry()
        if geometry is None:
            without_boundary.append(city_label(a.city))
            continue
        shapes.append(
            svg.MapShape(
                geometry=geometry,
                fill=level_colour(framework, a.level_rank),
                label=city_label(a.city),
                marker=True,
            )
        )
    map_svg = (
        svg.boundary_map(
            shapes,
            width=640,
            height=480,
            title=message("section.portfolio_map", lang),
            north_label=message("map.north", lang),
            number_format=lambda v: format_number(v, lang),
        )
        if shapes
        else None
    )
    levels = framework.grading.levels
    colours = svg.level_colours(len(levels))
    counts = [0] * (len(levels) + 1)
    for a in latest:
        counts[a.level_rank] += 1
    level_labels = [message("level.none", lang)] + [level.name(lang) for level in levels]
    distribution = svg.bar_chart(
        level_labels,
        [float(c) for c in counts],
        value_labels=[str(c) for c in counts],
        colours=colours,
        title=message("section.distribution", lang),
    )
    city_count = len({a.city for a in assessments})
    return render_template(
        "portfolio.html",
        lang,
        title=message("report.portfolio_title", lang, framework=framework.name(lang)),
        subtitle=message(
            "report.portfolio_subtitle",
            lang,
            count=len(assessments),
            cities=city_count,
            key=framework.key,
        ),
        categories=categories,
        rows=rows,
        multiples=multiples,
        scored_categories=scored_categories,
        score_header=message(
            "summary.completeness"
            if framework.grading.method == "completeness"
            else "column.score",
            lang,
        ),
        radar_caption=message(f"radar.caption.{framework.grading.method}", lang),
        map=Markup(map_svg) if map_svg else None,
        without_boundary=", ".join(without_boundary),
        legend=[{"name": n, "colour": c} for n, c in zip(level_labels, colours, strict=True)],
        distribution=Markup(distribution),
        illustrative_count=sum(
            1
            for a in assessments
            for r in a.indicators
            if r.value is not None and is_illustrative(r.source)
        ),
    )


def _uses_illustrative(assessment: Assessment) -> bool:
    return any(r.value is not None and is_illustrative(r.source) for r in assessment.indicators)


__all__ = ["latest_by_city", "render_portfolio_report"]
