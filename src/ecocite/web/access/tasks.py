"""Background job of the access app (the database queue; ``ecocite-web worker`` runs it)."""

from __future__ import annotations

from django_tasks import task

from ecocite.web.access import services


@task()
def run_access(run_id: int) -> None:
    """Run one queued walking-access analysis (the background job)."""
    services.execute(run_id)
