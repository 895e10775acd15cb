"""Chain the steps: votes → matrix → PCA → base clusters → groups → repness, consensus, routing.

:func:`update` adds a batch of votes to an :class:`OpinionState` and recomputes warm-started
from the previous one, as Polis's math worker does after each poll of new votes: the PCA starts
from the previous components, the k-means from the previous centres, the group count changes
only after a new count wins ``group_k_buffer`` updates in a row, and a participant once taken
into the analysis stays in. :func:`analyse` is one update from nothing; :func:`replay` feeds a
vote log in time order in batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

try:
    from threadpoolctl import threadpool_limits
except ImportError:  # optional: without it BLAS keeps its own thread count
    threadpool_limits = None

from ecocite.participation import clusters as cl
from ecocite.participation import pca, repness
from ecocite.participation.matrix import VoteMatrix, in_conversation, vote_matrix
from ecocite.participation.model import (
    ConsensusStatement,
    DivisiveStatement,
    GroupAwareConsensus,
    OpinionResult,
    RepStatement,
)
from ecocite.participation.routing import routing_priority

Ids = Sequence[str] | np.ndarray  # participant or statement ids, one per vote


@dataclass(frozen=True)
class OpinionParams:
    """Polis's published parameters (defaults) and EcoCité's few additions.

    min_votes, min_participants: the in-conversation rule; n_components: PCA dimensions;
    base_k, base_iters: base clusters; max_groups, group_iters: groups; group_k_buffer: updates
    a new group count must win in a row; z: the 90 % one-sided test threshold; max_repness,
    max_consensus: statements kept per group / per direction; max_divisive,
    max_group_consensus: EcoCité's lists; weighted_silhouette: weight base clusters by members
    in the silhouette; n_init: group k-means starts tried when there is no previous
    clustering (1 = Polis: first distinct centres only; more adds seeded k-means++ starts,
    least inertia kept); zero_moderated: as Polis, a moderated-out statement
    counts as a pass of everyone in the projection's sparsity scaling (its column is zeroed,
    not dropped) and votes on it count towards the in-conversation rule; seed: PCA start
    vector.
    """

    min_votes: int = 7
    min_participants: int = 15
    n_components: int = 2
    base_k: int = 100
    base_iters: int = 100
    max_groups: int = 5
    group_iters: int = 20
    group_k_buffer: int = 4
    z: float = repness.Z_90
    max_repness: int = 5
    max_consensus: int = 5
    max_group_consensus: int = 5
    max_divisive: int = 5
    weighted_silhouette: bool = False
    zero_moderated: bool = True
    n_init: int = 1
    seed: int = 0


@dataclass(frozen=True)
class OpinionState:
    """Everything an update needs from the previous one; :attr:`result` is what users read."""

    params: OpinionParams = field(default_factory=OpinionParams)
    matrix: VoteMatrix | None = None
    moderated_out: frozenset[str] = frozenset()
    meta: frozenset[str] = frozenset()
    in_conv: np.ndarray | None = None  # over matrix rows
    comps: np.ndarray | None = None  # over matrix columns (0 on moderated-out statements)
    base_centres: np.ndarray | None = None
    group_centres: dict[int, np.ndarray] = field(default_factory=dict)
    smoothing: cl.KSmoothing = field(default_factory=cl.KSmoothing)
    result: OpinionResult | None = None
    labels: np.ndarray | None = None  # group per matrix row, −1 outside the analysis
    projection: np.ndarray | None = None  # opinion-map point per matrix row


def empty_state(
    *, moderated_out: Iterable[str] = (), meta: Iterable[str] = (), **params: object
) -> OpinionState:
    """Start a conversation with no votes yet; ``params`` override :class:`OpinionParams` fields."""
    return OpinionState(
        params=OpinionParams(**params),  # type: ignore[arg-type]
        moderated_out=frozenset(str(s) for s in moderated_out),
        meta=frozenset(str(s) for s in meta),
    )


def update(
    state: OpinionState,
    participants: Ids,
    statements: Ids,
    votes: Sequence[int] | np.ndarray,
    *,
    moderated_out: Iterable[str] | None = None,
) -> OpinionState:
    """Add a batch of votes (parallel columns, in time order) and recompute, warm-started.

    ``moderated_out`` replaces the set of statements moderated out, when given.
    """
    matrix = vote_matrix(participants, statements, votes, base=state.matrix)
    mod = state.moderated_out if moderated_out is None else frozenset(map(str, moderated_out))
    return _recompute(replace(state, matrix=matrix, moderated_out=mod))


def analyse(
    participants: Ids,
    statements: Ids,
    votes: Sequence[int] | np.ndarray,
    *,
    moderated_out: Iterable[str] = (),
    meta: Iterable[str] = (),
    **params: object,
) -> OpinionState:
    """One-shot analysis of a whole vote table (one update from an empty conversation)."""
    state = empty_state(moderated_out=moderated_out, meta=meta, **params)
    return update(state, participants, statements, votes)


def replay(
    participants: Ids,
    statements: Ids,
    votes: Sequence[int] | np.ndarray,
    *,
    batch_size: int = 500,
    moderated_out: Iterable[str] = (),
    meta: Iterable[str] = (),
    **params: object,
) -> Iterator[OpinionState]:
    """Feed a vote log in batches, as Polis's math worker saw it.

    Feed a vote log (already in time order) in batches of ``batch_size`` votes, as Polis's
    math worker saw it; yields the state after each batch (the last one is the final map).
    """
    state = empty_state(moderated_out=moderated_out, meta=meta, **params)
    pids, sids, vals = list(participants), list(statements), np.asarray(votes)
    for start in range(0, len(vals), batch_size):
        stop = start + batch_size
        state = update(state, pids[start:stop], sids[start:stop], vals[start:stop])
        yield state


def _pad(a: np.ndarray | None, n: int, axis: int) -> np.ndarray | None:
    if a is None:
        return None
    pad = [(0, 0)] * a.ndim
    pad[axis] = (0, n - a.shape[axis])
    return np.pad(a, pad)


def _recompute(state: OpinionState) -> OpinionState:
    # The dense algebra here is on small blocks (statements × 4, 100 × 100): one BLAS thread is
    # faster, and several threads spinning on a busy shared machine are many times slower.
    if threadpool_limits is None:
        return _recompute_steps(state)
    with threadpool_limits(limits=1, user_api="blas"):
        return _recompute_steps(state)


def _recompute_steps(state: OpinionState) -> OpinionState:
    p = state.params
    full = state.matrix
    assert full is not None
    n_rows, n_cols = full.shape
    active = np.array([s not in state.moderated_out for s in full.statements], dtype=bool)
    m = full if active.all() else full.keep_statements(active)
    counts = (full if p.zero_moderated else m).votes_per_participant()
    previous_in = state.in_conv
    in_conv = in_conversation(
        counts,
        (full if p.zero_moderated else m).shape[1],
        min_votes=p.min_votes,
        min_participants=p.min_participants,
        previous=previous_in,
    )
    center = pca.statement_means(m.codes, offset=2.0)
    x = pca.centred(m.codes, center, offset=2.0)
    start_full = _pad(state.comps, n_cols, axis=1)
    start = start_full[:, active] if start_full is not None else None
    comps = pca.principal_components(x, p.n_components, start=start, seed=p.seed)
    comps_full = np.zeros((p.n_components, n_cols))
    comps_full[:, active] = comps
    if p.zero_moderated:
        n_out = int((~active).sum())
        proj = pca.project_participants(x, comps, n_statements=n_cols, extra_votes=n_out)
    else:
        proj = pca.project_participants(x, comps)

    rows_in = np.flatnonzero(in_conv)
    labels = np.full(n_rows, -1, dtype=np.int64)
    base_centres = state.base_centres
    group_centres = dict(state.group_centres)
    smoothing = state.smoothing
    silhouettes: dict[int, float] = {}
    n_groups = 0
    if len(rows_in) >= 2:
        points = proj[rows_in]
        base_centres, base_labels, weights = cl.base_clusters(
            points, k=p.base_k, previous=base_centres, max_iter=p.base_iters
        )
        clusterings = cl.group_clusterings(
            base_centres,
            weights,
            max_k=p.max_groups,
            previous=group_centres,
            max_iter=p.group_iters,
            weighted_silhouette=p.weighted_silhouette,
            n_init=p.n_init,
            seed=p.seed,
        )
        group_centres = {k: c.centres for k, c in clusterings.items()}
        silhouettes = {k: c.silhouette for k, c in clusterings.items()}
        smoothing = cl.smooth_k(smoothing, cl.best_k(clusterings), buffer=p.group_k_buffer)
        k = smoothing.k if smoothing.k in clusterings else cl.best_k(clusterings)
        if k is not None:
            chosen = clusterings[k]
            member_labels = chosen.labels[base_labels]
            sizes = np.bincount(member_labels, minlength=k)
            # group 0 = largest; ties by the centre's first coordinate, then second
            order = np.lexsort((chosen.centres[:, 1], chosen.centres[:, 0], -sizes))
            rank = np.empty(k, dtype=np.int64)
            rank[order] = np.arange(k)
            labels[rows_in] = rank[member_labels]
            n_groups = k
    result = _summarise(state, m, labels, n_groups, proj, center, comps, silhouettes, rows_in)
    return replace(
        state,
        in_conv=in_conv,
        comps=comps_full,
        base_centres=base_centres,
        group_centres=group_centres,
        smoothing=smoothing,
        result=result,
        labels=labels,
        projection=proj,
    )


def _summarise(
    state: OpinionState,
    m: VoteMatrix,
    labels: np.ndarray,
    n_groups: int,
    proj: np.ndarray,
    center: np.ndarray,
    comps: np.ndarray,
    silhouettes: dict[int, float],
    rows_in: np.ndarray,
) -> OpinionResult:
    p = state.params
    sids = m.statements
    na, nd, ns = repness.group_counts(m.codes, labels, n_groups)
    stats = repness.repness_stats(na, nd, ns)

    def shares(a: np.ndarray, d: np.ndarray, s: np.ndarray) -> tuple[float, float]:
        return (float(a / s), float(d / s)) if s else (0.0, 0.0)

    rep: dict[int, list[RepStatement]] = {}
    for g in range(n_groups):
        rep[g] = [
            RepStatement(
                statement=sids[r.statement],
                direction=r.direction,
                metric=r.metric,
                share=r.share,
                test=r.test,
                ratio=r.ratio,
                ratio_test=r.ratio_test,
                agree_share=shares(na[g, r.statement], nd[g, r.statement], ns[g, r.statement])[0],
                disagree_share=shares(na[g, r.statement], nd[g, r.statement], ns[g, r.statement])[
                    1
                ],
                n_votes=r.n_seen,
            )
            for r in repness.representative(stats, g, max_n=p.max_repness, z=p.z)
        ]
    # consensus over everyone in the analysis, groups ignored
    if n_groups:
        ta, td, ts = na.sum(axis=0), nd.sum(axis=0), ns.sum(axis=0)
    else:
        in_labels = np.full(len(labels), -1, dtype=np.int64)
        in_labels[rows_in] = 0
        ta, td, ts = (a[0] for a in repness.group_counts(m.codes, in_labels, 1))
    consensus = [
        ConsensusStatement(
            statement=sids[c.statement],
            direction=c.direction,
            share=c.share,
            test=c.test,
            agree_share=shares(ta[c.statement], td[c.statement], ts[c.statement])[0],
            disagree_share=shares(ta[c.statement], td[c.statement], ts[c.statement])[1],
            n_votes=c.n_seen,
        )
        for c in repness.consensus(ta, td, ts, max_n=p.max_consensus, z=p.z)
    ]
    gac: list[GroupAwareConsensus] = []
    divisive: list[DivisiveStatement] = []
    if n_groups:
        agree_gac = repness.group_aware_consensus(na, ns)
        disagree_gac = repness.group_aware_consensus(nd, ns)
        top = np.lexsort((np.arange(len(sids)), -agree_gac))[: p.max_group_consensus]
        gac = [
            GroupAwareConsensus(
                statement=sids[c], agree=float(agree_gac[c]), disagree=float(disagree_gac[c])
            )
            for c in top
        ]
    if n_groups >= 2:
        div = repness.divisiveness(na, nd, ns)
        top = np.lexsort((np.arange(len(sids)), -div))[: p.max_divisive]
        divisive = [
            DivisiveStatement(
                statement=sids[c],
                divisiveness=float(div[c]),
                agree_shares=[float(v) for v in (na[:, c] / np.maximum(ns[:, c], 1))],
            )
            for c in top
        ]
    # routing counts everyone's votes, in the analysis or not
    n_s = len(sids)
    key = m.codes.indices.astype(np.int64)  # (statement, code − 1), built in place
    key *= 3
    np.add(key, m.codes.data, out=key, casting="unsafe")
    key -= 1
    by_code = np.bincount(key, minlength=3 * n_s).reshape(n_s, 3)
    ed, ea, es = by_code[:, 0], by_code[:, 2], by_code.sum(axis=1)
    extremity = np.linalg.norm(pca.project_statements(center, comps), axis=1)
    meta = np.array([s in state.meta for s in sids], dtype=bool)
    priority = routing_priority(ea, es - ea - ed, es, extremity, meta=meta)
    pids = np.asarray(m.participants, dtype=object)
    grouped = np.flatnonzero(labels >= 0)
    return OpinionResult.model_construct(
        participants=len(pids),
        statements=len(sids),
        votes=int(m.codes.nnz),
        groups=dict(zip(pids[grouped].tolist(), labels[grouped].tolist(), strict=True)),
        group_sizes=[int(v) for v in np.bincount(labels[labels >= 0], minlength=n_groups)],
        silhouettes={int(k): float(v) for k, v in silhouettes.items()},
        points=dict(
            zip(pids[rows_in].tolist(), map(tuple, proj[rows_in, :2].tolist()), strict=True)
        )
        if proj.shape[1] >= 2
        else {},
        repness=rep,
        consensus=consensus,
        group_aware_consensus=gac,
        divisive=divisive,
        routing=dict(zip(sids, priority.tolist(), strict=True)),
    )
