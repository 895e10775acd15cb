"""``ecocite label …``: check a decision log from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ecocite.label.errors import LogFormatError
from ecocite.label.parallel import verify_file

app = typer.Typer(help="The eco-city label: verify decision logs.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


@app.command("verify")
def verify_command(
    log: Annotated[Path, typer.Argument(help="exported decision log (JSON Lines)")],
    evidence_dir: Annotated[
        Path | None,
        typer.Option("--evidence-dir", help="folder of evidence files, re-hashed and compared"),
    ] = None,
    head: Annotated[
        str | None, typer.Option("--head", help="expected head hash (detects cut-off rows)")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="processes for large logs (default: CPUs)")
    ] = None,
    count: Annotated[int | None, typer.Option("--count", help="expected number of entries")] = None,
) -> None:
    """Re-check the hash chain of an exported decision log.

    Prints OK with the entry count and head hash, or the first broken entry (exit 1).

    Reading the platform's database directly comes with the label web app; for now export
    the log as JSON Lines and verify the file.
    """
    if not log.is_file():
        err.print(f"[red]error:[/red] {log}: no such file", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if evidence_dir is not None and not evidence_dir.is_dir():
        err.print(
            f"[red]error:[/red] {evidence_dir}: no such folder", highlight=False, soft_wrap=True
        )
        raise typer.Exit(2)
    try:
        result = verify_file(
            log,
            evidence_dir=evidence_dir,
            expected_head=head,
            expected_count=count,
            workers=workers,
        )
    except LogFormatError as exc:
        err.print(f"[red]BROKEN[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    if result.ok:
        out.print(f"OK {result.count} entries, head {result.head}", highlight=False, soft_wrap=True)
        return
    b = result.broken
    assert b is not None
    seq = "" if b.seq is None else f" (seq {b.seq})"
    err.print(
        f"[red]BROKEN[/red] entry {b.index}{seq} of {log}: {b.reason}: {b.detail}",
        highlight=False,
        soft_wrap=True,
    )
    raise typer.Exit(1)
