"""Saved carbon scenarios: a pathway kept under a name, computed once, compared and exported.

A scenario is computed by the same job as the pathway page (``pathways.compute`` through the
``compute_pathway`` task): in the request when its draws are few, by the background worker
otherwise. Its figures are then stored on the row, so opening or comparing scenarios reads the
database only. Nothing here computes emissions: the figures are the engine's.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Sequence
from typing import Any

import pandas as pd
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ecocite.carbon.pathways import NEUTRALITY_YEAR, PEAK_TARGET_YEAR
from ecocite.cells import neutralised
from ecocite.reports import svg
from ecocite.reports.messages import format_number
from ecocite.web.carbon.models import CarbonInventory, CarbonScenario
from ecocite.web.carbon.pathways import CONTEXT_FIELDS, PathwayRequest, compute
from ecocite.web.core.languages import engine_lang

# Drivers a planner may fix on a scenario (the others are drawn in their drivers.csv range).
SCENARIO_DRIVERS = ("population_growth", "rebalancing_inflow", "rebalancing_years")
LOW, HIGH = "p5", "p95"


def scenario_request(scenario: CarbonScenario) -> PathwayRequest:
    """Return the pathway parameter set of a scenario, on its inventory's current content."""
    record = scenario.inventory
    return PathwayRequest(
        record.pk,
        record.sha256,
        record.gwp_set,
        {name: scenario.context.get(name) for name in CONTEXT_FIELDS},
        {k: float(v) for k, v in sorted(scenario.levers.items())},
        draws=scenario.draws,
        seed=scenario.seed,
        lang=translation.get_language() or settings.LANGUAGE_CODE,
        drivers={k: float(v) for k, v in sorted(scenario.drivers.items())},
    )


def start(scenario: CarbonScenario) -> CarbonScenario:
    """Compute a scenario: at once when its draws are few, else queue the background job.

    A failure is recorded on the scenario (status ``failed`` with its reason), never raised.
    """
    from ecocite.web.carbon.tasks import compute_pathway

    request = scenario_request(scenario)
    CarbonScenario.objects.filter(pk=scenario.pk).update(
        status=CarbonScenario.Status.QUEUED,
        progress=0,
        step="",
        error="",
        result=None,
        computed_at=None,
        inventory_sha256=request.record_sha256,
    )
    if scenario.draws <= settings.CARBON_SCENARIO_INLINE_DRAWS:
        # A failure is kept on the scenario by compute() and shown on its page.
        with contextlib.suppress(Exception):
            compute(request, scenario.pk)
    else:
        compute_pathway.enqueue(request.to_json(), scenario.pk)
    scenario.refresh_from_db()
    return scenario


def save_scenario(
    inventory: CarbonInventory,
    *,
    name: str,
    description: str,
    context: dict[str, float | None],
    levers: dict[str, float],
    drivers: dict[str, float],
    draws: int,
    seed: int,
    user: Any,
) -> CarbonScenario:
    """Save a scenario of an inventory's city and start its computation."""
    author = user if getattr(user, "is_authenticated", False) else None
    scenario = CarbonScenario.objects.create(
        city=inventory.city,
        inventory=inventory,
        name=name,
        description=description,
        context={k: context.get(k) for k in CONTEXT_FIELDS},
        levers={k: float(v) for k, v in sorted(levers.items())},
        drivers={k: float(v) for k, v in sorted(drivers.items())},
        draws=draws,
        seed=seed,
        inventory_sha256=inventory.sha256,
        created_by=author,
    )
    return start(scenario)


def state_of(scenario: CarbonScenario) -> dict[str, Any]:
    """Return the progress of a scenario's computation, as the pathway status does."""
    return {
        "status": scenario.status,
        "progress": scenario.progress,
        "step": scenario.step,
        "error": scenario.error,
    }


def _year_row(result: dict[str, Any], year: int, table: str = "yearly") -> dict[str, Any]:
    for row in result.get(table) or []:
        if int(row["year"]) == year:
            return dict(row)
    return {}


def key_figures(scenario: CarbonScenario) -> dict[str, Any]:
    """Return the figures a comparison shows for one finished scenario (None when missing)."""
    result = scenario.result or {}
    targets = result.get("scenario") or {}
    probabilities = result.get("probabilities") or {}
    first = (result.get("yearly") or [{}])[0]
    in_2030 = _year_row(result, PEAK_TARGET_YEAR)
    fan_2060 = _year_row(result, NEUTRALITY_YEAR, "fan")
    return {
        "base_year": first.get("year"),
        "base_co2e_t": first.get("scenario_co2e_t"),
        "peak_year": targets.get("peak_year"),
        "peak_by_2030_probability": probabilities.get("peak_by_2030"),
        "co2e_2030_t": in_2030.get("scenario_co2e_t"),
        "intensity_reduction_2030": targets.get("intensity_reduction_2030"),
        "intensity_target_probability": probabilities.get("intensity_target_met"),
        "residual_2060_t": targets.get("residual_2060_t"),
        "residual_2060_p5_t": fan_2060.get(LOW),
        "residual_2060_p95_t": fan_2060.get(HIGH),
        "residual_2060_share_median": probabilities.get("residual_2060_share_median"),
    }


