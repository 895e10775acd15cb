"""Background jobs of the datasets app, run by ``ecocite-web worker``."""

from __future__ import annotations

from django_tasks import task

from ecocite.web.datasets import uploads


@task()
def check_upload_job(upload_id: int) -> None:
    """Parse and validate a stored upload under the parse limits; keep its preview or errors."""
    uploads.check(upload_id)


@task()
def import_upload_job(upload_id: int) -> None:
    """Import a confirmed upload, all or nothing (the background job)."""
    uploads.run_import(upload_id)
