"""Template filters of the frameworks app: a framework key as people read it."""

from __future__ import annotations

from typing import Any

from django import template

from ecocite.web.core.languages import pick
from ecocite.web.frameworks.registry import framework_by_key

register = template.Library()


@register.filter
def framework_label(key: Any) -> str:
    """Return a framework key (``sino-french-ecocity@1.0.0``) as its name and version in the active language; the key itself when the framework is not known here."""
    try:
        framework = framework_by_key(str(key))
    except KeyError:
        return str(key)
    return f"{pick(framework.name)} {framework.version}"
