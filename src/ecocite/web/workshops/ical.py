"""iCalendar (RFC 5545) files: one per workshop, and a feed of a process's workshops.

Times are written in the workshop's own time zone (``DTSTART;TZID=Asia/Shanghai:…``) so a
calendar shows the local hour of the meeting; a workshop without a valid time zone is refused
rather than written in a guessed one.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable

import icalendar
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ecocite.web.workshops.models import Workshop

PRODID = "-//EcoCité//workshops//EN"


def _zone(workshop: Workshop) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(workshop.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
        raise ValidationError(
            {
                "time_zone": _(
                    "Workshop %(title)s has no valid time zone: its calendar file cannot be written."
                )
                % {"title": workshop.title}
            }
        ) from err


def event(workshop: Workshop, *, url: str = "", show_link: bool = False) -> icalendar.Event:
    """Build the calendar event of a workshop (the video link only if ``show_link``)."""
    zone = _zone(workshop)
    item = icalendar.Event()
    item.add("uid", f"workshop-{workshop.pk}@ecocite")
    item.add("summary", workshop.title)
    item.add("dtstart", workshop.starts_at.astimezone(zone))
    item.add("dtend", workshop.ends_at.astimezone(zone))
    item.add("dtstamp", workshop.starts_at.astimezone(zone))
    where = [workshop.address] if workshop.meets_in_person and workshop.address else []
    if workshop.meets_online and show_link:
        where.append(workshop.video_url)
    if where:
        item.add("location", " · ".join(where))
    if workshop.description:
        item.add("description", workshop.description)
    if url:
        item.add("url", url)
    if workshop.closed_at is not None:
        item.add("status", "CONFIRMED")
    return item


def calendar_of(workshops: Iterable[tuple[Workshop, str, bool]], name: str) -> bytes:
    """Write a calendar of (workshop, page URL, show video link) triples."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    zones = set()
    for workshop, url, show_link in workshops:
        cal.add_component(event(workshop, url=url, show_link=show_link))
        zones.add(workshop.time_zone)
    cal.add_missing_timezones()
    return cal.to_ical()
