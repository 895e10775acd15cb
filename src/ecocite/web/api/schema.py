"""The OpenAPI schema says every answer the API may give, errors included.

drf-spectacular documents the success of each operation from its serializers; this hook adds
the error statuses the platform answers with, each with its JSON body, so a client (and
schemathesis, in the test suite) can rely on the schema for every response:

400 invalid input (field errors), 401 no or bad credentials, 403 not allowed, 404 no such
object, 413 upload too large, 414 address too long (from the server in front), 422 a file that
was read but rejected (row errors), 429 too many requests (rate limit or sign-in throttle).
"""

from __future__ import annotations

from typing import Any

ERRORS = {
    "400": "Invalid input: an object of field names to lists of messages, or a detail.",
    "401": "Credentials missing or wrong.",
    "403": "Not allowed for this account here.",
    "404": "No such object.",
    "413": "Upload too large (ECOCITE_UPLOAD_MAX_BYTES).",
    "414": "Address too long.",
    "422": "The file was read and rejected: nothing imported; each row error with file, row, field.",
    "429": "Too many requests: rate limit or sign-in throttle; retry after Retry-After seconds.",
}

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: `detail` (a sentence), or field names with their messages, "
    "or for 422 `detail` and `errors` (rows).",
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
    "additionalProperties": True,
}


def add_error_responses(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every error status on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, {"description": description, "content": ref})
    return result
