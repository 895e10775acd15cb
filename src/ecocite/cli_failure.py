"""The one way every ``ecocite`` command fails: same exit codes, same message shape.

- exit code :data:`EXIT_REJECTED` (1): the input was rejected or the work could not be done;
- exit code :data:`EXIT_USAGE` (2): the options given do not make sense (as Click's own errors).

Messages go to standard error as ``error: <summary>``; rejected inputs then list one problem a
line (``  file, row N, field 'x': message``), at most :data:`ERRORS_SHOWN` unless ``--all-errors``
is given, with a count of the rest, so a file of 500,000 bad rows prints a screenful, not a flood.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

import typer

EXIT_REJECTED = 1
EXIT_USAGE = 2
ERRORS_SHOWN = 20

ALL_ERRORS_HELP = f"list every problem of a rejected file (default: the first {ERRORS_SHOWN})"


def failure_lines(problem: str | BaseException, *, all_errors: bool = False) -> list[str]:
    """Return the lines a command prints for ``problem``: a summary, then the problems it lists."""
    errors: Sequence[Any] | None = getattr(problem, "errors", None)
    if isinstance(problem, str) or not errors:
        text = str(problem).strip() or type(problem).__name__
        return [f"error: {text}"]
    files = sorted({str(getattr(e, "file", "")) for e in errors} - {""})
    where = f"{', '.join(files[:3])}: " if files else ""
    lines = [f"error: {where}{len(errors)} problem(s), nothing was kept"]
    shown = errors if all_errors else errors[:ERRORS_SHOWN]
    lines += [f"  {e}" for e in shown]
    if len(errors) > len(shown):
        lines.append(f"  … and {len(errors) - len(shown)} more (--all-errors lists every problem)")
    return lines


def fail(
    problem: str | BaseException, *, usage: bool = False, all_errors: bool = False
) -> NoReturn:
    """Print ``problem`` on standard error and stop the command with the project's exit code."""
    for line in failure_lines(problem, all_errors=all_errors):
        typer.echo(line, err=True)
    raise typer.Exit(EXIT_USAGE if usage else EXIT_REJECTED)
