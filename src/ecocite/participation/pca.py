"""Two principal components of the vote matrix, with Polis's imputation and projection.

Polis fills each unseen cell with its statement's mean vote, then centres every column on that
mean. A filled cell therefore centres to exactly zero: the centred matrix keeps the sparsity of
the votes, so the components come from sparse products and no dense matrix is ever built.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, eigsh


@dataclass(frozen=True)
class Components:
    """``center`` (mean vote per statement) and ``comps`` (n_components × statements)."""

    center: np.ndarray
    comps: np.ndarray


def statement_means(values: sp.csr_matrix, *, offset: float = 0.0) -> np.ndarray:
    """Mean vote of each statement over those who voted on it (0 where nobody did).

    ``offset`` is subtracted from the stored values first (2 for vote codes).
    """
    seen = np.bincount(values.indices, minlength=values.shape[1])
    total = np.bincount(values.indices, weights=values.data, minlength=values.shape[1])
    total = total - offset * seen
    return np.divide(total, seen, out=np.zeros(values.shape[1]), where=seen > 0)


def centred(values: sp.csr_matrix, center: np.ndarray, *, offset: float = 0.0) -> sp.csr_matrix:
    """Votes minus their statement's mean, on voted cells only (imputed cells centre to 0).

    ``offset`` is subtracted too (2 turns a :class:`VoteMatrix` code into its vote).
    """
    data = center[values.indices]  # one temporary, then in place
    data += offset
    np.subtract(values.data, data, out=data)
    return sp.csr_matrix((data, values.indices, values.indptr), shape=values.shape)


def principal_components(
    x: sp.csr_matrix,
    n_components: int = 2,
    *,
    start: np.ndarray | None = None,
    tol: float = 1e-6,
    warm_tol: float = 1e-5,
    warm_iter: int = 30,
    seed: int = 0,
) -> np.ndarray:
    """Return the leading right singular vectors of the centred matrix ``x`` (rows = components).

    Polis runs 100 power iterations warm-started from the previous components; this solves the
    same eigenproblem of ``xᵀx`` to convergence with ARPACK (warm-started from ``start`` when
    given), then orients each component like ``start`` or, first time, so that its largest
    entry is positive, so results are deterministic and stable across updates.

    Parameters
    ----------
    x
        Centred votes, participants × statements.
    n_components
        Number of components (Polis: 2).
    start
        Previous components, for the warm start and the orientation.
    tol
        ARPACK relative accuracy.
    warm_tol, warm_iter
        With ``start``, a block power iteration from it is tried first (fast after a small
        update) and kept if every component's residual ‖xᵀx v − λv‖ / λ falls below
        ``warm_tol`` within ``warm_iter`` iterations; otherwise ARPACK solves from scratch.
    seed
        Seeds the start vector when there is no ``start``.
    """
    n = x.shape[1]
    k = min(n_components, n)
    comps = np.zeros((n_components, n))
    if k == 0 or x.nnz == 0:
        return comps
    vecs = None
    if start is not None and start.shape[1] == n and np.all(np.any(start[:k], axis=1)):
        vecs = _subspace_iteration(x, start[:k], tol=warm_tol, max_iter=warm_iter, seed=seed)
    if vecs is not None:
        pass
    elif n <= k + 1 or n <= 64:
        dense = x.T @ x
        matrix = dense.toarray() if sp.issparse(dense) else np.asarray(dense)
        w, v = np.linalg.eigh(matrix)
        vecs = v[:, ::-1][:, :k].T
    else:
        xt = x.T.tocsr()

        def gram(v: np.ndarray) -> np.ndarray:
            return np.asarray(xt @ (x @ v))

        op = LinearOperator((n, n), matvec=gram, dtype=np.float64)
        if start is not None and start.shape[1] == n and np.any(start[0]):
            v0 = start[0] + 1e-3 * np.random.default_rng(seed).standard_normal(n)
        else:
            v0 = np.random.default_rng(seed).standard_normal(n)
        w, v = eigsh(op, k=k, which="LA", v0=v0, tol=tol)
        vecs = v[:, np.argsort(-w)].T
    for i, vec in enumerate(vecs):
        if start is not None and start.shape[1] == n and np.dot(start[i], vec) != 0:
            sign = np.sign(np.dot(start[i], vec))
        else:
            sign = np.sign(vec[np.argmax(np.abs(vec))]) or 1.0
        comps[i] = sign * vec
    return comps


def _subspace_iteration(
    x: sp.csr_matrix, start: np.ndarray, *, tol: float, max_iter: int, seed: int
) -> np.ndarray | None:
    """Block power iteration with Rayleigh–Ritz from ``start`` plus two random guard vectors.

    One product with xᵀx per iteration: with Y = xᵀx Q, the Ritz pairs come from QᵀY and their
    residuals from Y itself.
    """
    k, n = start.shape
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(np.vstack([start, rng.standard_normal((2, n))]).T)
    xt = x.T  # CSC view: no copy
    for _ in range(max_iter):
        y = np.asarray(xt @ (x @ q))
        w, u = np.linalg.eigh(q.T @ y)
        order = np.argsort(-w)
        w, u = w[order], u[:, order]
        if w[k - 1] <= 0:
            return None
        ritz, gy = q @ u, y @ u
        resid = gy[:, :k] - ritz[:, :k] * w[:k]
        if np.all(np.linalg.norm(resid, axis=0) <= tol * w[0]):
            return np.asarray(ritz[:, :k].T)
        q, _ = np.linalg.qr(gy)
    return None


def project_participants(
    x: sp.csr_matrix,
    comps: np.ndarray,
    *,
    n_statements: int | None = None,
    extra_votes: int = 0,
) -> np.ndarray:
    """Sparsity-aware projection of each participant (Polis ``sparsity-aware-project-ptpt``).

    Only the statements a person voted on enter the dot product; the point is then scaled by
    √(n_statements / n_votes) so that people who voted on few statements are not pulled to the
    centre by the imputed means.

    ``n_statements`` (default: columns of ``x``) and ``extra_votes`` (added to everyone's vote
    count) let moderated-out statements count as Polis counts them: as zeroed columns.

    Returns
    -------
    numpy.ndarray
        participants × n_components.
    """
    n = x.shape[1] if n_statements is None else n_statements
    n_votes = np.maximum(np.diff(x.indptr) + extra_votes, 1)
    scale = np.sqrt(n / n_votes)
    return np.asarray(x @ comps.T) * scale[:, None]


def project_statements(center: np.ndarray, comps: np.ndarray) -> np.ndarray:
    """Each statement as a person who agreed with it alone (Polis ``pca-project-cmnts``).

    Returns
    -------
    numpy.ndarray
        statements × n_components; its row norm is the statement's *extremity*.
    """
    n = len(center)
    return ((1.0 - center) * np.sqrt(n))[:, None] * comps.T
