"""The vote matrix: participants × statements, agree = 1, disagree = −1, pass = 0, unseen = empty.

Votes follow the sign of Polis's exports (agree = 1); Polis's math uses the opposite sign
internally, which changes no group, share or test. The matrix is sparse: a stored *code*
``vote + 2`` (1, 2 or 3) keeps a pass distinct from "not seen" (a sparse zero).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ecocite.participation.errors import OpinionInputError, RowError

AGREE, PASS, DISAGREE = 1, 0, -1
VOTES = (DISAGREE, PASS, AGREE)


@dataclass(frozen=True)
class VoteMatrix:
    """Votes of ``participants`` (rows) on ``statements`` (columns), the latest vote kept.

    ``codes`` is a CSR matrix holding ``vote + 2`` for every vote cast; use :attr:`values` and
    :attr:`seen` rather than the codes.
    """

    participants: tuple[str, ...]
    statements: tuple[str, ...]
    codes: sp.csr_matrix

    @property
    def shape(self) -> tuple[int, int]:
        """Return the shape (participants, statements)."""
        return len(self.participants), len(self.statements)

    @property
    def seen(self) -> sp.csr_matrix:
        """1 where the participant voted (agree, disagree or pass)."""
        out = self.codes.copy()
        out.data = np.ones_like(out.data)
        return out

    @property
    def values(self) -> sp.csr_matrix:
        """The votes (passes stored as explicit zeros)."""
        out = self.codes.copy()
        out.data = out.data - 2.0
        return out

    def votes_per_participant(self) -> np.ndarray:
        """Return the number of votes of each participant."""
        return np.diff(self.codes.indptr)

    def dense(self) -> np.ndarray:
        """Votes as a float array with NaN for unseen (small matrices only: tests, reports)."""
        out = np.full(self.shape, np.nan)
        coo = self.codes.tocoo()
        out[coo.row, coo.col] = coo.data - 2.0
        return out

    def keep_statements(self, keep: np.ndarray) -> VoteMatrix:
        """Return the same votes restricted to the statements where ``keep`` is true."""
        cols = np.flatnonzero(keep)
        return VoteMatrix(
            self.participants,
            tuple(self.statements[i] for i in cols),
            self.codes[:, cols].tocsr(),
        )


def _codes(
    rows: np.ndarray, cols: np.ndarray, votes: np.ndarray, shape: tuple[int, int]
) -> sp.csr_matrix:
    """CSR codes from triples in order; for a repeated (row, col) the last vote wins."""
    if len(rows):
        key = rows.astype(np.int64) * shape[1] + cols
        # keep the last occurrence of each key: unique on the reversed arrays
        _, first_rev = np.unique(key[::-1], return_index=True)
        last = len(key) - 1 - first_rev
        rows, cols, votes = rows[last], cols[last], votes[last]
    return sp.csr_matrix(
        (votes.astype(np.float64) + 2.0, (rows, cols)), shape=shape, dtype=np.float64
    )


def _index(
    ids: Sequence[object] | np.ndarray, known: dict[str, int], order: list[str]
) -> np.ndarray:
    """Row (column) of each id; new ids are appended in order of first appearance."""
    codes, uniques = pd.factorize(np.asarray(ids, dtype=object))
    where = np.empty(len(uniques), dtype=np.int64)
    for i, key in enumerate(map(str, uniques)):
        j = known.get(key)
        if j is None:
            j = known[key] = len(order)
            order.append(key)
        where[i] = j
    return where[codes]


def check_votes(votes: np.ndarray, *, file: str = "votes", field: str = "vote") -> None:
    """Raise :class:`OpinionInputError` naming each row whose vote is not −1, 0 or 1."""
    bad = np.flatnonzero(~np.isin(votes, VOTES))
    if len(bad):
        raise OpinionInputError(
            [RowError(file, int(i) + 2, field, f"vote {votes[i]!r} is not -1, 0 or 1") for i in bad]
        )


def vote_matrix(
    participants: Sequence[str] | Iterable[str],
    statements: Sequence[str] | Iterable[str],
    votes: Sequence[int] | np.ndarray,
    *,
    base: VoteMatrix | None = None,
) -> VoteMatrix:
    """Build (or extend ``base`` with) the vote matrix from parallel columns in time order.

    Parameters
    ----------
    participants, statements, votes
        One entry per vote: who voted, on which statement, and −1 / 0 / 1. Ids are kept as
        strings (``str(id)``); a later vote by the same participant on the same statement replaces the earlier one.
    base
        A previous matrix: its rows and columns keep their positions, new ids are appended.

    Returns
    -------
    VoteMatrix
    """
    pids = participants if isinstance(participants, np.ndarray) else list(participants)
    sids = statements if isinstance(statements, np.ndarray) else list(statements)
    vals = np.asarray(votes)
    if not (len(pids) == len(sids) == len(vals)):
        raise ValueError("participants, statements and votes must have the same length")
    check_votes(vals)
    p_order = list(base.participants) if base else []
    s_order = list(base.statements) if base else []
    p_known = {p: i for i, p in enumerate(p_order)}
    s_known = {s: i for i, s in enumerate(s_order)}
    rows = _index(pids, p_known, p_order)
    cols = _index(sids, s_known, s_order)
    shape = (len(p_order), len(s_order))
    new = _codes(rows, cols, vals.astype(np.int8), shape)
    if base is None:
        return VoteMatrix(tuple(p_order), tuple(s_order), new)
    return VoteMatrix(tuple(p_order), tuple(s_order), _merge(base.codes, new, shape))


def _merge(old: sp.csr_matrix, new: sp.csr_matrix, shape: tuple[int, int]) -> sp.csr_matrix:
    """Cells of ``new`` overwrite or join those of ``old`` (which is left unchanged).

    A batch is small next to the matrix: each new cell is located in its row by binary search,
    existing cells are overwritten and the others inserted in one pass over the arrays, instead
    of the three whole-matrix passes of sparse arithmetic.
    """
    if not old.has_sorted_indices:
        old = old.sorted_indices()
    indptr = np.concatenate(
        [old.indptr, np.full(shape[0] - old.shape[0], old.indptr[-1], dtype=old.indptr.dtype)]
    )
    new = new.tocoo()
    rows, cols, vals = new.row.astype(np.int64), new.col.astype(np.int64), new.data
    starts, ends = indptr[rows], indptr[rows + 1]
    pos = np.empty(len(rows), dtype=np.int64)
    for i, (a, b, c) in enumerate(zip(starts.tolist(), ends.tolist(), cols.tolist(), strict=True)):
        pos[i] = a + int(np.searchsorted(old.indices[a:b], c))
    if len(old.indices):
        found = (pos < ends) & (old.indices[np.minimum(pos, len(old.indices) - 1)] == cols)
    else:
        found = np.zeros(len(rows), dtype=bool)
    data = old.data.copy()
    data[pos[found]] = vals[found]
    add = ~found
    if add.any():
        order = np.lexsort((cols[add], rows[add], pos[add]))  # rows: empty ones share a pos
        at, ins_cols, ins_vals = pos[add][order], cols[add][order], vals[add][order]
        indices = np.insert(old.indices, at, ins_cols.astype(old.indices.dtype))
        data = np.insert(data, at, ins_vals)
        per_row = np.bincount(rows[add], minlength=shape[0])
        indptr = indptr.astype(np.int64) + np.concatenate([[0], np.cumsum(per_row)])
    else:
        indices = old.indices.copy()
    merged = sp.csr_matrix((data, indices, indptr), shape=shape)
    merged.has_sorted_indices = True
    return merged


def in_conversation(
    votes_per_participant: np.ndarray,
    n_statements: int,
    *,
    min_votes: int = 7,
    min_participants: int = 15,
    previous: np.ndarray | None = None,
) -> np.ndarray:
    """Who is taken into the groups (Polis's "in-conv" rule).

    A participant is in with at least ``min(min_votes, n_statements)`` votes; while fewer than
    ``min_participants`` are in, the greatest voters (ties by row order) are added up to
    ``min_participants``; a participant once in (``previous``) stays in.

    Parameters
    ----------
    votes_per_participant
        Number of votes of each participant (row order).
    n_statements
        Statements in the conversation.
    previous
        Boolean mask of the previous update (may be shorter: new participants are appended).

    Returns
    -------
    numpy.ndarray
        Boolean mask over participants.
    """
    counts = np.asarray(votes_per_participant)
    mask = counts >= min(min_votes, n_statements)
    if previous is not None and len(previous):
        mask[: len(previous)] |= previous
    missing = min_participants - int(mask.sum())
    if missing > 0:
        candidates = np.flatnonzero(~mask & (counts > 0))
        order = candidates[np.argsort(-counts[candidates], kind="stable")]
        mask[order[:missing]] = True
    return mask
