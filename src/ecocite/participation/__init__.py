"""Co-construct: opinion mapping on statements (the Polis method), framework-free.

From agree / disagree / pass votes on short statements, find who thinks alike (groups), what
each group stands for (representative statements), what almost everyone agrees on (consensus)
and which statement a participant should see next. Each step is a small pure function
(:mod:`.matrix`, :mod:`.pca`, :mod:`.clusters`, :mod:`.repness`, :mod:`.routing`); the
:mod:`.engine` chains them, one-shot or incrementally as Polis does; :mod:`.polis_io` reads and
writes Polis's CSV exports.
"""

from ecocite.participation.engine import (
    OpinionParams,
    OpinionState,
    analyse,
    empty_state,
    replay,
    update,
)
from ecocite.participation.errors import OpinionInputError, RowError
from ecocite.participation.matrix import VoteMatrix, vote_matrix
from ecocite.participation.model import OpinionResult

__all__ = [
    "OpinionInputError",
    "OpinionParams",
    "OpinionResult",
    "OpinionState",
    "RowError",
    "VoteMatrix",
    "analyse",
    "empty_state",
    "replay",
    "update",
    "vote_matrix",
]
