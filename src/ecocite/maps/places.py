"""A place index for the keyboard route to a map: streets, named places, street addresses.

The index is a list of ``(label, kind, lon, lat)``; :meth:`PlaceIndex.search` matches every word
of the query at the start of a word of the label, ignoring case and accents ("obispo cod" finds
"Calle Obispo Codina"; "codina 5" its number 5), streets first, then named places, then
addresses, shorter labels first.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KINDS = ("street", "place", "address")
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower-case ``text`` and strip its accents (NFKD, combining marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Return the normalised words of ``text``."""
    return _WORD.findall(normalise(text))


@dataclass(frozen=True)
class Place:
    """One entry of the index: what a person reads, its kind and a point (WGS84)."""

    label: str
    kind: str
    lon: float
    lat: float

    def geometry(self) -> dict[str, Any]:
        """Return the place as a GeoJSON point."""
        return {"type": "Point", "coordinates": [self.lon, self.lat]}


class PlaceIndex:
    """The places of one city, searchable by words."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self._keys = [" " + " ".join(words(p.label)) for p in places]
        self._rank = [KINDS.index(p.kind) if p.kind in KINDS else len(KINDS) for p in places]

    def __len__(self) -> int:
        return len(self.places)

    @classmethod
    def load(cls, path: Path) -> PlaceIndex:
        """Read an index written by :meth:`write`."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls([Place(str(r[0]), str(r[1]), float(r[2]), float(r[3])) for r in data["places"]])

    def write(self, path: Path) -> None:
        """Write the index as compact JSON."""
        rows = [[p.label, p.kind, p.lon, p.lat] for p in self.places]
        text = json.dumps({"places": rows}, ensure_ascii=False, separators=(",", ":"))
        Path(path).write_text(text, encoding="utf-8")

    def get(self, position: int) -> Place | None:
        """Return the place at ``position`` (as given by :meth:`search`), or ``None``."""
        return self.places[position] if 0 <= position < len(self.places) else None

    def search(
        self,
        query: str,
        *,
        limit: int = 8,
        bbox: tuple[float, float, float, float] | None = None,
    ) -> list[tuple[int, Place]]:
        """Return up to ``limit`` ``(position, place)`` whose label has every word of ``query``.

        Parameters
        ----------
        query
            Words typed by a person; each must start a word of the label.
        limit
            How many places at most.
        bbox
            ``(west, south, east, north)``: only places inside it.
        """
        needles = [" " + w for w in words(query)]
        if not needles:
            return []
        full = " " + " ".join(words(query))
        found: list[tuple[tuple[int, int, int, str], int]] = []
        for i, key in enumerate(self._keys):
            if not all(n in key for n in needles):
                continue
            place = self.places[i]
            if bbox is not None and not (
                bbox[0] <= place.lon <= bbox[2] and bbox[1] <= place.lat <= bbox[3]
            ):
                continue
            starts = 0 if key.startswith(full) else 1 if full in key else 2
            found.append(((starts, self._rank[i], len(place.label), key), i))
        found.sort()
        return [(i, self.places[i]) for _rank, i in found[:limit]]
