"""Label certificates: HTML and PDF in fr / zh / en, with verification code and QR code.

The QR code (``segno``, BSD) encodes the public verification address of the certificate; the
PDF goes through the reports' WeasyPrint renderer, which embeds the project's CJK font
(``pylopdf-fonts-zh-cn``) so Chinese certificates print on any machine.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import segno
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ecocite.web.core.languages import pick
from ecocite.web.frameworks.registry import framework_by_key
from ecocite.web.label.models import Application

LANGS = {"fr": "fr", "zh": "zh-hans", "zh-hans": "zh-hans", "en": "en"}


def qr_svg(url: str) -> str:
    """Return the QR code of ``url`` as inline SVG markup (no script, no style attribute)."""
    return str(segno.make(url, error="m").svg_inline(scale=3, border=2))


def context(request: HttpRequest, application: Application) -> dict[str, Any]:
    """Return what a certificate shows, in the active language."""
    programme = application.programme
    framework = framework_by_key(programme.framework_key)
    level = next(
        (pick(lv.name) for lv in framework.grading.levels if lv.id == application.awarded_level),
        "",
    )
    url = request.build_absolute_uri(
        reverse("label:certificate", args=[application.certificate_code])
    )
    return {
        "application": application,
        "city": application.city,
        "programme": programme,
        "framework_name": pick(framework.name),
        "framework_version": framework.version,
        "level": level,
        "code": application.certificate_code,
        "verify_url": url,
        "qr": qr_svg(url),
        "valid": application.stage in {"labelled", "monitoring", "confirmed", "raised", "lowered"},
        "withdrawn": application.stage == "withdrawn",
    }


def pdf_response(request: HttpRequest, application: Application) -> HttpResponse:
    """Render the certificate as a PDF in the language asked (``?lang=fr|zh|en``)."""
    from ecocite.reports.fonts import CJK_FAMILY
    from ecocite.reports.pdf import PdfUnavailableError, write_pdf

    lang = LANGS.get(request.GET.get("lang", ""), translation.get_language() or "fr")
    with translation.override(lang):
        html = render_to_string(
            "label/certificate_print.html",
            {**context(request, application), "lang": lang, "cjk_family": CJK_FAMILY},
        )
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "certificate.pdf"
        try:
            write_pdf(html, target)
        except PdfUnavailableError as exc:
            return HttpResponse(
                _("PDF output is not available on this server: %(e)s") % {"e": exc},
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        data = target.read_bytes()
    response = HttpResponse(data, content_type="application/pdf")
    name = f"certificate-{application.certificate_code}-{lang}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
