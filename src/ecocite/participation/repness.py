"""What each group stands for, what everyone agrees on, and what divides the groups.

Formulas of Polis's ``repness.clj`` and ``stats.clj``, with their +1 pseudocounts. All arrays
are groups × statements; ``na``, ``nd``, ``ns`` count agrees, disagrees and votes seen
(passes included) by each group's members.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

Z_90 = 1.2816  # one-sided 90 % normal quantile (Polis ``z-sig-90?``)


def group_counts(
    codes: sp.csr_matrix, labels: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Agrees, disagrees and votes seen per group and statement.

    ``labels`` gives each row's group, or −1 for rows outside every group.
    """
    n_s = codes.shape[1]
    per_row = np.diff(codes.indptr)
    # one pass: key = (group, statement, code − 1) counted by bincount, built in place in one
    # array (on millions of votes the temporaries' allocation costs more than the arithmetic)
    key = np.repeat(np.asarray(labels, dtype=np.int64) * (n_s * 3), per_row)
    for _ in range(3):
        key += codes.indices
    np.add(key, codes.data, out=key, casting="unsafe")  # codes are whole numbers 1…3
    key -= 1
    if (labels < 0).any():
        key = key[np.repeat(labels >= 0, per_row)]
    counts = np.bincount(key, minlength=n_groups * n_s * 3).reshape(n_groups, n_s, 3)
    disagree, passes, agree = (counts[:, :, i].astype(float) for i in range(3))
    return agree, disagree, agree + disagree + passes


def prop_test(succ: np.ndarray, n: np.ndarray) -> np.ndarray:
    """One-proportion z-test against ½ with +1 pseudocounts: 2√(n+1)·((succ+1)/(n+1) − ½)."""
    s, m = np.asarray(succ) + 1.0, np.asarray(n) + 1.0
    return 2.0 * np.sqrt(m) * (s / m - 0.5)


def two_prop_test(
    succ_in: np.ndarray, succ_out: np.ndarray, pop_in: np.ndarray, pop_out: np.ndarray
) -> np.ndarray:
    """Two-proportion z-test (in vs out) with +1 added to every count; 0 when the pooled p is 1."""
    s1, s2 = np.asarray(succ_in) + 1.0, np.asarray(succ_out) + 1.0
    n1, n2 = np.asarray(pop_in) + 1.0, np.asarray(pop_out) + 1.0
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    var = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / np.sqrt(var)
    return np.where(pooled >= 1.0, 0.0, np.nan_to_num(z))


@dataclass(frozen=True)
class RepnessStats:
    """Per group × statement: shares (p), their tests (pt), ratios to the rest (r), tests (rt)."""

    na: np.ndarray
    nd: np.ndarray
    ns: np.ndarray
    pa: np.ndarray
    pd: np.ndarray
    pat: np.ndarray
    pdt: np.ndarray
    ra: np.ndarray
    rd: np.ndarray
    rat: np.ndarray
    rdt: np.ndarray


def repness_stats(na: np.ndarray, nd: np.ndarray, ns: np.ndarray) -> RepnessStats:
    """Polis's comment statistics of each group against all other groups pooled.

    p_a = (n_a + 1)/(n_s + 2); p_at = prop_test(n_a, n_s);
    r_a = p_a / ((Σrest n_a + 1)/(Σrest n_s + 2)); r_at = two_prop_test(n_a, Σrest n_a, n_s, Σrest n_s);
    the same for disagree.
    """
    na, nd, ns = (np.asarray(a, dtype=float) for a in (na, nd, ns))
    rest_a, rest_d, rest_s = (a.sum(axis=0, keepdims=True) - a for a in (na, nd, ns))
    pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
    return RepnessStats(
        na=na,
        nd=nd,
        ns=ns,
        pa=pa,
        pd=pd,
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=pa / ((rest_a + 1) / (rest_s + 2)),
        rd=pd / ((rest_d + 1) / (rest_s + 2)),
        rat=two_prop_test(na, rest_a, ns, rest_s),
        rdt=two_prop_test(nd, rest_d, ns, rest_s),
    )


@dataclass(frozen=True)
class RepChoice:
    """A representative statement (column index) of a group, its direction and figures."""

    statement: int
    direction: str  # "agree" or "disagree"
    metric: float
    share: float  # p_a or p_d
    test: float  # p_at or p_dt
    ratio: float  # r_a or r_d
    ratio_test: float  # r_at or r_dt
    n_success: int
    n_seen: int


def _choice(s: RepnessStats, g: int, c: int, direction: str) -> RepChoice:
    a = direction == "agree"
    p, pt = (s.pa, s.pat) if a else (s.pd, s.pdt)
    r, rt = (s.ra, s.rat) if a else (s.rd, s.rdt)
    return RepChoice(
        statement=c,
        direction=direction,
        metric=float(r[g, c] * rt[g, c] * p[g, c] * pt[g, c]),
        share=float(p[g, c]),
        test=float(pt[g, c]),
        ratio=float(r[g, c]),
        ratio_test=float(rt[g, c]),
        n_success=int((s.na if a else s.nd)[g, c]),
        n_seen=int(s.ns[g, c]),
    )


