"""PDF output through WeasyPrint (the optional extra ``ecocite[pdf]``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

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
    place. The report needs no external resource, so nothing is fetched while rendering.

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
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        HTML(string=html, base_url=None).write_pdf(tmp)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
