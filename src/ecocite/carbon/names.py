"""GPC sector and sub-sector names in French, Chinese and English (``data/gpc_names.csv``).

The engine's tables keep the GPC's English names and codes; faces (web pages, workbooks) look the
name up here by code in the reader's language."""

from __future__ import annotations

import csv
import io
from functools import lru_cache

from ecocite.carbon.library import DATA
from ecocite.i18n import LANGUAGES

NAMES_FILE = "gpc_names.csv"


@lru_cache(maxsize=1)
def gpc_names() -> dict[str, dict[str, str]]:
    """Every sector ("I") and sub-sector ("I.1") code with its name in each language."""
    text = (DATA / NAMES_FILE).read_text(encoding="utf-8")
    names: dict[str, dict[str, str]] = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        missing = [lang for lang in LANGUAGES if not (row.get(lang) or "").strip()]
        if missing:
            raise ValueError(f"{NAMES_FILE}, line {line}, field {missing[0]}: empty name")
        names[row["code"].strip()] = {lang: row[lang].strip() for lang in LANGUAGES}
    return names


def gpc_name(code: str, lang: str = "en", default: str | None = None) -> str:
    """The name of a GPC sector or sub-sector code in ``lang``; ``default`` (or the code) when
    the code is not a GPC one."""
    names = gpc_names().get(code.strip())
    if names is None:
        return default if default is not None else code
    return names.get(lang) or names["en"]
