"""Background jobs of the carbon pages, run by ``ecocite-web worker``."""

from __future__ import annotations

from django_tasks import task

from ecocite.web.carbon import pathways


@task()
def compute_pathway(request_json: str, scenario_id: int | None = None) -> None:
    """Compute one pathway parameter set and cache its result (the background job).

    With ``scenario_id``, the saved scenario of these parameters keeps the result's figures.
    """
    pathways.compute(pathways.PathwayRequest.from_json(request_json), scenario_id)
