"""Row-level validation errors of the carbon engine: the shared :class:`RowError` contract."""

from __future__ import annotations

from ecocite.data.contract import InputRejected, RowError

__all__ = ["RowError", "ValidationFailed"]


class ValidationFailed(InputRejected):
    """Input rejected as a whole: nothing was computed. ``errors`` lists every problem found."""

    summary = "problem(s) in the input; nothing was computed"
