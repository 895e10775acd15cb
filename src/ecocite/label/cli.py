"""``ecocite label …``: check the decision log, re-derive an award, export the public log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ecocite.label.errors import LogFormatError
from ecocite.label.parallel import verify_file

app = typer.Typer(
    help="The eco-city label: verify decision logs, re-derive awards, export the public log.",
    no_args_is_help=True,
)
out = Console()
err = Console(stderr=True)
DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="the platform's data folder (default $ECOCITE_DATA_DIR); DATABASE_URL selects "
        "PostgreSQL",
    ),
]


def _open_platform(data_dir: Path | None) -> None:
    """Open the platform's store as the server finds it (Django is set up only here)."""
    from ecocite.web.bootstrap import PlatformError, open_platform

    try:
        open_platform(data_dir)
    except PlatformError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


def _report(result: Any, where: str) -> None:
    if result.ok:
        out.print(f"OK {result.count} entries, head {result.head}", highlight=False, soft_wrap=True)
        return
    b = result.broken
    assert b is not None
    seq = "" if b.seq is None else f" (seq {b.seq})"
    err.print(
        f"[red]BROKEN[/red] entry {b.index}{seq} of {where}: {b.reason}: {b.detail}",
        highlight=False,
        soft_wrap=True,
    )
    raise typer.Exit(1)


@app.command("verify")
def verify_command(
    log: Annotated[
        Path | None,
        typer.Argument(help="exported decision log (JSON Lines); none: the platform's database"),
    ] = None,
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
    data_dir: DataDir = None,
) -> None:
    """Re-check the hash chain of an exported decision log.

    Prints OK with the entry count and head hash, or the first broken entry (exit 1).
    Without a file, the platform's database is read (``ECOCITE_DATA_DIR`` / ``DATABASE_URL``,
    as the server finds it), its evidence files re-hashed and its head row used as anchor.
    """
    if log is None:
        _open_platform(data_dir)
        from ecocite.web.label.services import verify_database

        _report(verify_database(), "the platform's decision log")
        return
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
    _report(result, str(log))


@app.command("rederive")
def rederive_command(
    code: Annotated[str, typer.Argument(help="the certificate's verification code")],
    data_dir: DataDir = None,
) -> None:
    """Recompute the awarded assessment from its frozen inputs; exit 1 unless identical."""
    _open_platform(data_dir)
    from ecocite.web.label.services import rederive

    try:
        outcome = rederive(code.strip().upper())
    except LookupError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    if outcome.identical:
        out.print(f"IDENTICAL {code}: level {outcome.level or '-'}", highlight=False)
        return
    err.print(f"[red]DIFFERENT[/red] {code}: {outcome.detail}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


@app.command("export")
def export_command(
    target: Annotated[Path, typer.Argument(help="JSON Lines file to write (public view)")],
    data_dir: DataDir = None,
) -> None:
    """Export the platform's decision log as JSON Lines, public view (roles, no personal data)."""
    _open_platform(data_dir)
    from ecocite.label.log import write_jsonl
    from ecocite.web.label.services import log_entries

    count = write_jsonl(log_entries(public=True), target)
    out.print(f"{count} entries written to {target}", highlight=False, soft_wrap=True)


@app.command("notify")
def notify_command(data_dir: DataDir = None) -> None:
    """Send the deadline notices that are due (in the site and by e-mail), once each."""
    _open_platform(data_dir)
    from ecocite.web.label.services import send_deadline_notices

    count = send_deadline_notices()
    out.print(f"{count} notices sent", highlight=False)
