"""Charts of a GPC inventory page: BASIC emissions by sector and by scope, as inline SVG.

Drawn by :mod:`ecocite.reports.svg` (no script, no request); every chart has an accessible title
and description and is followed by a table of the same figures. Sector names are the GPC names
in the reader's language.
"""

from __future__ import annotations

from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ecocite.carbon import Inventory
from ecocite.carbon.names import gpc_name
from ecocite.reports import svg
from ecocite.reports.messages import format_number
from ecocite.web.core.languages import engine_lang


def _chart(title: str, description: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    lang = engine_lang()
    total = sum(row["value"] for row in rows) or 1.0
    for row in rows:
        row["share"] = row["value"] / total
    drawing = svg.bar_chart(
        [row["label"] for row in rows],
        [row["value"] for row in rows],
        value_labels=[format_number(row["value"], lang, decimals=0) for row in rows],
        colours=[svg.category_colour(k) for k in range(len(rows))],
        title=title,
        description=description,
        label_width=150.0,
        bar_width=170.0,
    )
    # The SVG escapes every text it draws (labels are GPC names, not user input).
    return {"title": title, "svg": mark_safe(drawing), "rows": rows}


def inventory_charts(inventory: Inventory) -> list[dict[str, Any]]:
    """Return the two charts of an inventory's BASIC total: by GPC sector and by scope."""
    lang = engine_lang()
    frame = inventory.by_sector("basic")
    if frame.empty:
        return []
    sectors = frame.groupby("sector", sort=True)["co2e_t"].sum()
    scopes = frame.groupby("scope", sort=True)["co2e_t"].sum()
    by_sector = [
        {
            "label": gpc_name(str(code), lang, default=str(code)),
            "code": str(code),
            "value": float(v),
        }
        for code, v in sectors.items()
    ]
    names = {1: _("Scope 1"), 2: _("Scope 2"), 3: _("Scope 3")}
    by_scope = [
        {"label": names.get(int(str(scope)), str(scope)), "code": str(scope), "value": float(v)}
        for scope, v in scopes.items()
    ]
    note = _("Bars in tonnes of CO2e; the table below the chart gives the same figures.")
    return [
        _chart(
            _("BASIC emissions by GPC sector (t CO2e)"),
            _("One bar per GPC sector of the BASIC inventory.") + " " + note,
            by_sector,
        ),
        _chart(
            _("BASIC emissions by scope (t CO2e)"),
            _("One bar per scope of the BASIC inventory.") + " " + note,
            by_scope,
        ),
    ]
