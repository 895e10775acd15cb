"""Template filters of the assessments app (``{% load assessments %}``)."""

from __future__ import annotations

from django import template

from ecocite.web.assessments.forms import STAGE_LABELS

register = template.Library()


@register.filter
def stage_label(stage: str) -> str:
    """Return an assessment stage in the active language."""
    return str(STAGE_LABELS.get(stage, stage))  # type: ignore[call-overload]
