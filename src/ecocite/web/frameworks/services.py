"""Add an uploaded framework: size and type checks, the engine's validation, then one record.

Nothing here validates the framework itself: ``ecocite.frameworks.parse_framework`` does, and its
issues (file, line, field) are passed on unchanged. This module adds what an upload needs on top.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ecocite.frameworks import Framework, FrameworkError, parse_framework
from ecocite.web.frameworks.models import UploadedFramework
from ecocite.web.frameworks.registry import available_frameworks

MAX_FRAMEWORK_BYTES = 2 * 1024 * 1024
ALLOWED_SUFFIXES = (".yaml", ".yml")


class FrameworkUploadError(ValueError):
    """An uploaded framework that is refused; ``issues`` lists every reason, one per line."""

    def __init__(self, issues: list[str]):
        super().__init__("; ".join(issues))
        self.issues = issues


def validate_framework_upload(name: str, content: bytes) -> tuple[Framework, str]:
    """Return the parsed framework and its text, or raise FrameworkUploadError with every issue."""
    if not name.lower().endswith(ALLOWED_SUFFIXES) or len(content) > MAX_FRAMEWORK_BYTES:
        raise FrameworkUploadError([_("Expected a YAML file of at most 2 MB.")])
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise FrameworkUploadError([_("The file is not UTF-8 text.")]) from None
    try:
        framework = parse_framework(text, filename=name)
    except FrameworkError as exc:
        raise FrameworkUploadError([str(issue) for issue in exc.issues]) from None
    if framework.key in available_frameworks():
        raise FrameworkUploadError([_("This framework version already exists.")])
    return framework, text


def add_uploaded_framework(name: str, content: bytes, *, user: object | None) -> Framework:
    """Validate then keep an uploaded framework with who uploaded it; return the framework."""
    framework, text = validate_framework_upload(name, content)
    UploadedFramework.objects.create(
        framework_id=framework.id,
        version=framework.version,
        yaml_text=text,
        original_name=name[:255],
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    return framework


def read_capped(uploaded: Any) -> bytes:
    """Read an uploaded framework file, at most one byte past the size limit.

    Read an uploaded file, at most one byte past the limit, so an oversized one is refused
    without being loaded whole into memory.
    """
    return bytes(uploaded.read(MAX_FRAMEWORK_BYTES + 1))
