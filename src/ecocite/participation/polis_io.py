"""Read and write Polis's CSV exports: ``comments.csv``, ``votes.csv``, ``participants-votes.csv``.

EcoCité's conversations export in the same three formats, so Polis's tools (and red-dwarf)
read them, and EcoCité reads theirs. Every problem is reported with file, row and field;
nothing is returned from an export with a problem.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ecocite.cells import neutralise as _safe
from ecocite.participation.errors import OpinionInputError, RowError

COMMENTS = "comments.csv"
VOTES = "votes.csv"
PARTICIPANTS = "participants-votes.csv"
COMMENT_COLUMNS = (
    "timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated",
    "comment-body",
)  # fmt: skip
VOTE_COLUMNS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANT_COLUMNS = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
_REQUIRED = {
    COMMENTS: ("comment-id", "moderated", "comment-body"),
    VOTES: ("timestamp", "comment-id", "voter-id", "vote"),
    PARTICIPANTS: ("participant",),
}
_INT = re.compile(r"^-?\d+$")


@dataclass(frozen=True)
class Statement:
    """A statement of a conversation: id, text, author and moderation."""

    id: str
    text: str
    author: str = ""
    moderated: int = 0  # −1 moderated out, 0 unmoderated, 1 accepted
    timestamp: int = 0


@dataclass(frozen=True)
class PolisExport:
    """A conversation as exported: statements, the final vote table and, if present, the log.

    ``participants``/``statements``/``votes`` are parallel columns of the final votes (one per
    participant and statement, in ``participants-votes.csv`` row order); ``log_*`` the raw vote
    log of ``votes.csv`` sorted by time (empty when the export has none); ``polis_groups`` the
    ``group-id`` Polis gave each participant (absent when not grouped).
    """

    statements: tuple[Statement, ...]
    participants: tuple[str, ...]
    vote_participants: np.ndarray
    vote_statements: np.ndarray
    votes: np.ndarray
    polis_groups: dict[str, int] = field(default_factory=dict)
    log_timestamps: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    log_participants: np.ndarray = field(default_factory=lambda: np.empty(0, object))
    log_statements: np.ndarray = field(default_factory=lambda: np.empty(0, object))
    log_votes: np.ndarray = field(default_factory=lambda: np.empty(0, np.int8))

    @property
    def moderated_out(self) -> frozenset[str]:
        """Return the ids of the statements moderated out."""
        return frozenset(s.id for s in self.statements if s.moderated == -1)

    def text(self, statement: str) -> str:
        """Return a statement's text (its id when unknown)."""
        return next((s.text for s in self.statements if s.id == statement), statement)


