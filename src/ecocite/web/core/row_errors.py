"""Engine row errors in the reader's language, and the bounded shape the API answers with.

Engines describe a problem by message id + parameters (:class:`ecocite.data.RowError`); here the
English template of the id goes through the translation catalogue, so pages and API answers say
it in French, Chinese or English. Nothing here parses English text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from ecocite.data import MESSAGES, RowError

#: Row errors an API answer lists at most; ``error_count`` gives the total.
API_ERRORS_SHOWN = 500
#: Row errors a page lists at most (the count above the table gives the total).
PAGE_ERRORS_SHOWN = 500


@dataclass(frozen=True)
class ShownError:
    """One row of an error table as a person reads it, in the active language."""

    file: str
    row: int | None
    field: str
    message: str
    message_id: str


def localised(error: RowError) -> str:
    """Return the message of ``error`` in the active language (English if the id is not catalogued)."""
    template = MESSAGES.get(error.message_id)
    if template is None:
        return error.message
    try:
        return gettext(template) % dict(error.params)
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        return error.message


def shown_errors(errors: Iterable[RowError], limit: int = PAGE_ERRORS_SHOWN) -> list[ShownError]:
    """Return the first ``limit`` errors, each with its message in the active language."""
    out: list[ShownError] = []
    for error in errors:
        if len(out) >= limit:
            break
        out.append(
            ShownError(error.file, error.row, error.field, localised(error), error.message_id)
        )
    return out


def api_error_body(errors: Sequence[RowError], *, detail: str) -> dict[str, Any]:
    """Return a 422 answer: at most :data:`API_ERRORS_SHOWN` errors, the total, localised messages."""
    return {
        "detail": detail,
        "error_count": len(errors),
        "errors_truncated": len(errors) > API_ERRORS_SHOWN,
        "errors": [
            {**error.as_dict(), "message": localised(error)} for error in errors[:API_ERRORS_SHOWN]
        ],
    }
