"""Two-tier k-means on the opinion map: base clusters, then groups chosen by silhouette.

Polis first summarises the participants' points by up to 100 *base clusters*, then clusters
the base-cluster centres (weighted by their members) into 2…5 *groups*, keeping the count with
the best silhouette. Every k-means is warm-started: from the previous update's centres, or the
first time from the first distinct points in data order — so results depend on nothing random.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree


def first_distinct(points: np.ndarray, k: int, *, exclude: np.ndarray | None = None) -> np.ndarray:
    """Return the first ``k`` distinct rows of ``points`` in data order, not in ``exclude``."""
    if len(points) == 0 or k <= 0:
        return np.empty((0, points.shape[1] if points.ndim == 2 else 2))
    _, first = np.unique(points, axis=0, return_index=True)
    rows = points[np.sort(first)]
    if exclude is not None and len(exclude):
        taken = {tuple(r) for r in exclude}
        rows = np.array([r for r in rows if tuple(r) not in taken]).reshape(-1, points.shape[1])
    return rows[:k]


def _assign(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of each point's nearest centre (ties: the lower index)."""
    if len(centres) <= 8:
        d = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        return np.argmin(d, axis=1)
    # a k-d tree over the centres: the map is 2-D, so this is far cheaper than n × k distances
    _, idx = cKDTree(centres).query(points, k=1)
    return np.asarray(idx, dtype=np.int64)


