"""Row-level validation errors: file, row, field, what was found and what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """One problem in one cell. ``row`` is the line number in the file (header line = 1)."""

    file: str
    row: int
    field: str
    problem: str
    expected: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, field {self.field!r}: {self.problem} (expected {self.expected})"


class ValidationFailed(ValueError):
    """Input rejected as a whole: nothing was computed. ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = list(errors)
        head = f"{len(self.errors)} problem(s) in the input; nothing was computed:"
        super().__init__("\n".join([head, *(f"  - {e}" for e in self.errors)]))
