"""Snapping places to street segments, and the two searches: nearest distance and counts.

Both searches start *from the destinations* (the walking graph is undirected), on the
junction graph of :class:`~ecocite.access.network.WalkNetwork`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import shapely

from ecocite.access import kernel
from ecocite.access.network import MM_PER_M, WalkNetwork


@dataclass(frozen=True)
class Positions:
    """Places snapped to the walking network.

    Chain and offset along it (mm), the street segment they were snapped to, the straight-line
    snap distance (m; NaN = not snapped) and the *leg* walked between the place and the street.
    """

    chain: np.ndarray
    off: np.ndarray
    edge: np.ndarray
    snap_distance_m: np.ndarray

    def __len__(self) -> int:
        return int(self.chain.shape[0])

    @property
    def snapped(self) -> np.ndarray:
        """Return which places were snapped to the network."""
        return self.chain >= 0

    @property
    def leg_mm(self) -> np.ndarray:
        """The snap leg in integer millimetres (0 for street nodes and unsnapped places)."""
        leg = np.nan_to_num(self.snap_distance_m, nan=0.0)
        return np.rint(leg * MM_PER_M).astype(np.int64)

    def take(self, index: np.ndarray) -> Positions:
        """Return the places at ``index``."""
        return Positions(
            self.chain[index], self.off[index], self.edge[index], self.snap_distance_m[index]
        )


def segment_geometries(net: WalkNetwork) -> np.ndarray:
    """Street segments as shapely LineStrings (projected CRS), oriented from ``edge_u``."""
    coords = np.stack(
        [
            np.column_stack([net.x[net.edge_u], net.y[net.edge_u]]),
            np.column_stack([net.x[net.edge_v], net.y[net.edge_v]]),
        ],
        axis=1,
    )
    return shapely.linestrings(coords)


def snap_to_edges(
    net: WalkNetwork,
    x: np.ndarray,
    y: np.ndarray,
    *,
    max_distance_m: float | None = None,
    segments: np.ndarray | None = None,
) -> Positions:
    """Snap points to the nearest street *segment* (not node) and place them on its chain.

    Args:
        net: the walking network.
        x, y: projected coordinates in metres, in ``net.crs``.
        max_distance_m: points farther than this from every segment stay unsnapped
            (``chain == -1``); ``None`` snaps every point.
        segments: precomputed :func:`segment_geometries` (saves time on repeated calls).

    The offset along the segment (the foot of the perpendicular) places the point on its chain;
    the straight-line snap distance is the *leg* between the point and the street, which the
    searches add to the walking distance (see ``snap_legs`` there).
    """
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    n = len(x)
    chain = np.full(n, -1, np.int64)
    off = np.zeros(n, np.int64)
    edge = np.full(n, -1, np.int64)
    snap = np.full(n, np.nan)
    if n == 0 or net.n_edges == 0:
        return Positions(chain, off, edge, snap)
    segs = segment_geometries(net) if segments is None else segments
    tree = shapely.STRtree(segs)
    pts = shapely.points(x, y)
    (pi, ei), dist = tree.query_nearest(
        pts, max_distance=max_distance_m, return_distance=True, all_matches=False
    )
    along = shapely.line_locate_point(segs[ei], pts[pi])
    seg_len = net.edge_mm[ei]
    t = np.clip(np.rint(along * MM_PER_M).astype(np.int64), 0, seg_len)
    ou, ov = net.edge_off_u[ei], net.edge_off_v[ei]
    chain[pi] = net.edge_chain[ei]
    off[pi] = np.where(ov >= ou, ou + t, ou - t)
    edge[pi] = ei
    snap[pi] = dist
    return Positions(chain, off, edge, snap)


def node_positions(net: WalkNetwork, node_index: np.ndarray | None = None) -> Positions:
    """Positions of street nodes themselves (all nodes by default)."""
    idx = np.arange(net.n_nodes) if node_index is None else np.asarray(node_index, np.int64)
    return Positions(
        net.node_chain[idx].copy(),
        net.node_off[idx].copy(),
        np.full(len(idx), -1, np.int64),
        np.zeros(len(idx)),
    )


def _legs(places: Positions, snap_legs: bool) -> np.ndarray:
    return places.leg_mm if snap_legs else np.zeros(len(places), np.int64)


def _threads() -> int:
    from numba import get_num_threads

    return max(1, min(get_num_threads(), os.cpu_count() or 1))


def nearest_distance(
    net: WalkNetwork,
    origins: Positions,
    destinations: Mapping[str, Positions],
    *,
    limit_m: float,
    snap_legs: bool = True,
) -> dict[str, np.ndarray]:
    """Compute the walking distance (m) from every origin to the nearest place of each category.

    One multi-source search per category from its destinations, cut at ``limit_m``; categories
    run in parallel. Distances beyond ``limit_m``, and origins or destinations that are not
    snapped, give NaN.

    With ``snap_legs`` (the default) a distance is the whole walk: origin → street, along the
    streets, street → destination, as cityseer counts it; ``snap_legs=False`` counts the street
    part only, between the two snap points, as pandana does (for comparisons). The nearest
    destination is chosen on the same distance that is reported.
    """
    names = list(destinations)
    chains, offs, legs, ptr = [], [], [], [0]
    for name in names:
        d = destinations[name]
        ok = d.snapped
        c, o = d.chain[ok], d.off[ok]
        order = np.lexsort((o, c))
        chains.append(c[order])
        offs.append(o[order])
        legs.append(_legs(d, snap_legs)[ok][order])
        ptr.append(ptr[-1] + int(ok.sum()))
    ok_o = origins.snapped
    pc = np.where(ok_o, origins.chain, 0)
    limit = round(limit_m * MM_PER_M)
    if not names:
        return {}
    if net.n_chains == 0:
        return {name: np.full(len(origins), np.nan) for name in names}
    raw = kernel.nearest_many(
        net.indptr,
        net.nbr,
        net.weight,
        net.chain_a,
        net.chain_b,
        net.chain_mm,
        np.concatenate(chains),
        np.concatenate(offs),
        np.concatenate(legs),
        np.asarray(ptr, np.int64),
        pc,
        origins.off,
        _legs(origins, snap_legs),
        limit,
    )
    out = {}
    for k, name in enumerate(names):
        metres = raw[k].astype(np.float64) / MM_PER_M
        metres[(raw[k] >= kernel.INF) | ~ok_o] = np.nan
        out[name] = metres
    return out


def count_within(
    net: WalkNetwork,
    origins: Positions,
    destinations: Positions,
    *,
    thresholds_m: tuple[float, ...] | list[float],
    group: np.ndarray | None = None,
    weight: np.ndarray | None = None,
    n_threads: int | None = None,
    snap_legs: bool = True,
) -> np.ndarray:
    """Count (or sum the weights of) the of destinations within each walking distance, per origin.

    Args:
        net: the walking network.
        origins, destinations: snapped places.
        thresholds_m: increasing distances in metres; a destination at exactly the threshold
            counts.
        group: optional group label per destination (e.g. a park id for its entrances); a group
            counts once, at its nearest member.
        weight: optional weight per group (per destination if ``group`` is None); default 1.
        n_threads: parallel blocks of destinations (default: numba's thread count).
        snap_legs: count the walk between each place and the street (default), as
            :func:`nearest_distance` does; ``False`` counts the street part only.

    Returns
    -------
        ``(len(origins), len(thresholds_m))`` float array; unsnapped origins get NaN.
    """
    thr = np.asarray([round(t * MM_PER_M) for t in thresholds_m], np.int64)
    if len(thr) == 0 or np.any(np.diff(thr) < 0):
        raise ValueError("thresholds_m must be a non-empty increasing sequence")
    ok = destinations.snapped
    d_leg = _legs(destinations, snap_legs)
    if group is None and weight is None:
        # places at the very same position (and leg) need one search: count them with their
        # multiplicity
        key = np.column_stack([np.where(ok, destinations.chain, -1), destinations.off, d_leg])
        _, gid, mult = np.unique(key, axis=0, return_inverse=True, return_counts=True)
        gid = gid.ravel()
        weight = mult.astype(np.float64)
    elif group is None:
        gid = np.arange(len(destinations))
    else:
        gid = np.unique(np.asarray(group), return_inverse=True)[1].ravel()
    n_groups = int(gid.max()) + 1 if len(gid) else 0
    gw = np.ones(n_groups) if weight is None else np.asarray(weight, np.float64)
    if len(gw) != n_groups:
        raise ValueError(f"weight has {len(gw)} values for {n_groups} destination groups")
    gid_ok = gid[ok]
    order = np.argsort(gid_ok, kind="stable")
    dest_chain = destinations.chain[ok][order]
    dest_off = destinations.off[ok][order]
    dest_leg = d_leg[ok][order]
    group_ptr = np.zeros(n_groups + 1, np.int64)
    np.cumsum(np.bincount(gid_ok, minlength=n_groups), out=group_ptr[1:])

    ok_o = origins.snapped
    pc = np.where(ok_o, origins.chain, net.n_chains)  # unsnapped: past the last chain
    p_order = np.argsort(pc, kind="stable")
    chain_point_ptr = np.zeros(net.n_chains + 2, np.int64)
    np.cumsum(np.bincount(pc, minlength=net.n_chains + 1), out=chain_point_ptr[1:])
    raw = kernel.count_within(
        net.indptr,
        net.nbr,
        net.weight,
        net.jc_ptr,
        net.jc_chain,
        net.chain_a,
        net.chain_b,
        net.chain_mm,
        group_ptr,
        dest_chain,
        dest_off,
        dest_leg,
        gw,
        chain_point_ptr[: net.n_chains + 1],
        origins.off[p_order],
        _legs(origins, snap_legs)[p_order],
        thr,
        n_threads or _threads(),
    )
    out = np.empty((len(origins), len(thr)))
    out[p_order] = raw
    out[~ok_o] = np.nan
    return out
