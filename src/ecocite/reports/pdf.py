"""PDF output through WeasyPrint (the optional extra ``ecocite[pdf]``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ecocite.reports.messages import ReportError

INSTALL_HINT = (
    "PDF output needs WeasyPrint: install it with `pip install 'ecocite[pdf]'` "
    "(it also needs the Pango library, e.g. `apt-get install libpango-1.0-0 libpangoft2-1.0-0`)"
)


class PdfUnavailableError(ReportError):
    """WeasyPrint (or the system libraries it needs) is not installed."""


def write_pdf(html: str, path: str | Path) -> Path:
    """Write a report's HTML as a PDF file at ``path`` (A4, as the report's print styles say).

    The file appears whole or not at all: the PDF is written next to ``path`` and renamed into
    place. Nothing is fetched while rendering: the reports need no external resource, and any
    other URL in ``html`` is refused (only inline ``data:`` URLs are read).

    Raises
    ------
    PdfUnavailableError
        If WeasyPrint cannot be imported; the message says to install ``ecocite[pdf]``.
    """
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint present but Pango missing
        raise PdfUnavailableError(f"{INSTALL_HINT} ({exc})") from None
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Not mkstemp: its 0600 mode would stick to the PDF; a plain file follows the user's umask.
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        HTML(string=html, base_url=None, url_fetcher=_offline_fetcher()).write_pdf(tmp)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _offline_fetcher() -> Any:
    """Return a WeasyPrint URL fetcher reading ``data:`` URLs only (no network, no local files)."""
    try:
        from weasyprint.urls import URLFetcher  # WeasyPrint >= 66

        return URLFetcher(allowed_protocols={"data"})
    except ImportError:  # older WeasyPrint: a fetcher is a function
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
            if not url.startswith("data:"):
                raise ValueError(f"EcoCité reports fetch nothing: refused {url}")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
