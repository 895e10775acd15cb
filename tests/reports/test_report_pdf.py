"""PDF output: a real PDF where WeasyPrint imports, a clear error telling what to install where not."""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from ecocite.assessment import Assessment
from ecocite.cities import RegistryCity
from ecocite.frameworks import Framework
from ecocite.reports import PdfUnavailableError, render_city_report, write_pdf


def _weasyprint_works() -> bool:
    if importlib.util.find_spec("weasyprint") is None:
        return False
    try:
        import weasyprint  # noqa: F401
    except OSError:  # installed but its system libraries (Pango) are missing
        return False
    return True


def test_without_weasyprint_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # makes `import weasyprint` fail
    with pytest.raises(PdfUnavailableError, match=r"ecocite\[pdf\]"):
        write_pdf("<p>x</p>", tmp_path / "report.pdf")
    assert list(tmp_path.iterdir()) == []


def test_write_pdf_here(
    tmp_path: Path, assessment_2023: Assessment, framework: Framework, las_palmas: RegistryCity
) -> None:
    """With the ``pdf`` extra installed (CI installs it), the report becomes a real PDF; without
    it, the same call gives the clear error and writes nothing."""
    html = render_city_report(assessment_2023, framework=framework, city=las_palmas, lang="fr")
    target = tmp_path / "out" / "las-palmas.fr.pdf"
    if not _weasyprint_works():
        with pytest.raises(PdfUnavailableError, match=r"ecocite\[pdf\]"):
            write_pdf(html, target)
        assert not target.exists()
        return
    previous = os.umask(0o022)
    try:
        assert write_pdf(html, target) == target
    finally:
        os.umask(previous)
    assert target.stat().st_mode & 0o777 == 0o644  # the user's umask, not a temp file's 0600
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(data) > 10_000
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no partial file left


def test_pdf_rendering_fetches_nothing(tmp_path: Path) -> None:
    """A page pointing at a server (on this machine) is rendered without one request to it."""
    if not _weasyprint_works():
        with pytest.raises(PdfUnavailableError):
            write_pdf("<p>x</p>", tmp_path / "x.pdf")
        return
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        page = (
            f'<html><head><link rel="stylesheet" href="{base}/style.css"></head>'
            f'<body><p>x</p><img src="{base}/map.png"></body></html>'
        )
        write_pdf(page, tmp_path / "x.pdf")
    finally:
        server.shutdown()
        server.server_close()
    assert requests == []
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF-")
