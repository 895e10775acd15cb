"""Input errors that name the file, the row and the field, as the framework loader does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """One problem in one cell. ``row`` is the line number in the file (header line = 1)."""

    file: str
    row: int
    field: str
    problem: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        return f"{where}, field {self.field!r}: {self.problem}"


class OpinionInputError(ValueError):
    """Votes or an export that cannot be analysed; nothing was computed or written.

    ``errors`` lists every problem found (the message shows the first twenty).
    """

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        shown = [f"  - {e}" for e in self.errors[:20]]
        if len(self.errors) > 20:
            shown.append(f"  … and {len(self.errors) - 20} more")
        head = f"{len(self.errors)} problem(s) in the input; nothing was computed:"
        super().__init__("\n".join([head, *shown]))
