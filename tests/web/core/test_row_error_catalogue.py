"""Every engine message id is in the fr, zh-Hans and en catalogues with the same placeholders."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from ecocite.data import MESSAGES, RowError
from ecocite.web.core.row_errors import localised

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.mark.parametrize("lang", ["fr", "zh-hans"])
@pytest.mark.parametrize("message_id", sorted(MESSAGES))
def test_engine_message_is_translated(lang: str, message_id: str) -> None:
    english = MESSAGES[message_id]
    params = {name: f"<{name}>" for name in PLACEHOLDER.findall(english)}
    error = RowError("f.csv", 2, "x", message_id, params)
    with translation.override(lang):
        said = localised(error)
    assert said != error.message, f"{message_id} has no {lang} translation"
    assert all(value in said for value in params.values())


def test_english_rendering_is_the_engine_text() -> None:
    error = RowError(
        "f.csv", 3, "year", "year.invalid", {"value": "1850", "min": 1900, "max": 2100}
    )
    with translation.override("en"):
        assert localised(error) == error.message == "'1850' is not a year between 1900 and 2100"
