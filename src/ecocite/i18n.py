"""Texts in the three languages every person-facing part of EcoCité speaks."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Lang = Literal["fr", "zh", "en"]
LANGUAGES: tuple[Lang, ...] = ("fr", "zh", "en")


class Text(BaseModel):
    """A text in French, Simplified Chinese and English; English is the fallback."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fr: str
    zh: str
    en: str

    def __call__(self, lang: str = "en") -> str:
        """Return the text in ``lang``, or the English text when it is missing."""
        return str(getattr(self, lang, None) or self.en)


def pick(text: Text | None, lang: str = "en") -> str:
    """Return a text in ``lang``, or an empty string for None."""
    return text(lang) if text is not None else ""
