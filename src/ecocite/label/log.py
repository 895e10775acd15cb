"""The decision log: a hash chain of label decisions that anyone can re-check.

Each entry is hashed with SHA-256 over the canonical JSON of every field except ``hash``
(including ``prev``, the previous entry's hash), so changing, removing or reordering a row
breaks the chain at that row. Personal data (who acted, free-text comments) lives in an
optional ``private`` object that is committed to by ``private_digest`` (salted) only: the
public view drops ``private`` and still verifies end to end.

Verification works on plain dictionaries (one ``json.loads`` per line), not on models, so a
million entries verify in seconds.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from ecocite.label.errors import CanonicalJSONError, ChainBroken, LogFormatError

_fast_dumps: Callable[[Any], bytes] | None
try:  # optional speed-up (the "label" extra): reads and re-encodes log lines several times faster
    import orjson

    _loads: Callable[[bytes], Any] = orjson.loads

    def _fast_dumps(value: Any) -> bytes:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)

except ImportError:  # pragma: no cover - the standard library reads the same JSON
    _loads = json.loads
    _fast_dumps = None


_LONG_DIGITS = re.compile(rb"\d{19}")
GENESIS = "0" * 64
EntryKind = Literal["transition", "review_submission", "vote", "decision", "evidence"]
KINDS: frozenset[str] = frozenset(EntryKind.__args__)  # type: ignore[attr-defined]
BreakReason = Literal[
    "malformed",
    "changed",
    "rewritten",
    "missing",
    "reordered",
    "broken_link",
    "private_mismatch",
    "evidence_missing",
    "evidence_mismatch",
    "truncated",
]
_HASHED = ("seq", "time", "kind", "role", "payload", "evidence", "private_digest", "prev")
_HASHED_SET = frozenset(_HASHED)
_FIELDS = frozenset((*_HASHED, "hash", "private"))


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Frozen):
    """An evidence file, named relative to the evidence folder, by its SHA-256."""

    name: str
    sha256: str


class LogEntry(_Frozen):
    """One decision-log row, as written in the JSON Lines file."""

    seq: int
    time: str
    kind: EntryKind
    role: str
    payload: dict[str, Any]
    evidence: list[Evidence]
    private_digest: str | None
    prev: str
    hash: str
    private: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the row as written in the file (no ``private`` key when there is none)."""
        data = self.model_dump(mode="json")
        if data["private"] is None:
            del data["private"]
        return data


class Break(_Frozen):
    """The first broken entry: its position in the log (0-based), its ``seq`` and why."""

    index: int
    seq: int | None
    reason: BreakReason
    detail: str


class Verification(_Frozen):
    """The outcome of :func:`verify`: ``ok`` with count and head hash, or the first break."""

    ok: bool
    count: int
    head: str
    broken: Break | None = None


# canonical JSON ------------------------------------------------------------------------------
def _normalise(value: Any) -> Any:
    """Numbers in one spelling: integral floats become integers, -0.0 becomes 0."""
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CanonicalJSONError(f"{value!r} has no canonical JSON form")
        return int(value) if value.is_integer() else value
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalJSONError(f"object keys must be strings, not {key!r}")
            out[key] = _normalise(item)
        return out
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    raise CanonicalJSONError(f"{type(value).__name__} cannot be written as canonical JSON")


def canonical_json(value: Any) -> bytes:
    r"""Return the canonical JSON bytes of ``value``.

    Keys sorted, no whitespace, UTF-8 (no ``\u`` escapes except control characters),
    integers in decimal, floats in the shortest form that reads back to the same double
    (Python's ``repr``), integral floats written as integers, NaN and infinity refused.

    Raises
    ------
    CanonicalJSONError
        If ``value`` holds a non-finite float, a non-string key or an unsupported type.
    """
    return _dumps(_normalise(value))


_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)  # built once: json.dumps with options builds a new encoder on every call


def _dumps(value: Any) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")


