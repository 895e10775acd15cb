"""`ecocite opinion …`: opinion maps of Polis-format conversations."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ecocite.participation.engine import OpinionState, analyse, replay
from ecocite.participation.errors import OpinionInputError
from ecocite.participation.polis_io import PolisExport, read_export, write_export

app = typer.Typer(
    help="Opinion maps (the Polis method): groups, representative and consensus statements.",
    no_args_is_help=True,
)
console = Console(stderr=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    # messages name files: no markup, no wrapping inside paths
    console.print(f"error: {message}", style="red", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code=code)


def run_analysis(
    export: PolisExport, *, replay_batch: int | None = None, seed: int = 0
) -> OpinionState:
    """One-shot analysis of the final vote table, or a replay of ``votes.csv`` in batches."""
    if replay_batch:
        state: OpinionState | None = None
        for state in replay(  # noqa: B007 — the last state is the result
            export.log_participants,
            export.log_statements,
            export.log_votes,
            batch_size=replay_batch,
            moderated_out=export.moderated_out,
            seed=seed,
        ):
            pass
        assert state is not None
        return state
    return analyse(
        export.vote_participants,
        export.vote_statements,
        export.votes,
        moderated_out=export.moderated_out,
        seed=seed,
    )


def result_json(state: OpinionState) -> dict[str, object]:
    """Return the result as plain JSON data (participant and statement ids as in the export)."""
    assert state.result is not None
    return state.result.model_dump(mode="json", exclude={"points"})


@app.command("analyse")
def analyse_command(
    export_dir: Annotated[
        Path, typer.Argument(help="folder with comments.csv and participants-votes.csv")
    ],
    fmt: Annotated[str, typer.Option("--format", help="json or html")] = "json",
    lang: Annotated[str, typer.Option("--lang", help="fr, zh or en (html)")] = "en",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="output file (html: required)")
    ] = None,
    replay_batch: Annotated[
        int | None,
        typer.Option("--replay", help="replay votes.csv in time order in batches of N votes"),
    ] = None,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write-export",
            help="also write the conversation with EcoCité's groups as a Polis export",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="seed (PCA start vector)")] = 0,
) -> None:
    """Analyse a Polis export: groups, representative statements, consensus and routing."""
    if fmt not in ("json", "html"):
        raise _fail(f"--format must be json or html, not {fmt!r}")
    if lang not in ("fr", "zh", "en"):
        raise _fail(f"--lang must be fr, zh or en, not {lang!r}")
    if fmt == "html" and out is None:
        raise _fail("--format html needs --out FILE")
    if replay_batch is not None and replay_batch < 1:
        raise _fail("--replay must be a positive number of votes")
    try:
        export = read_export(export_dir)
        if replay_batch and not len(export.log_votes):
            raise _fail(f"{export_dir / 'votes.csv'}: file not found (needed by --replay)")
        state = run_analysis(export, replay_batch=replay_batch, seed=seed)
    except OpinionInputError as exc:
        raise _fail(str(exc)) from None
    if write is not None:
        assert state.result is not None
        write_export(write, export, groups=state.result.groups)
    if fmt == "json":
        text = json.dumps(result_json(state), ensure_ascii=False)
        if out is None:
            sys.stdout.write(text + "\n")
        else:
            out.write_text(text + "\n", encoding="utf-8")
        return
    from ecocite.participation.report import render_report

    assert out is not None
    out.write_text(render_report(state, export, lang=lang), encoding="utf-8")
    console.print(f"wrote {out}", markup=False, highlight=False)
