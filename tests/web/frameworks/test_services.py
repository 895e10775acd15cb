"""Framework uploads through the service: kept whole when valid, refused with every reason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from django.utils import translation

from ecocite.frameworks import Framework
from ecocite.web.frameworks.models import UploadedFramework
from ecocite.web.frameworks.registry import framework_by_key
from ecocite.web.frameworks.services import (
    MAX_FRAMEWORK_BYTES,
    FrameworkUploadError,
    add_uploaded_framework,
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):  # the platform's default language is French
        yield


def _yaml(framework: Framework) -> bytes:
    return yaml.safe_dump(framework.model_dump(mode="json"), allow_unicode=True).encode()


def test_a_valid_upload_is_kept_with_its_uploader(db: Any, tiny: Framework, make_user: Any) -> None:
    admin = make_user("curator")
    framework = add_uploaded_framework("tiny.yaml", _yaml(tiny), user=admin)
    row = UploadedFramework.objects.get()
    assert (framework.key, row.key, row.uploaded_by) == ("tiny@1.2.0", "tiny@1.2.0", admin)
    assert framework_by_key("tiny@1.2.0").indicator_ids() == tiny.indicator_ids()


def test_the_same_version_twice_is_refused(db: Any, tiny: Framework) -> None:
    add_uploaded_framework("tiny.yaml", _yaml(tiny), user=None)
    with pytest.raises(FrameworkUploadError, match="already exists"):
        add_uploaded_framework("again.yaml", _yaml(tiny), user=None)
    assert UploadedFramework.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("tiny.txt", b"id: x", "YAML file of at most 2 MB"),
        ("big.yaml", b"#" * (MAX_FRAMEWORK_BYTES + 1), "YAML file of at most 2 MB"),
        ("latin1.yaml", "name: Écocité".encode("latin-1"), "not UTF-8"),
    ],
)
def test_wrong_files_are_refused_before_parsing(
    db: Any, name: str, content: bytes, reason: str
) -> None:
    with pytest.raises(FrameworkUploadError, match=reason):
        add_uploaded_framework(name, content, user=None)
    assert not UploadedFramework.objects.exists()


def test_engine_issues_name_the_file_and_the_field(db: Any, tiny: Framework) -> None:
    data = tiny.model_dump(mode="json")
    del data["categories"][0]["indicators"][0]["unit"]
    content = yaml.safe_dump(data, allow_unicode=True).encode()
    with pytest.raises(FrameworkUploadError) as caught:
        add_uploaded_framework("broken.yaml", content, user=None)
    assert any("broken.yaml" in issue and "unit" in issue for issue in caught.value.issues)
    assert not UploadedFramework.objects.exists()
