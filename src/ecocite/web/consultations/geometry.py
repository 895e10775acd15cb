"""Check a GeoJSON geometry (a proposal's place, a process's site) with shapely.

A place is a GeoJSON geometry in WGS84 that must be valid (an outline that crosses itself is
named as such) and inside the process's site, or the city's boundary when the process has no
site. The form's place widget is the ``maps`` app's :class:`~ecocite.web.maps.forms.PlaceField`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KINDS = ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")


def check_geometry(
    value: Any,
    *,
    field: str = "geometry",
    kinds: tuple[str, ...] = KINDS,
    inside: Any = None,
    outside: str = "",
) -> dict[str, Any]:
    """Return the geometry as a GeoJSON dict, or raise a ``ValidationError`` naming ``field``.

    Parameters
    ----------
    value
        A GeoJSON geometry (dict) or its JSON text.
    kinds
        The geometry types accepted.
    inside
        A GeoJSON polygon the geometry must lie within (the process's site), or ``None``.
    outside
        The error when it does not (default: it lies outside the process's site).
    """
    import json

    from shapely.geometry import shape

    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as err:
            raise ValidationError(
                {field: _("The place is not GeoJSON: %(e)s") % {"e": err}}
            ) from err
    if not isinstance(value, dict) or value.get("type") not in kinds:
        raise ValidationError(
            {field: _("The place must be a GeoJSON %(kinds)s.") % {"kinds": ", ".join(kinds)}}
        )
    try:
        geom = shape(value)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as err:
        raise ValidationError({field: _("The place's coordinates are malformed.")}) from err
    if not geom.is_empty and not geom.is_valid:
        from shapely.validation import explain_validity

        if explain_validity(geom).startswith(("Self-intersection", "Ring Self-intersection")):
            raise ValidationError(
                {field: _("The outline crosses itself: draw the area without crossing lines.")}
            )
    if geom.is_empty or not geom.is_valid:
        raise ValidationError({field: _("The place is empty or not a valid shape.")})
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise ValidationError({field: _("Coordinates are longitude, latitude in degrees (WGS84).")})
    if inside is not None and not shape(inside).buffer(1e-9).contains(geom):
        raise ValidationError({field: outside or _("The place lies outside the process's site.")})
    return value
