"""Background jobs. The database queue needs no broker; ``ecocite-web worker`` runs them."""

from __future__ import annotations

from django_tasks import task

from ecocite.web.assessments.execution import execute


@task()
def run_assessment(run_id: int) -> None:
    """Run one queued assessment (the background job)."""
    execute(run_id)
