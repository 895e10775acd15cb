"""The place field: draw on the map, or find a place by name with the keyboard.

:class:`PlaceField` gives a form one value, a GeoJSON geometry as text, from three inputs:

- the map (``static/ecocite/place.js``): a point, line or polygon drawn with Leaflet-Geoman,
  written into the GeoJSON text box;
- the place search over the city's OSM extract: a combobox with a list box of results when
  scripts run; without scripts, sending the form with words in the search box shows the
  places found as radio buttons, and sending it again with one chosen sets the place;
- the GeoJSON text box itself.

The geometry is checked by the service that saves it (valid shape, inside the city or site).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ecocite.web.maps import services


class PlaceWidget(forms.MultiWidget):
    """The GeoJSON text box and the place search box, with the map between them."""

    template_name = "maps/place_widget.html"

    class Media:
        css = {
            "all": (
                "ecocite/vendor/leaflet/leaflet.css",
                "ecocite/vendor/leaflet-geoman/leaflet-geoman.css",
            )
        }
        js = (
            "ecocite/vendor/leaflet/leaflet.js",
            "ecocite/vendor/leaflet-geoman/leaflet-geoman.min.js",
            "ecocite/place.js",
        )

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = {
            "": forms.Textarea(attrs={"rows": 3, "class": "place-geojson", "spellcheck": "false"}),
            "q": forms.TextInput(
                attrs={"type": "search", "autocomplete": "off", "class": "place-query"}
            ),
        }
        super().__init__(widgets, attrs)
        self.search: Callable[[str], list[tuple[int, Any]]] = lambda q: []
        self.map_attrs: dict[str, str] = {}
        self.places_url = ""

    def decompress(self, value: Any) -> list[Any]:
        """Split a value (GeoJSON text) into the text box and an empty search."""
        return [value or "", ""]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[Any]:
        """Return ``[geojson, query, chosen place]`` as sent."""
        text, query = super().value_from_datadict(data, files, name)
        return [text, query, data.get(f"{name}_choice", "")]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        """Add the map's data, and the places found for the query when the form comes back."""
        if isinstance(value, list) and len(value) == 3:
            value = value[:2]
        context = super().get_context(name, value, attrs)
        query = value[1] if isinstance(value, list) and len(value) > 1 else ""
        geometry = value[0] if isinstance(value, list) else value
        results = []
        if query and not (geometry or "").strip():
            results = [
                {"id": i, "label": p.label, "kind": services.kind_label(p.kind)}
                for i, p in self.search(query)
            ]
        context["place"] = {
            "map": self.map_attrs,
            "places_url": self.places_url,
            "results": results,
            "query": query,
            "name": name,
            "id": (attrs or {}).get("id", f"id_{name}"),
        }
        return context


class PlaceField(forms.Field):
    """A place as GeoJSON text, drawn on the map or chosen from the city's place search.

    Parameters
    ----------
    city
        The city whose map and place index serve (its map may not be built: then the search
        and the base layer are absent and the text box still works).
    site
        A GeoJSON polygon: the search finds places inside it only, the map outlines it.
    """

    widget = PlaceWidget

    def __init__(self, *, city: Any = None, site: dict[str, Any] | None = None, **kwargs: Any):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.city, self.site = city, site
        widget = self.widget
        assert isinstance(widget, PlaceWidget)
        if city is not None:
            from django.urls import reverse

            widget.search = lambda q: services.search_places(city, q, within=site)
            widget.map_attrs = services.map_attributes(city, site=site)
            if services.place_index(city) is not None:
                widget.places_url = reverse("maps:places", args=[city.slug])

    def to_python(self, value: Any) -> str:
        """Return the GeoJSON text: drawn or typed, else the chosen place, else nothing."""
        if not isinstance(value, list):
            return str(value or "").strip()
        text, query, choice = [*list(value), "", "", ""][:3]
        text, query = str(text or "").strip(), str(query or "").strip()
        if text:
            return text
        if choice not in (None, "") and self.city is not None:
            try:
                geometry = services.place_geometry(self.city, int(choice))
            except (TypeError, ValueError):
                geometry = None
            if geometry is None:
                raise ValidationError(_("This place is no longer in the list; search again."))
            import json

            return json.dumps(geometry)
        if query:
            found = services.search_places(self.city, query, within=self.site) if self.city else []
            if found:
                raise ValidationError(
                    _("Choose the place among the results below, then send the form again.")
                )
            raise ValidationError(
                _("No street, place or address matches “%(q)s”.") % {"q": query[:100]}
            )
        return ""
