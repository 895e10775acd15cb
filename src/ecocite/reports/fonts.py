"""The CJK font the PDF reports embed, so Chinese text prints on any machine.

The font (Noto Sans SC, SIL Open Font License 1.1) comes with the ``pdf`` extra through the PyPI
package ``pylopdf-fonts-zh-cn``; the reports' CSS names its family, :func:`font_face_css` binds
that family to the file, and the PDF writer lets WeasyPrint read that one file and nothing else.
"""

from __future__ import annotations

import re
from pathlib import Path

CJK_FAMILY = "EcoCite Noto Sans SC"
"""The family name report.css lists; bound to the shipped file for PDF output only."""

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def cjk_font_path() -> Path | None:
    """Return the shipped Noto Sans SC file, or None when the ``pdf`` extra's font package is missing."""
    try:
        from pylopdf_fonts_zh_cn import sans_path
    except ImportError:
        return None
    path = Path(sans_path())
    return path if path.is_file() else None


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Chinese characters (or CJK punctuation) a Latin font cannot show."""
    return _CJK.search(text) is not None


def font_face_css(path: Path) -> str:
    """Return an ``@font-face`` rule giving :data:`CJK_FAMILY` the glyphs of the font file at ``path``."""
    return f'@font-face {{ font-family: "{CJK_FAMILY}"; src: url("{path.resolve().as_uri()}"); }}'
