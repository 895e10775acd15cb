"""PDF output through WeasyPrint (the optional extra ``ecocite[pdf]``)."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

from ecocite.reports.fonts import cjk_font_path, font_face_css, has_cjk
from ecocite.reports.messages import ReportError

INSTALL_HINT = (
    "PDF output needs WeasyPrint: install it with `pip install 'ecocite[pdf]'` "
    "(it also needs the Pango library, e.g. `apt-get install libpango-1.0-0 libpangoft2-1.0-0`)"
)


class PdfUnavailableError(ReportError):
    """WeasyPrint (or the system libraries it needs) is not installed."""


class CjkFontMissingWarning(UserWarning):
    """Chinese text goes into a PDF while the shipped CJK font is not installed."""


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
    font = cjk_font_path()
    if font is None and has_cjk(html):
        warnings.warn(
            "the PDF holds Chinese text but the CJK font of `ecocite[pdf]` (pylopdf-fonts-zh-cn) "
            "is not installed: its characters show only where the reader's machine has a CJK font",
            CjkFontMissingWarning,
            stacklevel=2,
        )
    try:
        fetcher = _offline_fetcher(font)
        document = HTML(string=html, base_url=None, url_fetcher=fetcher)
        if font is None:
            document.write_pdf(tmp)
        else:
            from weasyprint import CSS
            from weasyprint.text.fonts import FontConfiguration

            fonts = FontConfiguration()
            face = CSS(string=font_face_css(font), font_config=fonts, url_fetcher=fetcher)
            document.write_pdf(tmp, stylesheets=[face], font_config=fonts)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _offline_fetcher(font: Path | None = None) -> Any:
    """Return a WeasyPrint URL fetcher reading ``data:`` URLs and the shipped CJK font only.

    No network, and no other local file.
    """
    allowed_file = font.resolve().as_uri() if font is not None else None
    try:
        from weasyprint.urls import URLFetcher  # WeasyPrint >= 66

        class Offline(URLFetcher):
            def fetch(self, url: str, headers: Any = None) -> Any:
                if not (url.startswith("data:") or url == allowed_file):
                    raise ValueError(f"EcoCité reports fetch nothing: refused {url}")
                return super().fetch(url, headers)

        return Offline(allowed_protocols={"data", "file"})
    except ImportError:  # older WeasyPrint: a fetcher is a function
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
            if not (url.startswith("data:") or url == allowed_file):
                raise ValueError(f"EcoCité reports fetch nothing: refused {url}")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
