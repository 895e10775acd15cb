"""The pathway service: a carbon pathway to 2060 with its Monte Carlo, cached and run in the worker.

A pathway page is public, and its 2,000-draw Monte Carlo takes seconds of CPU. So the request
never computes it: it asks for the result of a parameter set (the stored inventory, the city
context and the levers). A result computed before comes from the shared cache at once; otherwise
one job is queued for the background worker (however many visitors ask at the same moment), and
the page shows its progress until the result is there. The figures are the engine's
(``pathway_base``, ``run_pathway``, ``monte_carlo``), unchanged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import ecocite
from ecocite.carbon import fan_chart_svg, monte_carlo, pathway_base, run_pathway, wedge_chart_svg
from ecocite.carbon.names import lever_name
from ecocite.carbon.pathways import PEAK_TARGET_YEAR
from ecocite.reports.messages import format_number
from ecocite.web.carbon.models import CarbonInventory
from ecocite.web.carbon.services import context_from_form, load_inventory
from ecocite.web.core.languages import engine_lang

MONTE_CARLO_DRAWS = 2000
MONTE_CARLO_SEED = 1
CONTEXT_FIELDS = ("population", "gdp_wan_cny", "co2_2005_t", "gdp_2005_wan_cny")

log = logging.getLogger("ecocite.web.carbon")


class PathwayBusy(RuntimeError):
    """Too many pathways are waiting for the worker; the visitor is asked to come back."""


@dataclass(frozen=True)
class PathwayRequest:
    """One parameter set: which inventory (by content), which context, which levers."""

    record_id: int
    record_sha256: str
    gwp_set: str
    context: dict[str, float | None] = field(default_factory=dict)
    levers: dict[str, float] = field(default_factory=dict)
    draws: int = MONTE_CARLO_DRAWS
    seed: int = MONTE_CARLO_SEED
    # The charts' words are drawn into the SVG: one cached result per language.
    lang: str = "en"
    # Drivers fixed by the planner (a saved scenario); the others are drawn in their range.
    drivers: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(
        cls, record: CarbonInventory, cleaned: dict[str, Any], levers: dict[str, float]
    ) -> PathwayRequest:
        """Return the parameter set of a pathway form for an inventory, in the page's language."""
        context = {
            name: None if cleaned.get(name) is None else float(cleaned[name])
            for name in CONTEXT_FIELDS
        }
        return cls(
            record.pk,
            record.sha256,
            record.gwp_set,
            context,
            {k: float(v) for k, v in sorted(levers.items())},
            lang=translation.get_language() or settings.LANGUAGE_CODE,
        )

    def to_json(self) -> str:
        """Return the parameters as canonical JSON (sorted keys), as the job receives them."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> PathwayRequest:
        """Return the parameter set a job received."""
        return cls(**json.loads(text))

    @property
    def key(self) -> str:
        """Return the cache key of this parameter set."""
        # The engine's version is part of the key: a new engine never serves an old figure.
        raw = f"{ecocite.__version__}|{self.to_json()}"
        return hashlib.sha256(raw.encode()).hexdigest()[:40]


def _result_key(request: PathwayRequest) -> str:
    return f"ecocite:pathway:result:{request.key}"


def _state_key(request: PathwayRequest) -> str:
    return f"ecocite:pathway:state:{request.key}"


def cached_result(request: PathwayRequest) -> dict[str, Any] | None:
    """Return the finished result of this parameter set, if it was computed (and is still cached)."""
    found = cache.get(_result_key(request))
    return found if isinstance(found, dict) else None


def state(request: PathwayRequest) -> dict[str, Any]:
    """``status`` (``finished``, ``queued``, ``running``, ``failed`` or ``absent``), progress."""
    if cached_result(request) is not None:
        return {"status": "finished", "progress": 100, "step": "done", "error": ""}
    found = cache.get(_state_key(request))
    if isinstance(found, dict):
        return {"progress": 0, "step": "", "error": "", **found}
    return {"status": "absent", "progress": 0, "step": "", "error": ""}


def _queued() -> int:
    from django_tasks_db.models import DBTaskResult

    from ecocite.web.carbon.tasks import compute_pathway

    return DBTaskResult.objects.filter(
        status="READY", task_path=compute_pathway.module_path
    ).count()


def request_pathway(request: PathwayRequest) -> dict[str, Any]:
    """Return the result if cached; otherwise make sure one job computes it. Returns ``state``.

    Raises PathwayBusy when ``PATHWAY_QUEUE_LIMIT`` pathways already wait for the worker.
    """
    from ecocite.web.carbon.tasks import compute_pathway

    current = state(request)
    if current["status"] != "absent":
        return current
    if _queued() >= settings.PATHWAY_QUEUE_LIMIT:
        raise PathwayBusy("too many pathways are being computed; try again in a minute")
    # cache.add is atomic: of many visitors asking at once, one queues the job.
    if cache.add(_state_key(request), {"status": "queued"}, timeout=settings.PATHWAY_PENDING_S):
        compute_pathway.enqueue(request.to_json())
    return state(request)


def _set_state(
    request: PathwayRequest, status: str, progress: int, step: str, error: str = ""
) -> None:
    cache.set(
        _state_key(request),
        {"status": status, "progress": progress, "step": step, "error": error},
        timeout=settings.PATHWAY_PENDING_S,
    )


def _json_safe(value: Any) -> Any:
    """Return ``value`` with numpy scalars as Python numbers and NaN/infinity as ``None``.

    A stored scenario result goes into a JSON column; PostgreSQL refuses ``NaN`` there.
    """
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def figures(result: dict[str, Any]) -> dict[str, Any]:
    """Return the language-free figures of a pathway result (no chart), safe for a JSON column."""
    kept = {k: v for k, v in result.items() if not k.endswith("_svg")}
    context = kept.get("context")
    if context is not None and not isinstance(context, dict):
        kept["context"] = asdict(context)
    return _json_safe(kept)


def compute(request: PathwayRequest, scenario_id: int | None = None) -> dict[str, Any]:
    """Run the engine for one parameter set and cache the result (the worker's job).

    With ``scenario_id``, the saved scenario of these parameters follows the progress and keeps
    the figures of the result (a result already in the cache is taken as it is).
    """
    from ecocite.web.carbon.models import CarbonScenario

    # A scenario deleted while its job runs is simply no longer updated.
    scenario = CarbonScenario.objects.filter(pk=scenario_id) if scenario_id else None

    def progress(status: str, percent: int, step: str, error: str = "") -> None:
        _set_state(request, status, percent, step, error)
        if scenario is not None:
            scenario.update(status=status, progress=percent, step=step, error=error[:2000])

    found = cached_result(request)
    if found is not None:
        if scenario is not None:
            _keep(scenario, found)
        return found
    try:
        record = CarbonInventory.objects.select_related("city").get(pk=request.record_id)
        if record.sha256 != request.record_sha256 or record.gwp_set != request.gwp_set:
            raise LookupError("the inventory has changed since the pathway was asked for")
        progress("running", 10, "inventory")
        context = context_from_form(record, dict(request.context))
        base = pathway_base(load_inventory(record), context)
        progress("running", 30, "pathway")
        drivers = dict(request.drivers)
        path = run_pathway(base, levers=request.levers, drivers=drivers)
        progress("running", 50, "monte carlo")
        mc = monte_carlo(
            base, draws=request.draws, seed=request.seed, levers=request.levers, drivers=drivers
        )
        with translation.override(request.lang):
            wedge, fan = _wedge_texts(record, path), _fan_texts(record, mc.draws)
        result = {
            "context": context,
            "yearly": path.yearly.to_dict("records"),
            "bau": path.targets["bau"],
            "scenario": path.targets["scenario"],
            "definitions": path.targets.get("definitions", {}),
            "probabilities": mc.probabilities,
            "draws": mc.draws,
            "seed": mc.seed,
            "drivers": drivers,
            # Percentiles of scenario CO2e per year: the probability bands of a comparison.
            "fan": mc.fan.drop(columns=["city"]).to_dict("records"),
            "peak_target_year": str(PEAK_TARGET_YEAR),  # a year, not a quantity: no grouping
            # The engine escapes every text it writes into its self-contained SVG.
            "wedge_svg": wedge_chart_svg(path, texts=wedge),
            "fan_svg": fan_chart_svg(mc, path, texts=fan),
        }
    except Exception as exc:  # shown on the page with its reason, never a traceback
        log.exception("pathway %s failed", request.key)
        progress("failed", 100, "failed", f"{type(exc).__name__}: {exc}")
        raise
    cache.set(_result_key(request), result, timeout=settings.PATHWAY_CACHE_S)
    cache.delete(_state_key(request))
    if scenario is not None:
        _keep(scenario, result)
    return result


def _keep(scenario: Any, result: dict[str, Any]) -> None:
    """Store a result's figures on its scenario (a queryset): reopening it needs no computation."""
    scenario.update(
        result=figures(result),
        status="finished",
        progress=100,
        step="done",
        error="",
        computed_at=timezone.now(),
    )


def _wedge_texts(record: CarbonInventory, path: Any) -> dict[str, str]:
    """Return the wedge chart's words in the reader's language (the engine draws them in English)."""
    lang = engine_lang()
    texts = {
        "title": _("%(city)s: emission wedges by lever") % {"city": record.city.name},
        "note": _("ILLUSTRATIVE levers and drivers"),
        "scenario": _("scenario"),
        "bau": _("business as usual"),
    }
    for lever in path.wedges.columns:
        texts[f"lever:{lever}"] = lever_name(str(lever), lang, default=str(lever))
    return texts


def _fan_texts(record: CarbonInventory, draws: int) -> dict[str, str]:
    """Return the fan chart's words in the reader's language."""
    return {
        "title": _("%(city)s: scenario CO2e, Monte Carlo with %(draws)s draws")
        % {"city": record.city.name, "draws": format_number(draws, engine_lang())},
        "note": _("ILLUSTRATIVE ranges (levers.csv, drivers.csv)"),
        "percentile": _("percentiles {lower}–{upper}"),
        "median": _("median"),
        "bau_central": _("business as usual (central)"),
    }
