"""Background jobs of the carbon pages, run by ``ecocite-web worker``."""

from __future__ import annotations

from django_tasks import task

from ecocite.web.carbon import pathways


@task()
def compute_pathway(request_json: str) -> None:
    """Compute one pathway parameter set and cache its result (the background job)."""
    pathways.compute(pathways.PathwayRequest.from_json(request_json))
