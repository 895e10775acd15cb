"""GPC sector and sub-sector names in French, Chinese and English (``data/gpc_names.csv``).

The engine's tables keep the GPC's English names and codes; faces (web pages, workbooks) look the
name up here by code in the reader's language.
"""

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
    """Return the name of a GPC sector or sub-sector code in ``lang``; ``default`` (or the code) when the code is not a GPC one."""
    names = gpc_names().get(code.strip())
    if names is None:
        return default if default is not None else code
    return names.get(lang) or names["en"]


LEVER_TEXTS_FILE = "lever_texts.csv"


@lru_cache(maxsize=1)
def lever_texts() -> dict[str, dict[str, str]]:
    """Each pathway lever's name (``fr``, ``zh``, ``en``) and help (``help_fr`` …) by lever id; a help may hold ``{year}``, the year the lever reaches its full effect."""
    text = (DATA / LEVER_TEXTS_FILE).read_text(encoding="utf-8")
    texts: dict[str, dict[str, str]] = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        for field, value in row.items():
            if not (value or "").strip():
                raise ValueError(f"{LEVER_TEXTS_FILE}, line {line}, field {field}: empty")
        texts[row["lever"].strip()] = {k: v.strip() for k, v in row.items() if k != "lever"}
    return texts


def lever_name(lever: str, lang: str = "en", default: str | None = None) -> str:
    """Return a lever's name in ``lang``; ``default`` (or the id) for a lever without texts."""
    texts = lever_texts().get(lever)
    if texts is None:
        return default if default is not None else lever
    return texts.get(lang) or texts["en"]


def lever_help(lever: str, lang: str = "en", *, year: int | str = "", default: str = "") -> str:
    """Return what a lever's number means, in ``lang``, with the year of full effect filled in."""
    texts = lever_texts().get(lever)
    if texts is None:
        return default
    return (texts.get(f"help_{lang}") or texts["help_en"]).format(year=year)
