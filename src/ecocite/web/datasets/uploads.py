"""Uploads in two steps: store and check in the worker (with a preview), then import on confirmation.

The request only runs the cheap byte checks (size, type, NUL bytes, UTF-8) and stores the file
with a :class:`PendingUpload`; parsing happens in the job worker, in a child process held to the
``ECOCITE_UPLOAD_PARSE_*`` time and memory limits (``services._read``). The check keeps the row
errors or a preview (what will be imported, converted units, warnings); confirming queues the
import, which parses the stored file again under the same limits, checks it is the same table,
and writes all or nothing. The stored file goes once the upload is imported, rejected or discarded
(or after ``ECOCITE_UPLOAD_PENDING_HOURS``): no orphan file is left behind.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ecocite.data import DataImportError, RowError, data_hash
from ecocite.web.cities.models import City
from ecocite.web.core.row_errors import PAGE_ERRORS_SHOWN
from ecocite.web.datasets.models import Dataset, DatasetEvent, PendingUpload, UploadStatus
from ecocite.web.datasets.services import (
    _keep,
    _read,
    check_upload,
    current_values,
    files_removed_on_failure,
)
from ecocite.web.frameworks.registry import framework_by_key

log = logging.getLogger("ecocite.web.datasets")

#: Rows of the table the preview lists (the counts cover them all).
PREVIEW_ROWS = 200


class UploadNotReady(RuntimeError):
    """Confirm or discard asked of an upload that is not waiting for a confirmation."""


def store_upload(
    name: str,
    content: bytes,
    *,
    city: City,
    framework_key: str,
    user: object | None,
    replaces: Dataset | None = None,
) -> PendingUpload:
    """Store a file for checking and queue the check; DataImportError if the bytes are refused.

    The framework must exist (UnknownFrameworkError otherwise); nothing is parsed here.
    """
    check_upload(name, content)
    framework = framework_by_key(framework_key)
    purge_stale_uploads()
    with files_removed_on_failure() as stored, transaction.atomic():
        pending = PendingUpload(
            city=city,
            framework_key=framework.key,
            original_name=Path(name).name[:255],
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
            replaces=replaces,
        )
        pending.file.save(Path(name).name, ContentFile(content), save=False)
        stored.append(pending.file)
        pending.save()
        _enqueue("check", pending.pk)
    pending.refresh_from_db()
    return pending


def _enqueue(step: str, pk: int) -> None:
    from ecocite.web.datasets import tasks

    job = tasks.check_upload_job if step == "check" else tasks.import_upload_job
    # After the commit: the worker (or the immediate backend) must see the stored upload.
    transaction.on_commit(lambda: job.enqueue(pk))


def _set(pending: PendingUpload, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(pending, name, value)
    PendingUpload.objects.filter(pk=pending.pk).update(**fields)


def _drop_file(pending: PendingUpload) -> None:
    if pending.file.name:
        pending.file.storage.delete(pending.file.name)
        PendingUpload.objects.filter(pk=pending.pk).update(file="")
        pending.file.name = ""


def _content(pending: PendingUpload) -> bytes:
    with pending.file.open("rb") as fh:
        content = bytes(fh.read(settings.UPLOAD_MAX_BYTES + 1))
    if hashlib.sha256(content).hexdigest() != pending.sha256:
        raise DataImportError([RowError(pending.original_name, None, "(file)", "file.changed", {})])
    return content


def _storable(value: Any) -> Any:
    """Return a parameter PostgreSQL's JSON accepts (no NUL character in text)."""
    return value.replace("\x00", "\\0") if isinstance(value, str) else value


def _reject(pending: PendingUpload, errors: list[RowError]) -> None:
    stored = [
        {
            "file": _storable(e.file),
            "row": e.row,
            "field": _storable(e.field),
            "message_id": e.message_id,
            "params": {k: _storable(v) for k, v in e.params.items()},
        }
        for e in errors[:PAGE_ERRORS_SHOWN]
    ]
    _drop_file(pending)
    _set(
        pending,
        status=UploadStatus.REJECTED,
        errors=stored,
        error_count=len(errors),
        progress=100,
        finished_at=timezone.now(),
    )


def check(pk: int) -> None:
    """Parse and validate a stored upload, then keep its preview or its row errors (the job)."""
    pending = PendingUpload.objects.select_related("city").filter(pk=pk).first()
    if pending is None or pending.status != UploadStatus.QUEUED:
        return
    _set(pending, status=UploadStatus.CHECKING, progress=10)
    try:
        table = _read(
            pending.original_name,
            _content(pending),
            framework_key=pending.framework_key,
            cities=[pending.city.slug],
        )
        _set(pending, progress=80)
        preview = build_preview(table, pending)
    except DataImportError as exc:
        _reject(pending, _other_city(pending, exc.errors))
        return
    except Exception as exc:  # a failed job is shown with its reason, never a traceback
        log.exception("checking upload %s failed", pk)
        _reject(pending, [RowError(pending.original_name, None, "(file)", "parse.failed",
                                   {"detail": type(exc).__name__})])  # fmt: skip
        return
    _set(pending, status=UploadStatus.READY, preview=preview, progress=100,
         finished_at=timezone.now())  # fmt: skip