def kmeans(
    points: np.ndarray,
    init: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    max_iter: int = 100,
    tol: float = 0.01,
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's k-means from the given initial centres; empty clusters are dropped.

    Parameters
    ----------
    points
        n × d.
    init
        Initial centres, k × d.
    weights
        Weight of each point (default 1).
    max_iter
        Iteration cap (Polis: 100 for base clusters, 20 for groups).
    tol
        Converged when no centre moves more than ``tol`` (Polis ``same-clustering?``).

    Returns
    -------
    centres, labels
        Final centres (k' ≤ k) and each point's centre index.
    """
    w = np.ones(len(points)) if weights is None else np.asarray(weights, dtype=float)
    centres = np.array(init, dtype=float)
    if len(centres) > 8:
        return _kmeans_bounded(points, centres, w, max_iter, tol)
    labels = np.zeros(len(points), dtype=np.int64)
    for _ in range(max(max_iter, 1)):
        labels = _assign(points, centres)
        new, keep = _update(points, labels, w, len(centres))
        moved = len(new) != len(centres) or bool(
            np.any(np.linalg.norm(new - centres[keep], axis=1) > tol)
        )
        centres = new
        if not moved:
            break
    labels = _assign(points, centres)
    return centres, labels


def _update(
    points: np.ndarray, labels: np.ndarray, w: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted means of the clusters; ``keep`` marks the non-empty ones."""
    mass = np.bincount(labels, weights=w, minlength=k)
    sums = np.stack(
        [
            np.bincount(labels, weights=w * points[:, j], minlength=k)
            for j in range(points.shape[1])
        ],
        axis=1,
    )
    keep = mass > 0
    return sums[keep] / mass[keep, None], keep


def _kmeans_bounded(
    points: np.ndarray, centres: np.ndarray, w: np.ndarray, max_iter: int, tol: float
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's iterations with Hamerly's bounds: the same clustering, fewer distance queries.

    A point keeps its centre while (its distance to it, grown by that centre's moves) stays
    below (its distance to the second nearest, shrunk by the largest move): only the others
    are re-queried, in a k-d tree of the centres.
    """
    dist, idx = cKDTree(centres).query(points, k=2)
    labels, upper, lower = idx[:, 0].astype(np.int64), dist[:, 0], dist[:, 1]
    for _ in range(max(max_iter, 1)):
        new, keep = _update(points, labels, w, len(centres))
        if not keep.all():  # a centre lost all its points: renumber and re-query everyone
            centres = new
            dist, idx = cKDTree(centres).query(points, k=min(2, len(centres)))
            if dist.ndim == 1:
                return centres, np.zeros(len(points), dtype=np.int64)
            labels, upper, lower = idx[:, 0].astype(np.int64), dist[:, 0], dist[:, 1]
            continue
        move = np.linalg.norm(new - centres, axis=1)
        centres = new
        if not np.any(move > tol):
            break
        upper = upper + move[labels]
        lower = lower - move.max()
        need = np.flatnonzero(upper > lower)
        if len(need):
            dist, idx = cKDTree(centres).query(points[need], k=2)
            labels[need], upper[need], lower[need] = idx[:, 0], dist[:, 0], dist[:, 1]
    return centres, _assign(points, centres)


def inertia(
    points: np.ndarray, centres: np.ndarray, labels: np.ndarray, weights: np.ndarray
) -> float:
    """Weighted sum of squared distances of points to their centres."""
    return float((weights * ((points - centres[labels]) ** 2).sum(axis=1)).sum())


def plus_plus(
    points: np.ndarray, k: int, weights: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """k-means++ seeding (each new centre drawn ∝ weight × squared distance to the nearest)."""
    first = rng.choice(len(points), p=weights / weights.sum())
    centres = [points[first]]
    d2 = ((points - centres[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        mass = weights * d2
        if mass.sum() <= 0:
            break
        nxt = points[rng.choice(len(points), p=mass / mass.sum())]
        centres.append(nxt)
        d2 = np.minimum(d2, ((points - nxt) ** 2).sum(axis=1))
    return np.array(centres)


def base_clusters(
    points: np.ndarray,
    *,
    k: int = 100,
    previous: np.ndarray | None = None,
    max_iter: int = 100,
    tol: float = 0.01,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Compute the base clusters of the in-conversation participants' points.

    Starts from ``previous`` centres topped up with first distinct points, up to ``k``.

    Returns
    -------
    centres, labels, weights
        Centres, each point's base cluster, and each base cluster's member count.
    """
    init = previous if previous is not None else np.empty((0, points.shape[1]))
    init = init[:k]
    if len(init) < k:
        init = np.vstack([init, first_distinct(points, k - len(init), exclude=init)])
    centres, labels = kmeans(points, init, max_iter=max_iter, tol=tol)
    return centres, labels, np.bincount(labels, minlength=len(centres)).astype(float)


def max_groups(n_base: int, *, max_k: int = 5) -> int:
    """Largest group count tried: min(max_k, 2 + ⌊n_base / 12⌋) (Polis ``max-k-fn``)."""
    return min(max_k, 2 + n_base // 12, n_base)


def silhouette(
    points: np.ndarray, labels: np.ndarray, *, weights: np.ndarray | None = None
) -> float:
    """Mean silhouette coefficient of a clustering of ``points`` (weighted by ``weights``).

    For each point, a = mean distance to its own cluster (itself excluded), b = smallest mean
    distance to another cluster, s = (b − a) / max(a, b); a point alone in its cluster scores 0.
    Distances to members are weighted by the members' weights.
    """
    w = np.ones(len(points)) if weights is None else np.asarray(weights, dtype=float)
    groups = np.unique(labels)
    if len(groups) < 2:
        return -1.0
    dist = np.linalg.norm(points[:, None, :] - points[None, :, :], axis=2)
    member = (labels[None, :] == groups[:, None]).astype(float) * w[None, :]  # G × n
    mass = member.sum(axis=1)  # G
    sums = dist @ member.T  # n × G: weighted distance sums to each group
    own = np.searchsorted(groups, labels)
    idx = np.arange(len(points))
    own_mass = mass[own] - w  # the point itself is excluded from its own group
    a = np.divide(sums[idx, own], own_mass, out=np.zeros(len(points)), where=own_mass > 0)
    other = sums / mass[None, :]
    other[idx, own] = np.inf
    b = other.min(axis=1)
    s = np.where(own_mass > 0, (b - a) / np.maximum(np.maximum(a, b), 1e-300), 0.0)
    return float(np.average(s, weights=w))


@dataclass(frozen=True)
class GroupClustering:
    """One candidate group count: centres, base-cluster labels and its silhouette."""

    k: int
    centres: np.ndarray
    labels: np.ndarray
    silhouette: float


def group_clusterings(
    base_centres: np.ndarray,
    base_weights: np.ndarray,
    *,
    max_k: int = 5,
    previous: Mapping[int, np.ndarray] | None = None,
    max_iter: int = 20,
    tol: float = 0.01,
    weighted_silhouette: bool = False,
    n_init: int = 1,
    seed: int = 0,
) -> dict[int, GroupClustering]:
    """Weighted k-means of the base-cluster centres for every k in 2…max_groups(n_base).

    ``previous`` maps k to the previous update's group centres (warm start). Without a
    previous clustering for k, Polis starts from the first k distinct centres; with
    ``n_init`` > 1 EcoCité also tries ``n_init − 1`` k-means++ starts (seeded by ``seed``) and
    keeps the clustering of least inertia, so a one-shot analysis does not depend on data order.
    """
    out: dict[int, GroupClustering] = {}
    top = max_groups(len(base_centres), max_k=max_k)
    for k in range(2, top + 1):
        prev = (previous or {}).get(k)
        init = prev if prev is not None and len(prev) == k else None
        starts = [init] if init is not None else [first_distinct(base_centres, k)]
        if init is None and n_init > 1:
            rng = np.random.default_rng(seed + k)
            starts += [plus_plus(base_centres, k, base_weights, rng) for _ in range(n_init - 1)]
        best: tuple[float, np.ndarray, np.ndarray] | None = None
        for start in starts:
            if len(start) < 2:
                continue
            c, lab = kmeans(base_centres, start, weights=base_weights, max_iter=max_iter, tol=tol)
            cost = inertia(base_centres, c, lab, base_weights)
            if best is None or cost < best[0] - 1e-9:
                best = (cost, c, lab)
        if best is None:
            continue
        _, centres, labels = best
        if len(centres) < 2:
            continue
        score = silhouette(
            base_centres, labels, weights=base_weights if weighted_silhouette else None
        )
        out[len(centres)] = out.get(len(centres)) or GroupClustering(
            len(centres), centres, labels, score
        )
    return out


def best_k(clusterings: Mapping[int, GroupClustering]) -> int | None:
    """Return the group count with the highest silhouette (the smaller k on a tie)."""
    if not clusterings:
        return None
    return max(sorted(clusterings), key=lambda k: clusterings[k].silhouette)


@dataclass(frozen=True)
class KSmoothing:
    """The adopted group count and the challenger's winning streak (Polis ``group-k-buffer``)."""

    k: int | None = None
    challenger: int | None = None
    streak: int = 0


def smooth_k(state: KSmoothing, winner: int | None, *, buffer: int = 4) -> KSmoothing:
    """Adopt ``winner`` only once it has won ``buffer`` updates in a row (at once if none yet)."""
    if winner is None:
        return state
    if state.k is None or winner == state.k:
        return KSmoothing(winner, None, 0)
    streak = state.streak + 1 if winner == state.challenger else 1
    if streak >= buffer:
        return KSmoothing(winner, None, 0)
    return KSmoothing(state.k, winner, streak)