def entry_hash(entry: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of the hashed fields of ``entry``."""
    return hashlib.sha256(canonical_json({k: entry.get(k) for k in _HASHED})).hexdigest()


def private_digest(private: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a private part (which carries its own random salt)."""
    return hashlib.sha256(canonical_json(private)).hexdigest()


def file_sha256(path: Path) -> str:
    """SHA-256 (hex) of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# writing ------------------------------------------------------------------------------------
class DecisionLog:
    """An append-only decision log held in memory; :meth:`write_jsonl` saves it.

    Parameters
    ----------
    entries
        Existing entries (e.g. from :func:`read_jsonl`); they are verified first.
    """

    def __init__(self, entries: Sequence[LogEntry] = ()) -> None:
        result = verify([e.to_json() for e in entries])
        if result.broken is not None:
            raise ChainBroken(result.broken.index, result.broken.reason, result.broken.detail)
        self._entries = list(entries)

    @property
    def entries(self) -> list[LogEntry]:
        """Return a copy of the entries, oldest first."""
        return list(self._entries)

    @property
    def head(self) -> str:
        """Return the last entry's hash (``GENESIS`` for an empty log)."""
        return self._entries[-1].hash if self._entries else GENESIS

    def __len__(self) -> int:
        return len(self._entries)

    def append(
        self,
        kind: EntryKind,
        role: str,
        payload: Mapping[str, Any] | None = None,
        *,
        evidence: Iterable[Evidence] = (),
        private: Mapping[str, Any] | None = None,
        time: datetime | None = None,
    ) -> LogEntry:
        """Append one entry and return it.

        Parameters
        ----------
        kind
            transition, review_submission, vote, decision or evidence.
        role
            The actor's role (public), e.g. ``secretariat`` or ``jury_chair``.
        payload
            Public facts of the decision (stage names, levels, counts); no personal data.
        evidence
            Evidence files by hash (see :func:`file_sha256`).
        private
            Personal data (actor id, comment); salted and committed to by digest only.
        time
            UTC time of the decision (default: now).
        """
        entry = make_entry(
            len(self._entries),
            self.head,
            kind,
            role,
            payload,
            evidence=evidence,
            private=private,
            time=time,
        )
        self._entries.append(entry)
        return entry


def make_entry(
    seq: int,
    prev: str,
    kind: EntryKind,
    role: str,
    payload: Mapping[str, Any] | None = None,
    *,
    evidence: Iterable[Evidence] = (),
    private: Mapping[str, Any] | None = None,
    time: datetime | None = None,
) -> LogEntry:
    """Build the entry that follows ``prev`` at position ``seq`` (for logs kept elsewhere).

    :meth:`DecisionLog.append` uses it; a database that stores the log row by row calls it
    with its own head and count. Parameters as for :meth:`DecisionLog.append`.
    """
    if kind not in KINDS:
        raise CanonicalJSONError(f"unknown entry kind {kind!r}")
    when = (time or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    secret = None
    if private is not None:
        secret = {**_normalise(dict(private)), "salt": secrets.token_hex(16)}
    body: dict[str, Any] = {
        "seq": seq,
        "time": when,
        "kind": kind,
        "role": role,
        "payload": _normalise(dict(payload or {})),
        "evidence": [e.model_dump() for e in evidence],
        "private_digest": private_digest(secret) if secret is not None else None,
        "prev": prev,
    }
    return LogEntry(**body, hash=entry_hash(body), private=secret)


def public_view(entries: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """Yield the entries without their private part: roles only, and still verifiable."""
    for entry in entries:
        yield {k: v for k, v in entry.items() if k != "private"}


# reading and writing files ------------------------------------------------------------------
def write_jsonl(entries: Iterable[LogEntry | Mapping[str, Any]], path: Path) -> int:
    """Write entries as JSON Lines (one canonical JSON object a line); atomic. Returns count."""
    tmp = path.with_suffix(path.suffix + ".part")
    count = 0
    with tmp.open("wb") as handle:
        for entry in entries:
            data = entry.to_json() if isinstance(entry, LogEntry) else dict(entry)
            handle.write(_dumps(data) + b"\n")
            count += 1
    tmp.replace(path)
    return count


def iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Entries of a JSON Lines log as dictionaries (blank lines skipped).

    Raises
    ------
    LogFormatError
        With file and line if a line is not a JSON object.
    """
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                # orjson reads integers beyond 64 bits as floats: those lines go to json
                data = json.loads(line) if _LONG_DIGITS.search(line) else _loads(line)
            except ValueError as exc:
                raise LogFormatError(str(path), number, "<line>", f"not JSON ({exc})") from None
            if not isinstance(data, dict):
                raise LogFormatError(str(path), number, "<line>", "not a JSON object")
            yield data


def read_jsonl(path: Path) -> list[LogEntry]:
    """Read a JSON Lines log as :class:`LogEntry` models (use :func:`iter_jsonl` for speed)."""
    entries = []
    for number, data in enumerate(iter_jsonl(path), start=1):
        try:
            entries.append(LogEntry.model_validate(data))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise LogFormatError(str(path), number, field, str(first["msg"])) from None
    return entries


# verification -------------------------------------------------------------------------------
def _hash_matches(entry: Mapping[str, Any]) -> bool:
    stored = entry["hash"]
    hashed = {k: entry[k] for k in _HASHED}
    # Fast paths first. A match proves the entry intact whichever encoder produced the bytes
    # (SHA-256 is collision resistant and both encodings can be read back); only a mismatch
    # needs the exact canonical form, which orjson does not always write (float exponents).
    try:
        if _fast_dumps is not None and hashlib.sha256(_fast_dumps(hashed)).hexdigest() == stored:
            return True
    except TypeError:  # e.g. an integer beyond 64 bits: the standard library handles it
        pass
    try:
        if hashlib.sha256(_dumps(hashed)).hexdigest() == stored:
            return True
        return hashlib.sha256(canonical_json(hashed)).hexdigest() == stored
    except (CanonicalJSONError, ValueError, TypeError):
        return False


def _malformed(entry: Mapping[str, Any]) -> str | None:
    # the common case first: exactly the expected fields, an integer seq
    size = len(entry)
    if (
        (size == 9 or (size == 10 and "private" in entry))
        and entry.keys() >= _HASHED_SET
        and type(entry["seq"]) is int
        and type(entry["evidence"]) is list
    ):
        return None
    if set(entry) - _FIELDS:
        return f"unknown field(s) {sorted(set(entry) - _FIELDS)}"
    for key in (*_HASHED, "hash"):
        if key not in entry:
            return f"field {key!r} is missing"
    if type(entry["seq"]) is not int:
        return "field 'seq' is not an integer"
    if not isinstance(entry["evidence"], list):
        return "field 'evidence' is not a list"
    return None


def verify(
    entries: Iterable[Mapping[str, Any]],
    *,
    evidence_dir: Path | None = None,
    expected_head: str | None = None,
    expected_count: int | None = None,
    start: int = 0,
    start_prev: str = GENESIS,
) -> Verification:
    """Re-check the whole chain and return the first broken entry with the reason.

    Parameters
    ----------
    entries
        Log entries as dictionaries, in file order (a list, or :func:`iter_jsonl`).
    evidence_dir
        If given, every evidence file is read there and its SHA-256 compared.
    start, start_prev
        Where a part of a log begins (its first ``seq`` and the hash before it), to verify a
        log in parts; a whole log starts at 0 and ``GENESIS``.
    expected_head, expected_count
        An anchor kept elsewhere (a certificate, a previous export): the only way to notice
        that the last rows were cut off.

    Returns
    -------
    Verification
        ``ok`` with ``count`` and ``head`` hash, or ``broken`` with index, seq and reason:
        ``changed`` (a row's content no longer matches its hash), ``rewritten`` (a row was
        re-hashed, so the next row's link disagrees), ``missing`` (rows removed),
        ``reordered``, ``broken_link``, ``private_mismatch``, ``evidence_missing``,
        ``evidence_mismatch``, ``truncated`` (anchor not reached) or ``malformed``.
    """
    rows = iter(entries)
    prev = start_prev
    index = -1
    last_seq: int | None = None

    def broken(reason: BreakReason, detail: str, seq: Any) -> Verification:
        seq_ = seq if isinstance(seq, int) and not isinstance(seq, bool) else None
        return Verification(
            ok=False,
            count=index,
            head=prev,
            broken=Break(index=index, seq=seq_, reason=reason, detail=detail),
        )

    for index, entry in enumerate(rows):
        problem = _malformed(entry)
        if problem:
            return broken("malformed", problem, entry.get("seq"))
        seq = entry["seq"]
        if not _hash_matches(entry):
            return broken("changed", "the content no longer matches the entry's hash", seq)
        if seq != index + start:
            if seq > index + start and not _seq_later(rows, index + start):
                return broken("missing", f"entries {index + start}…{seq - 1} are missing", seq)
            return broken("reordered", f"entry {seq} found at position {index + start}", seq)
        if entry["prev"] != prev:
            if index > 0 and last_seq == index + start - 1:
                index -= 1  # the previous row was re-hashed after it was written
                return broken(
                    "rewritten", "the next entry was chained to a different version", index
                )
            return broken("broken_link", "'prev' is not the previous entry's hash", seq)
        if entry.get("private") is not None and (
            entry["private_digest"] != _safe_digest(entry["private"])
        ):
            return broken("private_mismatch", "the private part does not match its digest", seq)
        if evidence_dir is not None:
            for item in entry["evidence"]:
                name = item.get("name", "") if isinstance(item, dict) else ""
                file = evidence_dir / name
                if not name or not file.is_file():
                    return broken("evidence_missing", f"evidence file {name!r} not found", seq)
                if file_sha256(file) != item.get("sha256"):
                    return broken("evidence_mismatch", f"evidence file {name!r} was replaced", seq)
        prev = entry["hash"]
        last_seq = seq
    count = index + 1
    index = count
    if expected_count is not None and count < expected_count:
        return broken("truncated", f"{count} entries, the anchor says {expected_count}", None)
    if expected_head is not None and prev != expected_head:
        index = count - 1 if count else 0
        return broken("truncated", "the last entry is not the anchored head", None)
    return Verification(ok=True, count=count, head=prev)


def _seq_later(rows: Iterator[Mapping[str, Any]], seq: int) -> bool:
    """Whether ``seq`` appears in the rest of the log (only read on the failure path)."""
    return any(r.get("seq") == seq for r in rows)


def _safe_digest(private: Any) -> str | None:
    try:
        return private_digest(private)
    except (CanonicalJSONError, AttributeError):
        return None
