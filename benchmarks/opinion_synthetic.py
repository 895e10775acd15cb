"""A synthetic conversation with planted opinion groups, for the scale benchmark (illustrative).

Each participant belongs to one of ``n_groups`` planted groups; each group has a random stance
per statement; a participant votes on random statements, following the group's stance with
probability ``loyalty`` and otherwise voting at random. Deterministic for a seed.
"""

from __future__ import annotations

import numpy as np


def synthetic_votes(
    n_participants: int,
    n_statements: int,
    n_votes: int,
    *,
    n_groups: int = 3,
    loyalty: float = 0.8,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(participant ids, statement ids, votes, planted group per participant) as arrays."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, n_groups, n_participants)
    stance = rng.choice(
        np.array([-1, 0, 1], dtype=np.int8), size=(n_groups, n_statements), p=[0.4, 0.1, 0.5]
    )
    # distinct (participant, statement) pairs: draw keys, drop repeats, top up
    keys = np.unique(rng.integers(0, n_participants * n_statements, int(n_votes * 1.02)))
    keys = rng.permutation(keys)[:n_votes]
    pid, sid = keys // n_statements, keys % n_statements
    follow = rng.random(len(keys)) < loyalty
    votes = np.where(follow, stance[group[pid], sid], rng.integers(-1, 2, len(keys))).astype(
        np.int8
    )
    ids = np.array([str(i) for i in range(max(n_participants, n_statements))], dtype=object)
    return ids[pid], ids[sid], votes, group
