"""Hostile framework YAML: alias bombs and deep nesting end in a FrameworkError, not a stall."""

from __future__ import annotations

import pytest

from ecocite.frameworks import FrameworkError, parse_framework
from ecocite.frameworks.loader import MAX_EXPANDED_NODES


def test_billion_laughs_is_refused_before_validation() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    text = "\n".join([*lines, "id: bomb", "version: '1'", "categories: *a9"])
    with pytest.raises(FrameworkError) as caught:
        parse_framework(text, filename="bomb.yaml")
    issue = caught.value.issues[0]
    assert issue.file == "bomb.yaml" and f"{MAX_EXPANDED_NODES:,}" in issue.message


def test_deep_nesting_is_a_framework_error() -> None:
    with pytest.raises(FrameworkError) as caught:
        parse_framework("id: " + "[" * 100_000, filename="deep.yaml")
    assert caught.value.issues[0].file == "deep.yaml"


def test_bundled_aliases_still_load(tiny: object) -> None:
    from ecocite.frameworks import get_framework

    assert get_framework("iso-37120").id == "iso-37120"
