"""Resolve any object to the scope its permissions are decided in: a city, a process, a programme.

Roles are held for a scope (a city today; a consultation process, a label programme or a
workshop as those apps arrive), and a question is asked about an object (a dataset, an
assessment, a comment …). :func:`scope_of` walks from the object to the scope by the foreign
key named after the scope kind, so predicates never hard-code how each model reaches its city.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# How deep to follow ``obj.<kind>`` / ``obj.content_object`` / ``obj.scope_parent`` links.
MAX_DEPTH = 4


def _model_name(obj: Any) -> str | None:
    meta = getattr(obj, "_meta", None)
    return getattr(meta, "model_name", None)


def scope_chain(obj: Any) -> Iterator[Any]:
    """``obj``, then the object it hangs on, and so on upwards.

    The parent of an object is its ``content_object`` (an object hung on another by a generic
    relation, e.g. a comment on a proposal) or its ``scope_parent`` (a model's explicit parent,
    e.g. a workshop's process), followed at most :data:`MAX_DEPTH` times.
    """
    for _ in range(MAX_DEPTH):
        if obj is None:
            return
        yield obj
        obj = getattr(obj, "content_object", None) or getattr(obj, "scope_parent", None)


def scope_of(obj: Any, kind: str) -> Any | None:
    """Return the object of model ``kind`` (``"city"``, ``"process"`` …) that ``obj`` is in.

    Parameters
    ----------
    obj
        A model instance (or ``None``).
    kind
        The lower-case model name of the scope.

    Returns
    -------
    Any
        The scope instance (``obj`` itself if it is one), or ``None`` if ``obj`` is in no such
        scope.

    Notes
    -----
    Along :func:`scope_chain`, an object is the scope if its model is ``kind``, or leads to it
    by the attribute named ``kind`` (a foreign key such as ``dataset.city``).
    """
    for link in scope_chain(obj):
        if _model_name(link) == kind:
            return link
        direct = getattr(link, kind, None)
        if direct is not None and _model_name(direct) == kind:
            return direct
    return None
