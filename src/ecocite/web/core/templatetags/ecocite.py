"""Template filters for the engines' three-language texts and framework rules."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ecocite.frameworks import Indicator
from ecocite.frameworks.schema import BandScoring
from ecocite.web.core.languages import pick

register = template.Library()


@register.filter
def tr(obj: Any, attribute: str = "name") -> str:
    """``obj.<attribute>``, a three-language Text, in the active language.

    Takes the owner rather than the Text itself: a Text is callable, and Django templates call
    callables with no argument (which would give the English fallback).
    """
    return pick(getattr(obj, attribute, None))


@register.filter
def kind_label(kind: Any) -> str:
    """Return an indicator kind in the active language."""
    labels = {
        "control": _("control item"),
        "scored": _("scored item"),
        "bonus": _("bonus item"),
        "measure": _("measured only"),
    }
    return labels.get(str(getattr(kind, "value", kind)), str(kind))


@register.filter
def status_label(status: str) -> str:
    """Return an indicator's status in an assessment, in the active language."""
    labels = {
        "scored": _("scored"),
        "passed": _("passed"),
        "failed": _("failed"),
        "measured": _("measured"),
        "missing": _("missing"),
        "insufficient_quality": _("insufficient quality"),
    }
    return labels.get(status, status)


def _n(value: float) -> str:
    return number_format(value, decimal_pos=None if value != int(value) else 0, use_l10n=True)


@register.filter
def rule_text(indicator: Indicator) -> str:
    """Describe the scoring rule in words, with localized numbers."""
    sign = "≥" if indicator.direction.value == "higher" else "≤"
    if indicator.requirement is not None:
        return f"{sign} {_n(indicator.requirement)}"
    scoring = indicator.scoring
    if isinstance(scoring, BandScoring):
        return "; ".join(f"{sign} {_n(b.threshold)} → {_n(b.points)}" for b in scoring.bands)
    if scoring is not None:
        return _("linear from %(worst)s to %(best)s") % {
            "worst": _n(scoring.worst),
            "best": _n(scoring.best),
        }
    return "—"
