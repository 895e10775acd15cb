"""The walking network: street segments in a projected CRS, components, chain compression.

Nodes are identified by their OSM id, never by their coordinates: two OSM nodes at the same
place (a bridge over a street, a tunnel under a square) stay two nodes unless a way joins them.
Lengths are integer millimetres (see :mod:`ecocite.access.kernel`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyproj
from numba import njit
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

MM_PER_M = 1000


def utm_crs(lon: float, lat: float) -> pyproj.CRS:
    """Return the WGS 84 / UTM zone CRS containing a point (EPSG:326xx north, 327xx south)."""
    zone = int((lon + 180.0) // 6.0) % 60 + 1
    return pyproj.CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


@dataclass(frozen=True)
class WalkNetwork:
    """A walking network ready for searches.

    Attributes (all numpy arrays are aligned on their first axis):
        crs: projected CRS of ``x``/``y`` (metres).
        node_osm_id, x, y: kept street nodes.
        edge_u, edge_v, edge_mm: street segments (node indices) and lengths in millimetres.
        chain_a, chain_b, chain_mm: chains between junctions (junction indices) and lengths.
        junction_node: node index of each junction.
        edge_chain, edge_off_u, edge_off_v: the chain of each segment and the offsets (mm) of its
            two ends along that chain.
        node_chain, node_off: a position of every node on a chain.
        indptr, nbr, weight: junction adjacency (CSR) used by the kernels.
        jc_ptr, jc_chain: chains incident to each junction (CSR).
        report: what was dropped while building (components, nodes, metres).
    """

    crs: pyproj.CRS
    node_osm_id: np.ndarray
    x: np.ndarray
    y: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_mm: np.ndarray
    junction_node: np.ndarray
    chain_a: np.ndarray
    chain_b: np.ndarray
    chain_mm: np.ndarray
    edge_chain: np.ndarray
    edge_off_u: np.ndarray
    edge_off_v: np.ndarray
    node_chain: np.ndarray
    node_off: np.ndarray
    indptr: np.ndarray
    nbr: np.ndarray
    weight: np.ndarray
    jc_ptr: np.ndarray
    jc_chain: np.ndarray
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def n_nodes(self) -> int:
        """Return the number of nodes."""
        return int(self.node_osm_id.shape[0])

    @property
    def n_edges(self) -> int:
        """Return the number of street segments (edges)."""
        return int(self.edge_u.shape[0])

    @property
    def n_junctions(self) -> int:
        """Return the number of junctions (nodes where chains meet)."""
        return int(self.junction_node.shape[0])

    @property
    def n_chains(self) -> int:
        """Return the number of chains (street runs between junctions)."""
        return int(self.chain_a.shape[0])

    @property
    def length_km(self) -> float:
        """Return the total street length in km."""
        return float(self.edge_mm.sum()) / 1e6


def build_network(
    node_osm_id: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    edge_u_osm: np.ndarray,
    edge_v_osm: np.ndarray,
    *,
    crs: pyproj.CRS,
    keep: str = "largest",
    min_component_nodes: int = 0,
    edge_mm: np.ndarray | None = None,
) -> WalkNetwork:
    """Build a :class:`WalkNetwork` from projected node coordinates and segments by OSM id.

    Args:
        node_osm_id, x, y: node ids and projected coordinates in metres (``crs``).
        edge_u_osm, edge_v_osm: segment ends as OSM node ids; straight segments, undirected.
        crs: the projected CRS of ``x``/``y``.
        keep: ``"largest"`` keeps the largest connected component (the default, as GHSCI does);
            ``"all"`` keeps every component with at least ``min_component_nodes`` nodes.
        min_component_nodes: with ``keep="all"``, smaller components are dropped.
        edge_mm: optional segment lengths in millimetres (default: straight-line length between
            the two nodes), e.g. to reuse lengths measured elsewhere.

    Segments with an unknown end node or of zero length (self-loops) are dropped; of parallel
    segments between the same two nodes the shortest is kept. ``report`` says what was dropped.
    """
    node_osm_id = np.asarray(node_osm_id, np.int64)
    order = np.argsort(node_osm_id, kind="stable")
    sorted_ids = node_osm_id[order]
    u_pos = np.searchsorted(sorted_ids, edge_u_osm)
    v_pos = np.searchsorted(sorted_ids, edge_v_osm)
    u_pos = np.minimum(u_pos, len(sorted_ids) - 1)
    v_pos = np.minimum(v_pos, len(sorted_ids) - 1)
    known = (sorted_ids[u_pos] == edge_u_osm) & (sorted_ids[v_pos] == edge_v_osm)
    u = order[u_pos[known]]
    v = order[v_pos[known]]
    given_mm = None if edge_mm is None else np.asarray(edge_mm, np.int64)[known]
    report: dict[str, Any] = {"segments_unknown_node": int((~known).sum())}
    loops = u == v
    u, v = u[~loops], v[~loops]
    given_mm = None if given_mm is None else given_mm[~loops]
    report["segments_self_loop"] = int(loops.sum())
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    if given_mm is None:
        mm = np.rint(np.hypot(x[hi] - x[lo], y[hi] - y[lo]) * MM_PER_M).astype(np.int64)
    else:
        mm = given_mm
    # zero-length segments between distinct nodes (e.g. a bridge node mapped on top of its
    # neighbour) are kept with 1 mm so the two nodes stay distinct but joined.
    mm = np.maximum(mm, 1)
    key = np.lexsort((mm, hi, lo))
    lo, hi, mm = lo[key], hi[key], mm[key]
    first = np.ones(len(lo), bool)
    first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    report["segments_parallel_dropped"] = int((~first).sum())
    lo, hi, mm = lo[first], hi[first], mm[first]

    used = np.unique(np.concatenate([lo, hi]))
    n_all = len(node_osm_id)
    graph = coo_matrix((np.ones(len(lo)), (lo, hi)), shape=(n_all, n_all))
    _, label = connected_components(graph, directed=False)
    sizes = np.bincount(label[used], minlength=label.max() + 1)
    n_components = int((sizes > 0).sum())
    if keep == "largest":
        keep_label = np.zeros(len(sizes), bool)
        keep_label[np.argmax(sizes)] = True
    elif keep == "all":
        keep_label = sizes >= max(min_component_nodes, 1)
    else:
        raise ValueError(f"keep must be 'largest' or 'all', not {keep!r}")
    node_kept = np.zeros(n_all, bool)
    node_kept[used] = keep_label[label[used]]
    edge_kept = node_kept[lo]
    report.update(
        components=n_components,
        components_kept=int(keep_label.sum()),
        nodes_dropped=int(len(used) - node_kept.sum()),
        length_dropped_km=float(mm[~edge_kept].sum()) / 1e6,
    )
    lo, hi, mm = lo[edge_kept], hi[edge_kept], mm[edge_kept]
    new_index = np.full(n_all, -1, np.int64)
    kept_nodes = np.flatnonzero(node_kept)
    new_index[kept_nodes] = np.arange(len(kept_nodes))
    return _compress(
        crs=crs,
        node_osm_id=node_osm_id[kept_nodes],
        x=np.asarray(x, np.float64)[kept_nodes],
        y=np.asarray(y, np.float64)[kept_nodes],
        edge_u=new_index[lo],
        edge_v=new_index[hi],
        edge_mm=mm,
        report=report,
    )


@njit(cache=True)
def _walk_chains(
    indptr: np.ndarray,
    adj_node: np.ndarray,
    adj_edge: np.ndarray,
    edge_u: np.ndarray,
    edge_mm: np.ndarray,
    is_junction: np.ndarray,
    edge_chain: np.ndarray,
    edge_off_u: np.ndarray,
    edge_off_v: np.ndarray,
    node_chain: np.ndarray,
    node_off: np.ndarray,
    chain_a: np.ndarray,
    chain_b: np.ndarray,
    chain_mm: np.ndarray,
    n_chains: int,
) -> int:
    """Follow every unassigned segment from a junction to the next junction."""
    n = indptr.shape[0] - 1
    for j in range(n):
        if not is_junction[j]:
            continue
        for k in range(indptr[j], indptr[j + 1]):
            e = adj_edge[k]
            if edge_chain[e] >= 0:
                continue
            c = n_chains
            n_chains += 1
            off = 0
            prev = j
            nxt = adj_node[k]
            e2 = -1
            n2 = -1
            while True:
                edge_chain[e] = c
                if edge_u[e] == prev:
                    edge_off_u[e] = off
                    edge_off_v[e] = off + edge_mm[e]
                else:
                    edge_off_v[e] = off
                    edge_off_u[e] = off + edge_mm[e]
                off += edge_mm[e]
                if is_junction[nxt]:
                    break
                node_chain[nxt] = c
                node_off[nxt] = off
                for kk in range(indptr[nxt], indptr[nxt + 1]):
                    if adj_edge[kk] != e:
                        e2 = adj_edge[kk]
                        n2 = adj_node[kk]
                prev = nxt
                nxt = n2
                e = e2
            chain_a[c] = j
            chain_b[c] = nxt
            chain_mm[c] = off
    return n_chains


def _csr(src: np.ndarray, n: int, *cols: np.ndarray) -> tuple[np.ndarray, ...]:
    order = np.argsort(src, kind="stable")
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return (indptr, *(c[order] for c in cols))


def _compress(
    *,
    crs: pyproj.CRS,
    node_osm_id: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    edge_u: np.ndarray,
    edge_v: np.ndarray,
    edge_mm: np.ndarray,
    report: dict[str, Any],
) -> WalkNetwork:
    n = len(node_osm_id)
    m = len(edge_u)
    edge_ids = np.arange(m, dtype=np.int64)
    indptr, adj_node, adj_edge = _csr(
        np.concatenate([edge_u, edge_v]),
        n,
        np.concatenate([edge_v, edge_u]),
        np.concatenate([edge_ids, edge_ids]),
    )
    degree = np.diff(indptr)
    is_junction = degree != 2
    edge_chain = np.full(m, -1, np.int64)
    edge_off_u = np.zeros(m, np.int64)
    edge_off_v = np.zeros(m, np.int64)
    node_chain = np.full(n, -1, np.int64)
    node_off = np.zeros(n, np.int64)
    chain_a = np.empty(m, np.int64)
    chain_b = np.empty(m, np.int64)
    chain_mm = np.empty(m, np.int64)
    n_chains = 0
    while True:
        n_chains = _walk_chains(
            indptr, adj_node, adj_edge, edge_u, edge_mm, is_junction, edge_chain,
            edge_off_u, edge_off_v, node_chain, node_off, chain_a, chain_b, chain_mm, n_chains,
        )  # fmt: skip
        left = np.flatnonzero(edge_chain < 0)
        if len(left) == 0:
            break
        # a ring of degree-2 nodes with no junction: promote one of its nodes
        is_junction[edge_u[left[0]]] = True
    chain_a, chain_b, chain_mm = chain_a[:n_chains], chain_b[:n_chains], chain_mm[:n_chains]
    junction_node = np.flatnonzero(is_junction)
    j_index = np.full(n, -1, np.int64)
    j_index[junction_node] = np.arange(len(junction_node))
    # junctions sit at the start or the end of their first incident chain
    first_edge = adj_edge[indptr[junction_node]]
    fc = edge_chain[first_edge]
    node_chain[junction_node] = fc
    node_off[junction_node] = np.where(chain_a[fc] == junction_node, 0, chain_mm[fc])
    ca, cb = j_index[chain_a], j_index[chain_b]
    n_j = len(junction_node)
    chain_ids = np.arange(n_chains, dtype=np.int64)
    jptr, nbr, weight = _csr(np.concatenate([ca, cb]), n_j, np.concatenate([cb, ca]),
                             np.concatenate([chain_mm, chain_mm]))  # fmt: skip
    # 32-bit adjacency halves the memory the searches stream through (chains < 2,147 km)
    nbr, weight = nbr.astype(np.int32), weight.astype(np.int32)
    both = np.concatenate([ca, cb])
    both_chain = np.concatenate([chain_ids, chain_ids])
    dedup = np.ones(len(both), bool)
    dedup[n_chains:] = ca != cb  # a looped chain is listed once at its junction
    jc_ptr, jc_chain = _csr(both[dedup], n_j, both_chain[dedup])
    report.update(
        nodes=n, segments=m, junctions=n_j, chains=n_chains, length_km=float(edge_mm.sum()) / 1e6
    )
    return WalkNetwork(
        crs=crs,
        node_osm_id=node_osm_id,
        x=x,
        y=y,
        edge_u=edge_u,
        edge_v=edge_v,
        edge_mm=edge_mm,
        junction_node=junction_node,
        chain_a=ca,
        chain_b=cb,
        chain_mm=chain_mm,
        edge_chain=edge_chain,
        edge_off_u=edge_off_u,
        edge_off_v=edge_off_v,
        node_chain=node_chain,
        node_off=node_off,
        indptr=jptr,
        nbr=nbr,
        weight=weight,
        jc_ptr=jc_ptr,
        jc_chain=jc_chain,
        report=report,
    )