def build_preview(table: pd.DataFrame, pending: PendingUpload) -> dict[str, Any]:
    """Return what an import would bring: counts by indicator and year, sample rows, warnings."""
    per_indicator: dict[str, Counter[int]] = defaultdict(Counter)
    for indicator, year in zip(table["indicator"], table["year"], strict=True):
        per_indicator[str(indicator)][int(year)] += 1
    units = dict(zip(table["indicator"], table["unit"], strict=False))
    years = sorted({int(y) for y in table["year"]})
    warnings: list[dict[str, Any]] = []
    converted = table[table["original_unit"] != table["unit"]]
    pairs = Counter(zip(converted["original_unit"], converted["unit"], strict=True))
    for (original, target), rows in sorted(pairs.items()):
        warnings.append(
            {"id": "converted", "params": {"count": int(rows), "from": original, "to": target}}
        )
    skipped = int(table.attrs.get("template_rows_skipped", 0))
    if skipped:
        warnings.append({"id": "template_skipped", "params": {"count": skipped}})
    unverified = int((~table["verified"].astype(bool)).sum())
    if unverified:
        warnings.append({"id": "unverified", "params": {"count": unverified}})
    low = int((table["quality"] == "low").sum())
    if low:
        warnings.append({"id": "low_quality", "params": {"count": low}})
    current = current_values(pending.city)
    if len(current):
        keys = set(zip(current["year"].astype(int), current["indicator"], strict=True))
        overlap = sum(
            (int(y), str(i)) in keys for y, i in zip(table["year"], table["indicator"], strict=True)
        )
        if overlap and pending.replaces_id is None:
            warnings.append({"id": "supersedes", "params": {"count": int(overlap)}})
    sample = [
        {
            "row": int(r["row"]),
            "year": int(r["year"]),
            "indicator": str(r["indicator"]),
            "original_value": float(r["original_value"]),
            "original_unit": str(r["original_unit"]),
            "value": float(r["value"]),
            "unit": str(r["unit"]),
            "source": str(r["source"]),
            "quality": str(r["quality"]),
            "verified": bool(r["verified"]),
        }
        for r in table.head(PREVIEW_ROWS).to_dict("records")
    ]
    return {
        "rows": len(table),
        "years": years,
        "indicators": [
            {
                "indicator": ind,
                "unit": str(units[ind]),
                "rows": sum(counts.values()),
                "years": {str(y): n for y, n in sorted(counts.items())},
            }
            for ind, counts in sorted(per_indicator.items())
        ],
        "sample": sample,
        "warnings": warnings,
        "data_hash": data_hash(table),
    }


def confirm(pending: PendingUpload, *, user: object | None) -> None:
    """Queue the import of a checked upload (all or nothing); UploadNotReady if it is not ready."""
    moved = PendingUpload.objects.filter(pk=pending.pk, status=UploadStatus.READY).update(
        status=UploadStatus.IMPORTING, progress=10
    )
    if not moved:
        raise UploadNotReady(pending.status)
    if getattr(user, "is_authenticated", False):
        PendingUpload.objects.filter(pk=pending.pk).update(uploaded_by=user)
    with transaction.atomic():
        _enqueue("import", pending.pk)
    pending.refresh_from_db()


def run_import(pk: int) -> None:
    """Import a confirmed upload all or nothing, then delete the stored file (the job)."""
    pending = (
        PendingUpload.objects.select_related("city", "uploaded_by", "replaces")
        .filter(pk=pk)
        .first()
    )
    if pending is None or pending.status != UploadStatus.IMPORTING:
        return
    try:
        content = _content(pending)
        table = _read(
            pending.original_name,
            content,
            framework_key=pending.framework_key,
            cities=[pending.city.slug],
        )
        if data_hash(table) != pending.preview.get("data_hash"):
            raise DataImportError(
                [RowError(pending.original_name, None, "(file)", "file.changed", {})]
            )
        _set(pending, progress=60)
        with files_removed_on_failure() as stored, transaction.atomic():
            if (
                pending.replaces is not None
                and not Dataset.objects.in_force().filter(pk=pending.replaces.pk).exists()
            ):
                raise DataImportError(
                    [RowError(pending.original_name, None, "(file)", "replace.not_in_force", {})]
                )
            dataset = _keep(
                table,
                pending.original_name,
                content,
                stored=stored,
                city=pending.city,
                framework_key=pending.framework_key,
                user=pending.uploaded_by,
                illustrative=pending.illustrative,
            )
            if pending.replaces is not None:
                _record_replacement(pending.replaces, dataset, pending.uploaded_by)
            _set(
                pending,
                status=UploadStatus.IMPORTED,
                dataset=dataset,
                progress=100,
                finished_at=timezone.now(),
            )
    except DataImportError as exc:
        _reject(pending, exc.errors)
        return
    except Exception:
        log.exception("importing upload %s failed", pk)
        _reject(pending, [RowError(pending.original_name, None, "(file)", "parse.failed",
                                   {"detail": "import"})])  # fmt: skip
        return
    _drop_file(pending)


