"""The library of cases as open data (CSV, JSON; CC BY 4.0), and its figures in words.

The same rows feed the case page, the comparison and the exports, so a figure reads the same
everywhere. Text cells are defused against formula injection (``ecocite.cells``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from ecocite.cells import neutralise
from ecocite.web.community.models import Case, Method, Theme
from ecocite.web.consultations.models import Status

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

# figure key → (label, kind): kind says how the value is shown (count, share, days).
FIGURES: dict[str, tuple[Any, str]] = {
    "participants": (_("participants"), "count"),
    "proposals": (_("proposals"), "count"),
    "comments": (_("comments"), "count"),
    "supports": (_("supports"), "count"),
    "proposals_answered_share": (_("share of proposals answered"), "share"),
    "median_days_to_answer": (_("median days to answer"), "days"),
    "upstream_days": (_("days between the close of ideas and the decision"), "days"),
    "calls": (_("calls for contributors"), "count"),
    "contributors_universities": (_("contributors from universities"), "count"),
    "contributors_young_professionals": (
        _("contributors who are students or young professionals"),
        "count",
    ),
}

COLUMNS = (
    "slug", "title", "city", "country", "scale", "methods", "themes", "heritage", "population",
    "languages", "published_at", "illustrative", "licence", *FIGURES,
)  # fmt: skip


def figure_rows_from(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Label each known figure; unknown keys are left out, missing values shown as such."""
    return [
        {"key": key, "label": label, "kind": kind, "value": figures.get(key)}
        for key, (label, kind) in FIGURES.items()
    ]


def figure_rows(case: Case) -> list[dict[str, Any]]:
    """Give the labelled figures of a case."""
    return figure_rows_from(case.figures)


def method_labels(case: Case) -> list[str]:
    """Name the methods of a case in the active language."""
    return [str(Method(m).label) for m in case.methods if m in Method.values]


def theme_labels(case: Case) -> list[str]:
    """Name the themes of a case in the active language."""
    return [str(Theme(t).label) for t in case.themes if t in Theme.values]


def decided_rows(case: Case) -> list[dict[str, str]]:
    """Give what was decided, with the status in words."""
    return [
        {
            "title": row.get("title", ""),
            "status": str(Status(row["status"]).label)
            if row.get("status") in Status.values
            else "",
            "answer": row.get("answer", ""),
        }
        for row in case.decided
    ]


def comparison_rows(cases: list[Case]) -> list[dict[str, Any]]:
    """One row per attribute, one cell per case, for the side-by-side page."""
    rows: list[dict[str, Any]] = [
        {"label": _("City"), "kind": "text", "cells": [c.city.name for c in cases]},
        {"label": _("Scale of decision"), "kind": "text", "cells": [c.get_scale_display() for c in cases]},
        {"label": _("Methods"), "kind": "text", "cells": [", ".join(method_labels(c)) for c in cases]},
        {"label": _("Themes"), "kind": "text", "cells": [", ".join(theme_labels(c)) for c in cases]},
        {"label": _("Population"), "kind": "count", "cells": [c.population for c in cases]},
    ]  # fmt: skip
    for key, (label, kind) in FIGURES.items():
        rows.append({"label": label, "kind": kind, "cells": [c.figures.get(key) for c in cases]})
    return rows


def case_row(case: Case) -> dict[str, Any]:
    """Flatten a case to the export's columns (codes, not labels: the schema names them)."""
    row: dict[str, Any] = {
        "slug": case.slug,
        "title": case.title,
        "city": case.city.slug,
        "country": case.city.country,
        "scale": case.scale,
        "methods": " ".join(case.methods),
        "themes": " ".join(case.themes),
        "heritage": case.heritage,
        "population": case.population,
        "languages": " ".join(case.languages),
        "published_at": case.published_at.isoformat(),
        "illustrative": case.illustrative,
        "licence": case.licence,
    }
    for key in FIGURES:
        row[key] = case.figures.get(key)
    return row


def cases_csv(cases: Iterable[Case]) -> str:
    """Write cases as CSV, text cells defused."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for case in cases:
        writer.writerow({k: neutralise(v) for k, v in case_row(case).items()})
    return out.getvalue()


def cases_csv_response(cases: Iterable[Case]) -> HttpResponse:
    """Send the CSV as a download."""
    response = HttpResponse(cases_csv(cases), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ecocite-cases.csv"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


def cases_json_response(cases: Iterable[Case]) -> HttpResponse:
    """Send the cases as JSON with their licence."""
    body = {
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "cases": [case_row(c) | {"decided": c.decided} for c in cases],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="ecocite-cases.json"'
    return response
