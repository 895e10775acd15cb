"""The one error type the access engine raises for bad input."""

from __future__ import annotations


class AccessInputError(ValueError):
    """Bad input (file, boundary, category, parameter); the message names what and where.

    Nothing has been written when this is raised.
    """