def representative(
    s: RepnessStats, group: int, *, max_n: int = 5, z: float = Z_90
) -> list[RepChoice]:
    """Return a group's representative statements (Polis ``select-rep-comments``).

    A statement passes when (r_at > z and p_at > z) or (r_dt > z and p_dt > z); its direction
    is agree if r_at > r_dt, else disagree; passing statements are ranked by
    r · r_t · p · p_t and the best ``max_n`` kept, the best agree first then agrees before
    disagrees. If none passes, the single statement with the best ratio test is returned.
    """
    g = group
    passes = ((s.rat[g] > z) & (s.pat[g] > z)) | ((s.rdt[g] > z) & (s.pdt[g] > z))
    agree = s.rat[g] > s.rdt[g]
    metric = np.where(
        agree, s.ra[g] * s.rat[g] * s.pa[g] * s.pat[g], s.rd[g] * s.rdt[g] * s.pd[g] * s.pdt[g]
    )
    cand = np.flatnonzero(passes)
    ranked = cand[np.lexsort((cand, -metric[cand]))]
    best_agrees = ranked[agree[ranked]][:1]
    shortlist = np.unique(np.concatenate([ranked[:max_n], best_agrees]))
    picks = [_choice(s, g, int(c), "agree" if agree[c] else "disagree") for c in shortlist]
    if not picks:
        if s.ns.shape[1] == 0 or s.ns[g].sum() == 0:
            return []
        best = np.maximum(s.rat[g], s.rdt[g])
        c = int(np.argmax(best))
        return [_choice(s, g, c, "agree" if s.rat[g, c] >= s.rdt[g, c] else "disagree")]
    picks.sort(key=lambda r: (-r.metric, r.statement))
    best_agree = next((r for r in picks if r.direction == "agree"), None)
    picks = picks[:max_n]
    if best_agree is not None and best_agree not in picks:
        picks = [best_agree, *picks[: max_n - 1]]
    agrees = [r for r in picks if r.direction == "agree"]
    disagrees = [r for r in picks if r.direction == "disagree"]
    return agrees + disagrees


@dataclass(frozen=True)
class ConsensusChoice:
    """A statement most groups agree or disagree on, with the share that does."""

    statement: int
    direction: str
    share: float
    test: float
    n_success: int
    n_seen: int


def consensus(
    na: np.ndarray, nd: np.ndarray, ns: np.ndarray, *, max_n: int = 5, z: float = Z_90
) -> list[ConsensusChoice]:
    """Overall consensus, groups ignored (Polis ``select-consensus-comments``).

    ``na``, ``nd``, ``ns`` are totals per statement. A statement is an agree consensus if
    p_a > ½ and p_at > z, ranked by p_a · p_at (top ``max_n``); the same for disagree.
    """
    na, nd, ns = (np.asarray(a, dtype=float) for a in (na, nd, ns))
    out: list[ConsensusChoice] = []
    for direction, n in (("agree", na), ("disagree", nd)):
        p, pt = (n + 1) / (ns + 2), prop_test(n, ns)
        ok = np.flatnonzero((p > 0.5) & (pt > z))
        ranked = ok[np.lexsort((ok, -(p[ok] * pt[ok])))][:max_n]
        out += [
            ConsensusChoice(int(c), direction, float(p[c]), float(pt[c]), int(n[c]), int(ns[c]))
            for c in ranked
        ]
    return out


def group_aware_consensus(n: np.ndarray, ns: np.ndarray) -> np.ndarray:
    """Π over groups of (n_g + 1)/(n_s,g + 2): high only if every group agrees (or disagrees).

    Pass agrees as ``n`` for the agree consensus (Polis's ``group-aware-consensus``) or
    disagrees for the disagree one.
    """
    return np.prod((np.asarray(n, float) + 1.0) / (np.asarray(ns, float) + 2.0), axis=0)


def divisiveness(na: np.ndarray, nd: np.ndarray, ns: np.ndarray) -> np.ndarray:
    """Measure how much the groups disagree on each statement.

    How much the groups disagree on each statement: the range across groups of the
    smoothed net agreement (p_a − p_d), in [0, 2). EcoCité's measure (Polis has none): 0 when
    every group leans the same way by the same amount, near 2 when one group agrees
    unanimously and another disagrees unanimously.
    """
    net = (np.asarray(na, float) - np.asarray(nd, float)) / (np.asarray(ns, float) + 2.0)
    if net.shape[0] == 0:
        return np.zeros(net.shape[1])
    return net.max(axis=0) - net.min(axis=0)
