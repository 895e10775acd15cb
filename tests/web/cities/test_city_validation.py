"""A city's country is an ISO 3166-1 alpha-2 code and its names hold no control character."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ecocite.web.cities.models import City


def _city(**changes: Any) -> City:
    fields = {"slug": "x", "name_fr": "X", "name_zh": "X", "name_en": "X", "country": "CN"}
    return City(**{**fields, **changes})


def test_a_good_city_is_clean(db: Any) -> None:
    _city().full_clean()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"country": "ZZ"}, "country"),
        ({"country": "cn"}, "country"),
        ({"name_en": "Jing\x00zhou"}, "name_en"),
        ({"name_zh": "荆州\n市"}, "name_zh"),
        ({"province_fr": "Hubei\x1b"}, "province_fr"),
    ],
)
def test_bad_fields_are_named(db: Any, changes: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _city(**changes).full_clean()
    assert set(caught.value.message_dict) == {field}
