"""Template tags: the closed workshops of a process, for its timeline and accountability page."""

from __future__ import annotations

from typing import Any

from django import template

from ecocite.web.workshops.models import Workshop

register = template.Library()


@register.simple_tag
def closed_workshops(process: Any) -> list[Workshop]:
    """Return the process's closed workshops, oldest first, with their outcomes' count."""
    return list(
        Workshop.objects.filter(process=process)
        .exclude(closed_at=None)
        .order_by("starts_at")
        .prefetch_related("outcomes")
    )
