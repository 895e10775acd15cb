"""Reports of the Assess capability: self-contained HTML (and PDF) in French, Chinese and English.

- :func:`render_city_report` — one city's assessment: level and reasons, scores, radar chart,
  indicators, gap to the next level, boundary map, provenance and the trend over earlier years.
- :func:`render_portfolio_report` — cities side by side: table, small multiples, map, levels.
- :func:`write_pdf` — the same HTML as PDF through WeasyPrint (``ecocite[pdf]``).

Every page inlines its CSS and SVG: it makes no request of any kind and needs no script.
"""

from ecocite.reports.messages import ReportError, catalogue, message, reason_sentence
from ecocite.reports.pdf import PdfUnavailableError, write_pdf
from ecocite.reports.portfolio import render_portfolio_report
from ecocite.reports.render import render_city_report

__all__ = [
    "PdfUnavailableError",
    "ReportError",
    "catalogue",
    "message",
    "reason_sentence",
    "render_city_report",
    "render_portfolio_report",
    "write_pdf",
]