def comparison_tables(scenarios: Sequence[CarbonScenario]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the scenarios (one row each: parameters and key figures) and their yearly results.

    Column names are stable identifiers (the exports' header); every row says it is illustrative,
    since the lever and driver ranges are.
    """
    summary, yearly = [], []
    for scenario in scenarios:
        record = scenario.inventory
        summary.append(
            {
                "scenario": scenario.name,
                "description": scenario.description,
                "city": scenario.city.slug,
                "inventory_file": record.original_name,
                "inventory_year": record.year,
                "gwp_set": record.gwp_set,
                "draws": scenario.draws,
                "seed": scenario.seed,
                "levers": json.dumps(scenario.levers, sort_keys=True),
                "drivers": json.dumps(scenario.drivers, sort_keys=True),
                **{f"context_{k}": scenario.context.get(k) for k in CONTEXT_FIELDS},
                "status": scenario.status,
                "stale": scenario.stale,
                **key_figures(scenario),
                "saved_by": scenario.created_by.username if scenario.created_by else "",
                "saved_at": scenario.created_at.isoformat(),
                "computed_at": scenario.computed_at.isoformat() if scenario.computed_at else "",
                "illustrative": True,
            }
        )
        result = scenario.result or {}
        fan = {int(row["year"]): row for row in result.get("fan") or []}
        for row in result.get("yearly") or []:
            band = fan.get(int(row["year"]), {})
            yearly.append(
                {
                    "scenario": scenario.name,
                    "city": scenario.city.slug,
                    "year": int(row["year"]),
                    "population": row.get("population"),
                    "gdp_wan_cny": row.get("gdp_wan_cny"),
                    "bau_co2e_t": row.get("bau_co2e_t"),
                    "scenario_co2e_t": row.get("scenario_co2e_t"),
                    "scenario_energy_co2_t": row.get("scenario_energy_co2_t"),
                    "scenario_co2_per_gdp": row.get("scenario_co2_per_gdp"),
                    **{k: v for k, v in band.items() if k.startswith("p")},
                    "illustrative": True,
                }
            )
    return pd.DataFrame(summary), pd.DataFrame(yearly)


def export_xlsx(scenarios: Sequence[CarbonScenario]) -> bytes:
    """Return the comparison as an XLSX workbook: sheets ``scenarios`` and ``yearly``."""
    summary, yearly = comparison_tables(scenarios)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralised(summary).to_excel(writer, sheet_name="scenarios", index=False)
        neutralised(yearly).to_excel(writer, sheet_name="yearly", index=False)
    return buffer.getvalue()


def export_csv(scenarios: Sequence[CarbonScenario], table: str) -> bytes:
    """Return one table of the comparison (``scenarios`` or ``yearly``) as UTF-8 CSV."""
    summary, yearly = comparison_tables(scenarios)
    frame = summary if table == "scenarios" else yearly
    return neutralised(frame).to_csv(index=False).encode("utf-8")


def _tonnes(value: float) -> str:
    lang = engine_lang()
    if abs(value) >= 1e6:
        return _("%(value)s Mt") % {"value": format_number(value / 1e6, lang, decimals=1)}
    return _("%(value)s t") % {"value": format_number(value, lang, decimals=0)}


def comparison_chart(scenarios: Sequence[CarbonScenario]) -> str:
    """Return the comparison chart: scenario CO2e per year with its 5–95 % band, one per scenario.

    The peak year of each scenario is marked on its line, the 2030 peak target and the 2060
    neutrality year by dashed lines. Only finished scenarios are drawn.
    """
    done = [s for s in scenarios if s.result]
    years: list[int] = []
    series = []
    for scenario in done:
        result = scenario.result or {}
        rows = result.get("yearly") or []
        fan = {int(row["year"]): row for row in result.get("fan") or []}
        these = [int(row["year"]) for row in rows]
        years = years or these
        if these != years:
            continue  # another base year: not on the same axis
        central = [float(row["scenario_co2e_t"]) for row in rows]
        low = [float(fan.get(y, {}).get(LOW, c)) for y, c in zip(these, central, strict=True)]
        high = [float(fan.get(y, {}).get(HIGH, c)) for y, c in zip(these, central, strict=True)]
        peak = (result.get("scenario") or {}).get("peak_year")
        mark = None
        if peak is not None and int(peak) in these:
            value = central[these.index(int(peak))]
            mark = (
                int(peak),
                value,
                _("%(name)s: peak in %(year)s") % {"name": scenario.name, "year": peak},
            )
        series.append(svg.Band(scenario.name, central, low, high, mark))
    names = ", ".join(s.name for s in done)
    title = _("Scenario emissions (t CO2e) with 5–95 %% probability bands, illustrative")
    description = _(
        "Emissions per year of each scenario (%(names)s): the line is the pathway of the plan, "
        "the shaded band holds 90 %% of the Monte Carlo draws, the circle marks the peak year; "
        "dashed lines mark the %(peak)s peak target and %(neutral)s. The table below gives the "
        "same figures."
    ) % {"names": names, "peak": PEAK_TARGET_YEAR, "neutral": NEUTRALITY_YEAR}
    return svg.band_chart(
        years,
        series,
        title=title,
        description=description,
        markers=[
            (PEAK_TARGET_YEAR, _("%(year)s: peak target") % {"year": PEAK_TARGET_YEAR}),
            (NEUTRALITY_YEAR, _("%(year)s: neutrality") % {"year": NEUTRALITY_YEAR}),
        ],
        tick_format=_tonnes,
    )
