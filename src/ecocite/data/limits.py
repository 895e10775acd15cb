"""Run a parse in a child process with a CPU time, wall time and memory limit.

A hostile file may still cost more than its size suggests (a pathological XLSX, a table that
unpacks just under the caps, a bug in a reader). Reading it in a child process bounded by
``resource.setrlimit`` turns such a file into a clear error about the file instead of a stuck or
swapping worker: the child is stopped, the caller gets :class:`~ecocite.data.contract.InputRejected`
with ``parse.timeout``, ``parse.memory`` or ``parse.failed``.

The child only computes: it receives its arguments, returns a picklable result (or the rejection
it raised) through a pipe and exits. It never writes to a database or a file the caller keeps.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from ecocite.data.contract import InputRejected, RowError

T = TypeVar("T")

#: Defaults of the limits (the web settings ``ECOCITE_UPLOAD_PARSE_SECONDS`` and
#: ``ECOCITE_UPLOAD_PARSE_MEMORY_MB`` override them).
PARSE_SECONDS = 60
PARSE_MEMORY_MB = 1024


@dataclass(frozen=True)
class Limits:
    """How much a parse may use: CPU seconds (wall time: twice that plus 5 s) and memory in MB.

    ``memory_mb`` is what the parse may allocate on top of the process it starts from (the child
    shares the parent's already loaded libraries); ``None`` leaves a limit off. The child also
    runs at a lower CPU priority (``nice``), so parsing never starves the web server.
    """

    seconds: float | None = PARSE_SECONDS
    memory_mb: int | None = PARSE_MEMORY_MB
    #: Added to the child's niceness: on a small machine the pages being served come first.
    nice: int = 10

    @property
    def wall_seconds(self) -> float | None:
        """Return the wall-clock time after which the child is killed."""
        return None if self.seconds is None else 2 * self.seconds + 5


def _address_space() -> int:
    """Return the current process's virtual memory size in bytes (0 if unknown)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _apply(limits: Limits) -> None:
    import resource

    if limits.nice:
        os.nice(limits.nice)
    if limits.seconds is not None:
        cpu = max(1, int(limits.seconds + 0.999))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    if limits.memory_mb is not None:
        allowed = _address_space() + limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (allowed, allowed))


def _child(conn: Connection, func: Callable[..., Any], args: tuple, kwargs: dict,
           limits: Limits) -> None:  # fmt: skip
    try:
        _apply(limits)
        result: tuple[str, Any] = ("ok", func(*args, **kwargs))
    except InputRejected as exc:
        result = ("rejected", exc)
    except MemoryError:
        result = ("memory", None)
    except BaseException as exc:  # reported to the parent, never a traceback to a user
        result = ("failed", f"{type(exc).__name__}: {exc}"[:300])
        traceback.print_exc()
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("memory", None))
    finally:
        conn.close()


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    # fork: the child starts at once with the parent's loaded libraries (pandas, openpyxl);
    # it only computes and leaves with os._exit, so the parent's connections stay its own.
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_limited(
    func: Callable[..., T],
    *args: Any,
    file: str,
    limits: Limits | None = None,
    **kwargs: Any,
) -> T:
    """Return ``func(*args, **kwargs)`` computed in a child process held to ``limits``.

    Parameters
    ----------
    func
        A module-level function; its result must be picklable.
    file
        The file's name, used in the error when a limit stops the parse.
    limits
        The limits; ``None`` uses the defaults.

    Raises
    ------
    InputRejected
        What ``func`` raised, or one ``(file)`` error: ``parse.timeout`` when the time limit
        stopped it, ``parse.memory`` when the memory limit did, ``parse.failed`` otherwise.
    """
    limits = limits or Limits()
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(send, func, args, kwargs, limits), daemon=True)
    started = time.monotonic()
    process.start()
    send.close()
    outcome: tuple[str, Any] | None = None
    try:
        wall = limits.wall_seconds
        # Read before joining: a big result fills the pipe, and the child waits for us to read.
        if receive.poll(wall):
            try:
                outcome = receive.recv()
            except (EOFError, OSError):
                outcome = None
    finally:
        receive.close()
        process.join(1 if outcome is not None else 0.1)
        if process.is_alive():
            process.kill()
            process.join()
    elapsed = time.monotonic() - started

    def rejected(message_id: str, **params: Any) -> InputRejected:
        return InputRejected([RowError(file, None, "(file)", message_id, params)])

    if outcome is None:
        code = process.exitcode
        timed_out = code in (-signal.SIGXCPU, -signal.SIGKILL) or (
            wall is not None and elapsed >= wall
        )
        if timed_out and limits.seconds is not None:
            raise rejected("parse.timeout", seconds=int(limits.seconds))
        if code == -signal.SIGSEGV and limits.memory_mb is not None:
            raise rejected("parse.memory", limit=limits.memory_mb)
        raise rejected("parse.failed", detail=f"exit code {code}")
    kind, value = outcome
    if kind == "ok":
        return value
    if kind == "rejected":
        raise value
    if kind == "memory":
        raise rejected("parse.memory", limit=limits.memory_mb or 0)
    raise rejected("parse.failed", detail=str(value))
