"""Chinese PDF reports carry their own CJK font (issue 14 item 11): the glyphs of the Chinese text
are embedded, so the report reads the same on a machine with no Chinese font installed."""

from __future__ import annotations

import importlib.util
import io
import sys
import warnings
from pathlib import Path

import pytest

from ecocite.assessment import assess
from ecocite.data import read_indicator_table
from ecocite.demo import demo_cities, demo_values
from ecocite.frameworks import get_framework
from ecocite.reports import render_city_report, write_pdf
from ecocite.reports.fonts import CJK_FAMILY, cjk_font_path
from ecocite.reports.pdf import CjkFontMissingWarning

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("weasyprint") is None, reason="needs the pdf extra (CI installs it)"
)


def _jingzhou_report_zh() -> str:
    fw = get_framework("sino-french-ecocity")
    values = read_indicator_table(demo_values(fw), framework=fw)
    city = next(c for c in demo_cities() if c.id == "jingzhou")
    result = assess(fw, values, city="jingzhou", year=2023)
    return render_city_report(result, framework=fw, city=city, lang="zh")


def _embedded_fonts(pdf: bytes) -> dict[str, tuple[bytes, str]]:
    """Every embedded font of the PDF: base name → (font program, text its ToUnicode map covers)."""
    from pypdf import PdfReader

    fonts: dict[str, tuple[bytes, str]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            font = ref.get_object()
            descriptor = font
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()
            info = descriptor["/FontDescriptor"].get_object()
            program = next(info[k] for k in ("/FontFile3", "/FontFile2", "/FontFile") if k in info)
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            fonts[str(font["/BaseFont"])] = (program.get_object().get_data(), cmap)
    return fonts


def test_the_project_ships_a_cjk_font_the_report_css_names() -> None:
    path = cjk_font_path()
    assert path is not None and path.stat().st_size > 1_000_000
    css = (Path(__file__).parents[2] / "src/ecocite/reports/templates/report.css").read_text()
    assert f'"{CJK_FAMILY}"' in css


def test_a_chinese_pdf_embeds_the_glyphs_of_its_chinese_text(tmp_path: Path) -> None:
    html = _jingzhou_report_zh()
    assert "荆州" in html
    with warnings.catch_warnings():
        warnings.simplefilter("error", CjkFontMissingWarning)
        target = write_pdf(html, tmp_path / "jingzhou.zh.pdf")
    fonts = _embedded_fonts(target.read_bytes())
    cjk = {name: font for name, font in fonts.items() if CJK_FAMILY.replace(" ", "-") in name}
    assert cjk, f"no embedded CJK font among {sorted(fonts)}"
    program, cmap = next(iter(cjk.values()))
    assert len(program) > 10_000  # a real (subset) font program, not an empty reference
    # ToUnicode maps glyphs to UTF-16 code points: 荆 is U+8346, 州 U+5DDE.
    assert "8346" in cmap.upper() and "5DDE" in cmap.upper()

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "荆州" in text


def test_without_the_font_package_chinese_text_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pylopdf_fonts_zh_cn", None)
    assert cjk_font_path() is None
    with pytest.warns(CjkFontMissingWarning, match="pylopdf-fonts-zh-cn"):
        write_pdf("<p>荆州市</p>", tmp_path / "x.pdf")
    with warnings.catch_warnings():
        warnings.simplefilter("error", CjkFontMissingWarning)
        write_pdf("<p>Jingzhou</p>", tmp_path / "y.pdf")
