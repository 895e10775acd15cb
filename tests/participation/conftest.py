"""Shared inputs for the opinion-map tests: a planted conversation and the real Polis exports."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
POLIS = next(
    (p / "data" / "polis" for p in (REPO.parent / "shared", REPO.parents[1] / "shared")
     if (p / "data" / "polis").is_dir()),
    REPO.parents[1] / "shared" / "data" / "polis",
)  # fmt: skip


def planted(
    sizes: tuple[int, ...] = (30, 20, 12),
    n_statements: int = 24,
    *,
    loyalty: float = 0.95,
    seen: float = 0.9,
    seed: int = 0,
) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Votes of groups with opposite stances (constructed input): (pids, sids, votes, truth)."""
    rng = np.random.default_rng(seed)
    stance = rng.choice([-1, 1], size=(len(sizes), n_statements))
    stance[1] = -stance[0]  # the first two groups disagree on everything
    pids: list[str] = []
    sids: list[str] = []
    votes: list[int] = []
    truth: list[int] = []
    pid = 0
    for g, n in enumerate(sizes):
        for _ in range(n):
            for s in range(n_statements):
                if rng.random() < seen:
                    follow = rng.random() < loyalty
                    votes.append(int(stance[g, s]) if follow else int(rng.integers(-1, 2)))
                    pids.append(f"p{pid}")
                    sids.append(f"s{s}")
            truth.append(g)
            pid += 1
    return pids, sids, np.array(votes), np.array(truth)


@pytest.fixture(scope="session")
def polis_dir() -> Path:
    if not POLIS.is_dir():
        pytest.fail(f"the shared Polis exports are missing: {POLIS}")
    return POLIS
