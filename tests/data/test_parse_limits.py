"""The child-process limits stop a parse that loops or allocates, with a clear error (issue 9)."""

from __future__ import annotations

import os

import pytest

from ecocite.data import DataImportError, RowError
from ecocite.data.contract import InputRejected
from ecocite.data.limits import Limits, run_limited


def _loop() -> None:
    while True:
        pass


def _allocate() -> int:
    blocks = []
    while True:
        blocks.append(bytearray(50 * 1024 * 1024))
    return len(blocks)  # pragma: no cover


def _reject() -> None:
    raise DataImportError([RowError("f.csv", 3, "unit", "unit.unknown", {"value": "zz"})])


def _crash() -> None:
    os._exit(7)


def _pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def _only_error(exc: pytest.ExceptionInfo[InputRejected]) -> RowError:
    assert len(exc.value.errors) == 1
    return exc.value.errors[0]


def test_a_result_comes_back_from_another_process() -> None:
    pid, square = run_limited(_pid_and_square, 12, file="f.csv")
    assert square == 144 and pid != os.getpid()


def test_a_looping_parse_is_stopped_by_the_time_limit() -> None:
    with pytest.raises(InputRejected) as exc:
        run_limited(_loop, file="loop.xlsx", limits=Limits(seconds=1, memory_mb=None))
    error = _only_error(exc)
    assert (error.file, error.row, error.field) == ("loop.xlsx", None, "(file)")
    assert error.message_id == "parse.timeout" and error.params == {"seconds": 1}


def test_an_allocating_parse_is_stopped_by_the_memory_limit() -> None:
    with pytest.raises(InputRejected) as exc:
        run_limited(_allocate, file="big.xlsx", limits=Limits(seconds=30, memory_mb=200))
    error = _only_error(exc)
    assert error.message_id == "parse.memory" and error.params == {"limit": 200}
    assert "200 MB" in error.message


def test_the_parse_s_own_rejection_comes_back_whole() -> None:
    with pytest.raises(DataImportError) as exc:
        run_limited(_reject, file="f.csv")
    error = _only_error(exc)  # type: ignore[arg-type]
    assert (error.row, error.field, error.params) == (3, "unit", {"value": "zz"})


def test_a_child_that_dies_is_a_clear_error() -> None:
    with pytest.raises(InputRejected) as exc:
        run_limited(_crash, file="f.csv")
    assert _only_error(exc).message_id == "parse.failed"


def _niceness() -> int:
    return os.nice(0)


def test_the_parse_runs_at_a_lower_priority_than_its_parent() -> None:
    assert run_limited(_niceness, file="f.csv") == min(os.nice(0) + 10, 19)
