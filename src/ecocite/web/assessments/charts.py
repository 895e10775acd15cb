"""The web's charts, drawn by the report engine (``ecocite.reports``): one chart code for both.

This module only picks the data and the page language; every line of SVG comes from
``ecocite.reports.svg`` so a page and a report of the same assessment show the same chart.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ecocite.assessment import Assessment
from ecocite.frameworks import Framework
from ecocite.reports import svg
from ecocite.reports.messages import format_number
from ecocite.reports.render import category_chart
from ecocite.web.core.languages import engine_lang


def category_radar(result: Assessment, framework: Framework) -> SafeString:
    """Draw the report's category chart in the page language.

    Draw the report's category chart in the page language: a radar of the categories that have
    points (bars when fewer than three do), labels wrapped, never cut.
    """
    chart, _is_bars = category_chart(result, framework, engine_lang())
    return mark_safe(chart)  # built by ecocite.reports.svg, which escapes every text


def score_trend(points: Sequence[tuple[int, float]], *, scale: float = 100.0) -> SafeString:
    """Score over the years as a line chart (empty below two years); ``scale`` is the top."""
    if len(points) < 2:
        return mark_safe("")
    lang = engine_lang()
    years = [year for year, _score in points]
    top = max(scale, *(score for _year, score in points))
    chart = svg.line_chart(
        years,
        [(_("Score"), [score for _year, score in points])],
        title=_("Score over the years"),
        top=top,
        tick_format=lambda v: format_number(v, lang, decimals=0),
    )
    return mark_safe(chart)  # built by ecocite.reports.svg, which escapes every text