def _record_replacement(old: Dataset, new: Dataset, user: Any) -> None:
    """Mark ``old`` as replaced by ``new``; both histories say so (the caller holds the transaction)."""
    Dataset.objects.filter(pk=old.pk).update(replaced_by=new)
    DatasetEvent.objects.create(dataset=old, action="replaced", user=user, other=new)
    DatasetEvent.objects.create(dataset=new, action="replaced", user=user, other=old)


def discard(pending: PendingUpload) -> None:
    """Delete a stored upload and its file, unless its import is under way.

    An upload still waiting for its check, or being checked, may go: the check job then finds
    nothing to do (or nothing to write its result to).
    """
    if pending.status == UploadStatus.IMPORTING:
        raise UploadNotReady(pending.status)
    _drop_file(pending)
    pending.delete()


def purge_stale_uploads() -> int:
    """Delete uploads left unconfirmed for ``ECOCITE_UPLOAD_PENDING_HOURS``; return how many."""
    cutoff = timezone.now() - timedelta(hours=settings.UPLOAD_PENDING_HOURS)
    stale = PendingUpload.objects.filter(created_at__lt=cutoff).exclude(
        status=UploadStatus.IMPORTED
    )
    count = 0
    for pending in stale:
        _drop_file(pending)
        pending.delete()
        count += 1
    return count


def stored_errors(pending: PendingUpload) -> list[RowError]:
    """Return the row errors kept for an upload, as RowError objects."""
    return [
        RowError(e["file"], e["row"], e["field"], e["message_id"], e.get("params") or {})
        for e in pending.errors
    ]


def upload_state(pending: PendingUpload) -> dict[str, Any]:
    """Return ``status``, ``progress`` and ``step`` as the progress poller reads them."""
    ended = pending.status in (UploadStatus.READY, UploadStatus.REJECTED, UploadStatus.IMPORTED)
    return {
        "status": "finished" if ended else pending.status,
        "progress": pending.progress,
        "step": pending.get_status_display(),
    }


class DatasetNotInForce(RuntimeError):
    """Replace or withdraw asked of a dataset already withdrawn or replaced."""


def withdraw(dataset: Dataset, *, reason: str, user: object | None) -> None:
    """Withdraw a dataset with a reason: its values no longer count; nothing is deleted.

    Frozen assessments keep the values they used (their own snapshot); the history says who
    withdrew it, when and why.
    """
    reason = reason.strip()
    if not reason:
        raise ValueError("a withdrawal needs a reason")
    with transaction.atomic():
        moved = Dataset.objects.filter(
            pk=dataset.pk, withdrawn_at__isnull=True, replaced_by__isnull=True
        ).update(withdrawn_at=timezone.now(), withdrawn_reason=reason)
        if not moved:
            raise DatasetNotInForce(dataset.pk)
        DatasetEvent.objects.create(
            dataset=dataset,
            action=DatasetEvent.Action.WITHDRAWN,
            user=user if getattr(user, "is_authenticated", False) else None,
            reason=reason,
        )
    dataset.refresh_from_db()


def store_replacement(
    dataset: Dataset, name: str, content: bytes, *, user: object | None
) -> PendingUpload:
    """Store a corrected file for a dataset and queue its check (the same two steps as an upload).

    Once confirmed, the new dataset replaces the old one, whose values stop counting.
    """
    if not dataset.in_force:
        raise DatasetNotInForce(dataset.pk)
    return store_upload(
        name,
        content,
        city=dataset.city,
        framework_key=dataset.framework_key,
        user=user,
        replaces=dataset,
    )


def _other_city(pending: PendingUpload, errors: list[RowError]) -> list[RowError]:
    """Say first, once, that a file has another city's rows; the row errors follow."""
    others = sorted(
        {str(e.params.get("value", "")) for e in errors if e.message_id == "city.unknown"}
    )
    if not others:
        return errors
    found = RowError(
        pending.original_name,
        None,
        "city",
        "file.other_city",
        {"found": ", ".join(others)[:200], "city": pending.city.slug},
    )
    return [found, *errors]
