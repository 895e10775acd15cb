"""The result of an opinion-map update: plain, JSON-serialisable, reproducible for a seed."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Direction = Literal["agree", "disagree"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RepStatement(_Result):
    """A statement that sets a group apart: the group agrees (or disagrees) more than the rest.

    ``share`` and ``test`` are p and its z-test in ``direction`` (with pseudocounts); ``ratio``
    and ``ratio_test`` compare with all other groups; ``agree_share`` / ``disagree_share`` are
    the raw shares of the group's votes, passes included in the denominator.
    """

    statement: str
    direction: Direction
    metric: float
    share: float
    test: float
    ratio: float
    ratio_test: float
    agree_share: float
    disagree_share: float
    n_votes: int


class ConsensusStatement(_Result):
    """A statement most participants agree (or disagree) with, groups ignored."""

    statement: str
    direction: Direction
    share: float
    test: float
    agree_share: float
    disagree_share: float
    n_votes: int


class GroupAwareConsensus(_Result):
    """Π over groups of the smoothed agree (disagree) share: high only if every group agrees."""

    statement: str
    agree: float
    disagree: float


class DivisiveStatement(_Result):
    """A statement the groups split on: range across groups of the smoothed net agreement."""

    statement: str
    divisiveness: float
    agree_shares: list[float]


class OpinionResult(_Result):
    """Groups, what they stand for, consensus and routing after one update.

    ``groups`` maps each participant taken into the analysis to its group (0 = largest);
    ``points`` holds the same participants' opinion-map coordinates; ``routing`` the next-
    statement priority of every statement still in the conversation.
    """

    participants: int
    statements: int
    votes: int
    groups: dict[str, int]
    group_sizes: list[int]
    silhouettes: dict[int, float]
    points: dict[str, tuple[float, float]]
    repness: dict[int, list[RepStatement]]
    consensus: list[ConsensusStatement]
    group_aware_consensus: list[GroupAwareConsensus]
    divisive: list[DivisiveStatement]
    routing: dict[str, float]
