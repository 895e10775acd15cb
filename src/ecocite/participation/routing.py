"""Which statement to show next: Polis's routing priority (``importance-metric``)."""

from __future__ import annotations

import numpy as np

META_PRIORITY = 49.0  # 7²: meta statements ("I am a resident") are always shown early


def routing_priority(
    n_agree: np.ndarray,
    n_pass: np.ndarray,
    n_seen: np.ndarray,
    extremity: np.ndarray,
    *,
    meta: np.ndarray | None = None,
) -> np.ndarray:
    """Priority of each statement; the next one is drawn with probability ∝ priority.

    importance = (1 − p)(E + 1)·a with p = (P + 1)/(S + 2) the pass share, a = (A + 1)/(S + 2)
    the agree share and E the statement's extremity on the opinion map;
    priority = (importance · (1 + 8 · 2^(−S/5)))², so that new statements (small S) are shown
    first; meta statements get 49.

    Parameters
    ----------
    n_agree, n_pass, n_seen
        Agrees, passes and votes of everyone, per statement.
    extremity
        Norm of each statement's projection (:func:`ecocite.participation.pca.project_statements`).
    meta
        Boolean mask of meta statements.
    """
    a_, p_, s_ = (np.asarray(v, dtype=float) for v in (n_agree, n_pass, n_seen))
    p = (p_ + 1.0) / (s_ + 2.0)
    a = (a_ + 1.0) / (s_ + 2.0)
    importance = (1.0 - p) * (np.asarray(extremity, float) + 1.0) * a
    priority = (importance * (1.0 + 8.0 * 2.0 ** (-s_ / 5.0))) ** 2
    if meta is not None:
        priority = np.where(meta, META_PRIORITY, priority)
    return priority
