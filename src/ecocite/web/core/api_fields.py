"""Serializer fields every app's API shares."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class SlugField(serializers.SlugRelatedField):
    """A related object named by its slug; a slug with control characters is refused at once.

    DRF's text fields refuse NUL bytes, its related fields do not: PostgreSQL then fails on the
    look-up itself (a 500 instead of a 400).
    """

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "control": _("Identifiers contain no control characters."),
    }

    def to_internal_value(self, data: Any) -> Any:
        """Refuse control characters, then look the object up by its slug."""
        if isinstance(data, str) and any(ord(ch) < 32 for ch in data):
            self.fail("control")
        return super().to_internal_value(data)
