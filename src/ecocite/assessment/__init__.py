"""Scoring, label levels, gap analysis and comparisons over cities and years."""

from ecocite.assessment.compare import category_trend, compare, indicator_points, indicator_spread
from ecocite.assessment.engine import assess, assess_many
from ecocite.assessment.model import (
    Assessment,
    CategoryScore,
    GapAction,
    GapAnalysis,
    IndicatorResult,
    Reason,
)
from ecocite.assessment.standing import Coverage, counts_for_standing, coverage, latest_standing

__all__ = [
    "Assessment",
    "CategoryScore",
    "Coverage",
    "GapAction",
    "GapAnalysis",
    "IndicatorResult",
    "Reason",
    "assess",
    "assess_many",
    "category_trend",
    "compare",
    "counts_for_standing",
    "coverage",
    "indicator_points",
    "indicator_spread",
    "latest_standing",
]
