"""Rank contributors for a call: who has the discipline, speaks the languages, lives near.

A call for contributors (a workshop to facilitate, a survey to design, a translation between
French and Chinese …) names the disciplines and languages it needs and where it happens. Each
profile earns points for what it offers of that, and the ranking keeps the reasons so that a
page can explain it ("speaks zh and fr, urban geographer, 12 km away"). No Django here: the web
app turns its rows into :class:`Offer` and :class:`Need` and reads back :class:`Match`.

The weights are this module's own choice (no published standard ranks volunteers); they are
keyword arguments so that an organiser's deployment can change them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG), for great-circle distances


@dataclass(frozen=True)
class Need:
    """What a call asks for.

    Parameters
    ----------
    disciplines : frozenset of str
        Discipline codes wanted (empty: any discipline).
    languages : frozenset of str
        Language codes the contributor should speak (ISO 639-1, e.g. ``"fr"``, ``"zh"``).
    lon, lat : float or None
        Where the call happens (WGS84 degrees); ``None`` for an online call.
    online : bool
        Whether the call can be answered from anywhere.
    """

    disciplines: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    lon: float | None = None
    lat: float | None = None
    online: bool = False


@dataclass(frozen=True)
class Offer:
    """What one profile offers.

    Parameters
    ----------
    key : object
        The profile's identifier, returned as is in :class:`Match`.
    discipline : str
        Discipline code ("" if not given).
    languages : frozenset of str
        Language codes the person speaks.
    lon, lat : float or None
        Where the person is (WGS84 degrees), when they made it public.
    available : bool
        Whether the person says they are available now.
    """

    key: object
    discipline: str = ""
    languages: frozenset[str] = frozenset()
    lon: float | None = None
    lat: float | None = None
    available: bool = True


@dataclass(frozen=True)
class Match:
    """One ranked profile with its score and the reasons behind it.

    ``languages`` are the wanted languages the person speaks, ``discipline`` is set when it is
    one of the wanted disciplines, ``distance_km`` when both places are known.
    """

    key: object
    score: float
    discipline: str = ""
    languages: tuple[str, ...] = ()
    distance_km: float | None = None
    reasons: tuple[str, ...] = field(default=())


def great_circle_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Return the haversine distance in kilometres between two WGS84 points (degrees)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def score_offer(
    need: Need,
    offer: Offer,
    *,
    discipline_points: float = 3.0,
    language_points: float = 2.0,
    near_points: float = 2.0,
    near_km: float = 50.0,
    unavailable_factor: float = 0.5,
) -> Match:
    """Score one profile against one call.

    Parameters
    ----------
    need, offer : Need, Offer
        The call and the profile.
    discipline_points : float
        Points when the profile's discipline is wanted (or the call wants any discipline and
        the profile names one).
    language_points : float
        Points per wanted language the person speaks.
    near_points : float
        Points at distance 0 km, falling linearly to 0 at ``near_km`` (not counted for an
        online call, where place does not matter).
    near_km : float
        Distance in kilometres beyond which being near earns nothing.
    unavailable_factor : float
        Factor applied to the score of someone who says they are not available.

    Returns
    -------
    Match
        The score and the reasons (``"discipline"``, ``"languages"``, ``"near"``).
    """
    score = 0.0
    reasons: list[str] = []
    discipline = ""
    if offer.discipline and (not need.disciplines or offer.discipline in need.disciplines):
        score += discipline_points if need.disciplines else discipline_points / 3
        discipline = offer.discipline
        reasons.append("discipline")
    spoken = tuple(sorted(need.languages & offer.languages))
    if spoken:
        score += language_points * len(spoken)
        reasons.append("languages")
    distance = None
    if None not in (need.lon, need.lat, offer.lon, offer.lat):
        distance = great_circle_km(offer.lon, offer.lat, need.lon, need.lat)  # type: ignore[arg-type]
        if not need.online and distance < near_km:
            score += near_points * (1 - distance / near_km)
            reasons.append("near")
    if not offer.available:
        score *= unavailable_factor
    return Match(offer.key, round(score, 6), discipline, spoken, distance, tuple(reasons))


def rank_contributors(
    need: Need, offers: Iterable[Offer], *, limit: int = 10, **weights: float
) -> list[Match]:
    """Rank profiles for a call, best first; profiles with nothing to offer are left out.

    Ties keep the input order (a stable sort), so the caller decides the order of equals.

    Parameters
    ----------
    need : Need
        The call.
    offers : iterable of Offer
        The candidate profiles.
    limit : int
        How many matches to return at most.
    **weights : float
        Passed to :func:`score_offer`.

    Returns
    -------
    list of Match
    """
    matches = [score_offer(need, offer, **weights) for offer in offers]
    ranked = sorted((m for m in matches if m.score > 0), key=lambda m: -m.score)
    return ranked[:limit]
