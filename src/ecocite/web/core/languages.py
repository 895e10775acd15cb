"""The interface languages and their names in the engines' three-language texts."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from ecocite.i18n import Lang, Text

LANGUAGE_SESSION_KEY = "ecocite_language"

# Django's language code → the key of ecocite.i18n.Text.
ENGINE_LANG: dict[str, Lang] = {"fr": "fr", "zh-hans": "zh", "en": "en"}


def engine_lang(code: str | None = None) -> Lang:
    """Return the engine language for a Django language code (the active one by default)."""
    code = (code or translation.get_language() or "fr").lower()
    return ENGINE_LANG.get(code, ENGINE_LANG.get(code.split("-")[0], "en"))


def pick(text: Text | dict[str, Any] | None, code: str | None = None) -> str:
    """Return a three-language text (pydantic Text or its JSON dict) in the active language."""
    if text is None:
        return ""
    lang = engine_lang(code)
    if isinstance(text, Text):
        return text(lang)
    if isinstance(text, str):
        return text
    return str(text.get(lang) or text.get("en") or "")
