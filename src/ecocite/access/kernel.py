"""Shortest-path kernels on the compressed walking graph (numba, integer millimetres).

The graph the kernels search has one vertex per *junction* (a street node whose degree is not 2)
and one undirected edge per *chain* (a run of street segments between two junctions). Every other
place — a degree-2 street node, a building, a shop — is a *position* ``(chain, offset)`` on a chain,
so the search never walks node by node along chains and origins or destinations are never rounded
to a node. The walking distance between a position ``(c, t)`` and the junction distances ``D`` of a
search is ``min(t + D[a_c], len_c - t + D[b_c])``, plus the direct distance ``|t - s|`` when a
destination ``(c, s)`` sits on the same chain.

Every place also has a *leg*: the straight walk from the place to its foot on the street
(millimetres, 0 for street nodes). A destination's leg enters its seed distances, an origin's leg
is added to what it reads, so a reported distance is leg + street + leg, as cityseer counts it;
legs of zero give the street part alone, as pandana counts it.

Distances are integers in millimetres, so every engine summing the same lengths in any order
finds exactly the same values and a count at a threshold never depends on rounding.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

INF = np.iinfo(np.int64).max // 4


@njit(cache=True, inline="always")
def _heap_push(heap: np.ndarray, size: int, key: int) -> int:
    # keys pack (distance << NODE_BITS) | junction: one array, one comparison per step
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if heap[parent] <= key:
            break
        heap[i] = heap[parent]
        i = parent
    heap[i] = key
    return size + 1


@njit(cache=True, inline="always")
def _heap_pop(heap: np.ndarray, size: int) -> int:
    """Remove the root (read heap[0] before calling); returns the new size."""
    size -= 1
    key = heap[size]
    i = 0
    while True:
        small = 2 * i + 1
        if small >= size:
            break
        if small + 1 < size and heap[small + 1] < heap[small]:
            small += 1
        if key <= heap[small]:
            break
        heap[i] = heap[small]
        i = small
    heap[i] = key
    return size


NODE_BITS = 24
NODE_MASK = (1 << NODE_BITS) - 1


@njit(cache=True)
def _bounded_dijkstra(
    indptr: np.ndarray,
    nbr: np.ndarray,
    weight: np.ndarray,
    seed_junction: np.ndarray,
    seed_dist: np.ndarray,
    limit: int,
    dist: np.ndarray,
    touched: np.ndarray,
    heap: np.ndarray,
) -> int:
    """Multi-source Dijkstra from seeds with initial distances, cut at ``limit``.

    ``dist`` must be all INF on entry; the junctions it sets are listed in ``touched`` (the
    returned count) so the caller can reset them in O(reached) instead of O(graph).
    """
    size = 0
    n_touched = 0
    for k in range(seed_junction.shape[0]):
        j = seed_junction[k]
        d = seed_dist[k]
        if d <= limit and d < dist[j]:
            if dist[j] == INF:
                touched[n_touched] = j
                n_touched += 1
            dist[j] = d
            size = _heap_push(heap, size, (d << NODE_BITS) | j)
    while size > 0:
        top = heap[0]
        size = _heap_pop(heap, size)
        d = top >> NODE_BITS
        j = top & NODE_MASK
        if d > dist[j]:
            continue
        for k in range(indptr[j], indptr[j + 1]):
            m = nbr[k]
            nd = d + weight[k]
            if nd <= limit and nd < dist[m]:
                if dist[m] == INF:
                    touched[n_touched] = m
                    n_touched += 1
                dist[m] = nd
                # a dead end (one street) has nothing further to relax: no heap round trip
                if indptr[m + 1] - indptr[m] > 1:
                    size = _heap_push(heap, size, (nd << NODE_BITS) | m)
    return n_touched


@njit(cache=True)
def _seed_arrays(
    chain_a: np.ndarray,
    chain_b: np.ndarray,
    chain_len: np.ndarray,
    dest_chain: np.ndarray,
    dest_off: np.ndarray,
    dest_leg: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    n = dest_chain.shape[0]
    sj = np.empty(2 * n, np.int64)
    sd = np.empty(2 * n, np.int64)
    for i in range(n):
        c = dest_chain[i]
        sj[2 * i] = chain_a[c]
        sd[2 * i] = dest_leg[i] + dest_off[i]
        sj[2 * i + 1] = chain_b[c]
        sd[2 * i + 1] = dest_leg[i] + chain_len[c] - dest_off[i]
    return sj, sd


@njit(parallel=True, cache=True)
def nearest_many(
    indptr: np.ndarray,
    nbr: np.ndarray,
    weight: np.ndarray,
    chain_a: np.ndarray,
    chain_b: np.ndarray,
    chain_len: np.ndarray,
    dest_chain: np.ndarray,
    dest_off: np.ndarray,
    dest_leg: np.ndarray,
    dest_ptr: np.ndarray,
    point_chain: np.ndarray,
    point_off: np.ndarray,
    point_leg: np.ndarray,
    limit: int,
) -> np.ndarray:
    """Nearest-destination distance (mm, INF beyond ``limit``) for every point and category.

    Destinations of category ``k`` are ``dest_*[dest_ptr[k]:dest_ptr[k+1]]``, sorted by chain
    then offset within each category. One multi-source search per category, categories in
    parallel. Distances include the legs of both places (pass zeros to leave them out).
    """
    n_cat = dest_ptr.shape[0] - 1
    n_j = indptr.shape[0] - 1
    n_p = point_chain.shape[0]
    out = np.empty((n_cat, n_p), np.int64)
    for k in prange(n_cat):
        lo = dest_ptr[k]
        hi = dest_ptr[k + 1]
        dist = np.full(n_j, INF, np.int64)
        touched = np.empty(n_j, np.int64)
        heap = np.empty(nbr.shape[0] + 2 * (hi - lo) + 1, np.int64)
        sj, sd = _seed_arrays(
            chain_a, chain_b, chain_len, dest_chain[lo:hi], dest_off[lo:hi], dest_leg[lo:hi]
        )
        _bounded_dijkstra(indptr, nbr, weight, sj, sd, limit, dist, touched, heap)
        dc = dest_chain[lo:hi]
        do = dest_off[lo:hi]
        dl = dest_leg[lo:hi]
        for p in range(n_p):
            c = point_chain[p]
            t = point_off[p]
            best = INF
            da = dist[chain_a[c]]
            if da < INF:
                best = t + da
            db = dist[chain_b[c]]
            if db < INF and chain_len[c] - t + db < best:
                best = chain_len[c] - t + db
            # destinations on the same chain: binary search for the first with chain >= c
            i = np.searchsorted(dc, c)
            while i < dc.shape[0] and dc[i] == c:
                direct = abs(do[i] - t) + dl[i]
                if direct < best:
                    best = direct
                i += 1
            if best < INF:
                best += point_leg[p]
            out[k, p] = best if best <= limit else INF
    return out


@njit(parallel=True, cache=True)
def count_within(
    indptr: np.ndarray,
    nbr: np.ndarray,
    weight: np.ndarray,
    junction_chains_ptr: np.ndarray,
    junction_chains: np.ndarray,
    chain_a: np.ndarray,
    chain_b: np.ndarray,
    chain_len: np.ndarray,
    group_ptr: np.ndarray,
    dest_chain: np.ndarray,
    dest_off: np.ndarray,
    dest_leg: np.ndarray,
    group_weight: np.ndarray,
    chain_point_ptr: np.ndarray,
    point_off_by_chain: np.ndarray,
    point_leg_by_chain: np.ndarray,
    thresholds: np.ndarray,
    n_threads: int,
) -> np.ndarray:
    """Weighted count of destination groups within each threshold, for every point.

    A group (a shop, or all the entrances of one park) counts once, at its nearest seed. One
    bounded search per group, *from the destination*; the points on every chain touching a
    reached junction are then scored with the position formula. Groups are split into
    ``n_threads`` blocks searched in parallel, each block with its own scratch arrays.
    Distances include the legs of both places (zeros leave them out).
    Returns ``(n_points_sorted_by_chain, n_thresholds)`` float64, in the order of
    ``point_off_by_chain``.
    """
    n_groups = group_ptr.shape[0] - 1
    n_j = indptr.shape[0] - 1
    n_c = chain_len.shape[0]
    n_p = point_off_by_chain.shape[0]
    n_t = thresholds.shape[0]
    limit = thresholds[n_t - 1]
    acc = np.zeros((n_threads, n_p, n_t), np.float64)
    for b in prange(n_threads):
        g_lo = (n_groups * b) // n_threads
        g_hi = (n_groups * (b + 1)) // n_threads
        dist = np.full(n_j, INF, np.int64)
        touched = np.empty(n_j, np.int64)
        chain_seen = np.zeros(n_c, np.bool_)
        chain_list = np.empty(n_c, np.int64)
        max_seeds = 0
        for g in range(g_lo, g_hi):
            if group_ptr[g + 1] - group_ptr[g] > max_seeds:
                max_seeds = group_ptr[g + 1] - group_ptr[g]
        heap = np.empty(nbr.shape[0] + 2 * max_seeds + 1, np.int64)
        for g in range(g_lo, g_hi):
            lo = group_ptr[g]
            hi = group_ptr[g + 1]
            gw = group_weight[g]
            sj, sd = _seed_arrays(
                chain_a, chain_b, chain_len, dest_chain[lo:hi], dest_off[lo:hi], dest_leg[lo:hi]
            )
            n_touched = _bounded_dijkstra(indptr, nbr, weight, sj, sd, limit, dist, touched, heap)
            n_chains = 0
            for i in range(lo, hi):
                c = dest_chain[i]
                if not chain_seen[c]:
                    chain_seen[c] = True
                    chain_list[n_chains] = c
                    n_chains += 1
            for i in range(n_touched):
                j = touched[i]
                for k in range(junction_chains_ptr[j], junction_chains_ptr[j + 1]):
                    c = junction_chains[k]
                    if not chain_seen[c]:
                        chain_seen[c] = True
                        chain_list[n_chains] = c
                        n_chains += 1
            for i in range(n_chains):
                c = chain_list[i]
                da = dist[chain_a[c]]
                db = dist[chain_b[c]]
                length = chain_len[c]
                for p in range(chain_point_ptr[c], chain_point_ptr[c + 1]):
                    t = point_off_by_chain[p]
                    best = INF
                    if da < INF:
                        best = t + da
                    if db < INF and length - t + db < best:
                        best = length - t + db
                    for s in range(lo, hi):
                        if dest_chain[s] == c:
                            direct = abs(dest_off[s] - t) + dest_leg[s]
                            if direct < best:
                                best = direct
                    if best < INF:
                        best += point_leg_by_chain[p]
                    if best <= limit:
                        for q in range(n_t):
                            if best <= thresholds[q]:
                                acc[b, p, q] += gw
                chain_seen[c] = False
            for i in range(n_touched):
                dist[touched[i]] = INF
    out = np.zeros((n_p, n_t), np.float64)
    for b in range(n_threads):
        out += acc[b]
    return out
