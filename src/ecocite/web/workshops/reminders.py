"""Remind registered people of a workshop the day before (through the notifications app).

Idempotent: the key names the workshop and its start, so the job may run every few minutes and
a moved workshop is announced again at its new time.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from ecocite.web.workshops.models import RegistrationStatus, Workshop

#: how long before a workshop its registered people are reminded
REMIND_BEFORE = timedelta(hours=24)


def remind_workshops(now: datetime | None = None) -> int:
    """Notify the people registered for workshops starting within a day; how many were told."""
    from ecocite.web.notifications.models import Kind
    from ecocite.web.notifications.services import notify

    moment = now or timezone.now()
    coming = Workshop.objects.filter(
        closed_at=None, starts_at__gt=moment, starts_at__lte=moment + REMIND_BEFORE
    ).select_related("process")
    told = 0
    for workshop in coming:
        people = [
            r.user
            for r in workshop.registrations.filter(
                status=RegistrationStatus.REGISTERED
            ).select_related("user")
        ]
        try:
            local = workshop.starts_at.astimezone(zoneinfo.ZoneInfo(workshop.time_zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            local = workshop.starts_at
        data = {
            "workshop": {"fr": workshop.title_fr, "zh": workshop.title_zh, "en": workshop.title_en},
            "local_start": local.strftime("%Y-%m-%d %H:%M"),
            "time_zone": workshop.time_zone,
            "path": reverse("workshops:detail", args=[workshop.pk]),
        }
        key = f"reminder:{workshop.pk}:{workshop.starts_at.isoformat()}"
        told += len(notify(people, str(Kind.REMINDER), workshop, data, key))
    return told