def _read(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise OpinionInputError([RowError(str(path), 0, "(file)", "file not found")])
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise OpinionInputError(
            [RowError(str(path), 0, "(file)", f"not readable CSV: {exc}")]
        ) from None


def _missing_columns(path: Path, df: pd.DataFrame, name: str) -> list[RowError]:
    return [
        RowError(str(path), 1, col, "required column is missing")
        for col in _REQUIRED[name]
        if col not in df.columns
    ]


def _ints(path: Path, df: pd.DataFrame, col: str, *, allow_empty: bool = False) -> list[RowError]:
    values = df[col].str.strip()
    ok = values.str.match(_INT) | ((values == "") if allow_empty else False)
    return [
        RowError(str(path), int(i) + 2, col, f"{df[col].iat[int(i)]!r} is not a whole number")
        for i in np.flatnonzero(~ok.to_numpy())
    ]


def _vote_errors(path: Path, values: pd.Series, rows: np.ndarray, col: str) -> list[RowError]:
    bad = ~values.isin(["-1", "0", "1"]).to_numpy()
    return [
        RowError(str(path), int(rows[i]) + 2, col, f"vote {values.iat[int(i)]!r} is not -1, 0 or 1")
        for i in np.flatnonzero(bad)
    ]


def read_comments(path: Path) -> tuple[Statement, ...]:
    """Read the statements of a Polis ``comments.csv`` export; errors name file, row and field."""
    df = _read(path)
    errors = _missing_columns(path, df, COMMENTS)
    if errors:
        raise OpinionInputError(errors)
    errors += _ints(path, df, "comment-id")
    bad_mod = ~df["moderated"].str.strip().isin(["-1", "0", "1"]).to_numpy()
    errors += [
        RowError(
            str(path), int(i) + 2, "moderated", f"{df['moderated'].iat[int(i)]!r} is not -1, 0 or 1"
        )
        for i in np.flatnonzero(bad_mod)
    ]
    dup = df["comment-id"].str.strip().duplicated().to_numpy()
    errors += [
        RowError(
            str(path),
            int(i) + 2,
            "comment-id",
            f"statement {df['comment-id'].iat[int(i)]} repeated",
        )
        for i in np.flatnonzero(dup)
    ]
    if errors:
        raise OpinionInputError(errors)
    ts = df["timestamp"] if "timestamp" in df.columns else pd.Series(["0"] * len(df))
    author = df["author-id"] if "author-id" in df.columns else pd.Series([""] * len(df))
    out = [
        Statement(
            id=str(int(cid)),
            text=body,
            author=str(a),
            moderated=int(mod),
            timestamp=int(t) if _INT.match(str(t).strip()) else 0,
        )
        for cid, body, a, mod, t in zip(
            df["comment-id"], df["comment-body"], author, df["moderated"], ts, strict=True
        )
    ]
    return tuple(sorted(out, key=lambda s: int(s.id)))


def read_participants_votes(
    path: Path, known: set[str]
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    """Return the final vote table: participants, the (participant, statement, vote) triples, groups."""
    df = _read(path)
    errors = _missing_columns(path, df, PARTICIPANTS)
    if errors:
        raise OpinionInputError(errors)
    errors += _ints(path, df, "participant")
    vote_cols = [c for c in df.columns if _INT.match(c.strip())]
    other = [c for c in df.columns if c not in vote_cols]
    unknown = [c for c in vote_cols if str(int(c)) not in known]
    errors += [RowError(str(path), 1, c, f"statement {c} is not in {COMMENTS}") for c in unknown]
    if "group-id" in df.columns:
        errors += _ints(path, df, "group-id", allow_empty=True)
    if errors:
        raise OpinionInputError(errors)
    del other
    pids = tuple(str(int(p)) for p in df["participant"])
    cells = df[vote_cols].to_numpy(dtype=object)
    r, c = np.nonzero(cells != "")
    raw = pd.Series(cells[r, c].astype(str)).str.strip()
    bad = ~raw.isin(["-1", "0", "1"]).to_numpy()
    if bad.any():
        raise OpinionInputError(
            [
                RowError(
                    str(path),
                    int(r[i]) + 2,
                    vote_cols[c[i]],
                    f"vote {raw.iat[int(i)]!r} is not -1, 0 or 1",
                )
                for i in np.flatnonzero(bad)
            ]
        )
    groups: dict[str, int] = {}
    if "group-id" in df.columns:
        groups = {p: int(g) for p, g in zip(pids, df["group-id"], strict=True) if g.strip()}
    sids = np.array([str(int(x)) for x in vote_cols], dtype=object)
    return (
        pids,
        np.array(pids, dtype=object)[r],
        sids[c],
        raw.astype(np.int8).to_numpy(),
        groups,
    )


def read_vote_log(path: Path, known: set[str]) -> tuple[np.ndarray, ...]:
    """``votes.csv`` sorted by time: (timestamps, participants, statements, votes)."""
    df = _read(path)
    errors = _missing_columns(path, df, VOTES)
    if errors:
        raise OpinionInputError(errors)
    for col in ("timestamp", "comment-id", "voter-id"):
        errors += _ints(path, df, col)
    errors += _vote_errors(path, df["vote"].str.strip(), np.arange(len(df)), "vote")
    if errors:
        raise OpinionInputError(errors)
    cids = df["comment-id"].str.strip().astype(int).astype(str)
    unknown = np.flatnonzero(~cids.isin(known).to_numpy())
    if len(unknown):
        raise OpinionInputError(
            [
                RowError(
                    str(path),
                    int(i) + 2,
                    "comment-id",
                    f"statement {cids.iat[int(i)]} is not in {COMMENTS}",
                )
                for i in unknown
            ]
        )
    ts = df["timestamp"].astype(np.int64).to_numpy()
    order = np.argsort(ts, kind="stable")
    return (
        ts[order],
        df["voter-id"].str.strip().astype(int).astype(str).to_numpy(dtype=object)[order],
        cids.to_numpy(dtype=object)[order],
        df["vote"].astype(np.int8).to_numpy()[order],
    )


def read_export(folder: Path | str) -> PolisExport:
    """Read a Polis export folder; ``votes.csv`` is optional, the two others are required.

    Raises
    ------
    OpinionInputError
        Missing files or columns, votes outside {−1, 0, 1}, statement ids not in
        ``comments.csv``, or fewer than two participants or two statements.
    """
    folder = Path(folder)
    statements = read_comments(folder / COMMENTS)
    known = {s.id for s in statements}
    pids, vp, vs, vv, groups = read_participants_votes(folder / PARTICIPANTS, known)
    log: tuple[np.ndarray, ...] = ()
    if (folder / VOTES).is_file():
        log = read_vote_log(folder / VOTES, known)
    voters = set(vp.tolist())
    voted = set(vs.tolist())
    problems = []
    if len(voters) < 2:
        problems.append(
            RowError(
                str(folder / PARTICIPANTS),
                0,
                "participant",
                f"{len(voters)} participant(s) voted; an opinion map needs at least 2",
            )
        )
    if len(voted) < 2:
        problems.append(
            RowError(
                str(folder / PARTICIPANTS),
                0,
                "(vote columns)",
                f"{len(voted)} statement(s) received votes; an opinion map needs at least 2",
            )
        )
    if problems:
        raise OpinionInputError(problems)
    export = PolisExport(statements, pids, vp, vs, vv, groups)
    if log:
        export = PolisExport(statements, pids, vp, vs, vv, groups, *log)
    return export


def write_export(
    folder: Path | str,
    export: PolisExport,
    *,
    groups: Mapping[str, int] | None = None,
) -> None:
    """Write the three CSV files in Polis's formats; ``groups`` fills ``group-id``.

    ``agrees``/``disagrees`` and the participants' counts are recomputed from the final votes.
    Text that a spreadsheet would run as a formula (a statement starting with ``=``, ``+``,
    ``-`` or ``@``, in any text column or header) is defused with :mod:`ecocite.cells`, as in
    every other export.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    groups = export.polis_groups if groups is None else groups
    sids = [s.id for s in export.statements]
    col = {s: i for i, s in enumerate(sids)}
    row = {p: i for i, p in enumerate(export.participants)}
    table = np.full((len(export.participants), len(sids)), np.nan)
    table[[row[p] for p in export.vote_participants], [col[s] for s in export.vote_statements]] = (
        export.votes
    )
    agrees = (table == 1).sum(axis=0)
    disagrees = (table == -1).sum(axis=0)
    authored: dict[str, int] = {}
    for s in export.statements:
        authored[s.author] = authored.get(s.author, 0) + 1
    with open(folder / COMMENTS, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COMMENT_COLUMNS)
        for s in sorted(export.statements, key=lambda s: -s.timestamp):
            i = col[s.id]
            w.writerow(
                [
                    s.timestamp,
                    _when(s.timestamp),
                    _safe(s.id),
                    _safe(s.author),
                    int(agrees[i]),
                    int(disagrees[i]),
                    s.moderated,
                    _safe(s.text),
                ]
            )
    with open(folder / VOTES, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(VOTE_COLUMNS)
        for t, s, p, v in zip(
            export.log_timestamps,
            export.log_statements,
            export.log_participants,
            export.log_votes,
            strict=True,
        ):
            w.writerow([int(t), _when(int(t)), _safe(s), _safe(p), int(v)])
    with open(folder / PARTICIPANTS, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([*PARTICIPANT_COLUMNS, *(_safe(s) for s in sids)])
        for p, votes in zip(export.participants, table, strict=True):
            cells = ["" if np.isnan(v) else str(int(v)) for v in votes]
            g = groups.get(p)
            w.writerow(
                [
                    _safe(p),
                    "" if g is None else g,
                    authored.get(p, 0),
                    int((~np.isnan(votes)).sum()),
                    int((votes == 1).sum()),
                    int((votes == -1).sum()),
                    *cells,
                ]
            )


def _when(timestamp_ms: int) -> str:
    """Polis's ``datetime`` column, in UTC (``Tue Feb 13 05:58:16 UTC 2018``)."""
    ts = pd.Timestamp(int(timestamp_ms), unit="ms", tz="UTC")
    return ts.strftime("%a %b %d %H:%M:%S UTC %Y")


def export_from_votes(
    statements: Sequence[Statement],
    timestamps: Sequence[int],
    participants: Sequence[str],
    statement_ids: Sequence[str],
    votes: Sequence[int],
) -> PolisExport:
    """Build an export from a vote log (EcoCité's own conversations).

    Build an export from a vote log (EcoCité's own conversations): the final table keeps, for
    each participant and statement, the latest vote.
    """
    ts = np.asarray(timestamps, dtype=np.int64)
    order = np.argsort(ts, kind="stable")
    lp = np.asarray([str(p) for p in participants], dtype=object)[order]
    ls = np.asarray([str(s) for s in statement_ids], dtype=object)[order]
    lv = np.asarray(votes, dtype=np.int8)[order]
    latest: dict[tuple[str, str], int] = {}
    for p, s, v in zip(lp, ls, lv, strict=True):
        latest[(p, s)] = int(v)
    pids = tuple(sorted(set(lp.tolist()), key=lambda x: (len(x), x)))
    rank = {p: i for i, p in enumerate(pids)}
    keys = sorted(latest, key=lambda k: (rank[k[0]], k[1]))
    return PolisExport(
        tuple(statements),
        pids,
        np.array([k[0] for k in keys], dtype=object),
        np.array([k[1] for k in keys], dtype=object),
        np.array([latest[k] for k in keys], dtype=np.int8),
        {},
        ts[order],
        lp,
        ls,
        lv,
    )
