"""Typed errors of the label engine."""

from __future__ import annotations


class LabelError(ValueError):
    """Base class of every label-engine error."""


class LogFormatError(LabelError):
    """A decision-log file cannot be read: names the file, the line and the field."""

    def __init__(self, file: str, line: int, field: str, problem: str) -> None:
        self.file, self.line, self.field, self.problem = file, line, field, problem
        super().__init__(f"{file}, line {line}, field {field!r}: {problem}")


class ChainBroken(LabelError):
    """Entries given to a :class:`~ecocite.label.log.DecisionLog` do not verify."""

    def __init__(self, index: int, reason: str, detail: str) -> None:
        self.index, self.reason = index, reason
        super().__init__(f"decision log broken at entry {index}: {reason} ({detail})")


class CanonicalJSONError(LabelError):
    """A value cannot be written as canonical JSON (NaN, infinity, or an unsupported type)."""


class TransitionRefused(LabelError):
    """A stage transition was refused; ``reasons`` are message ids with parameters."""

    def __init__(self, reasons: list) -> None:  # list[Missing]; avoids an import cycle
        self.reasons = list(reasons)
        super().__init__("; ".join(f"{r.message_id} {r.params}" for r in self.reasons))
