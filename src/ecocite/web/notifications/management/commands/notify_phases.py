"""``ecocite-web notify-phases``: announce phase openings to the followers of each process."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ecocite.web.notifications.services import announce_phases


class Command(BaseCommand):
    """Announce the phases that opened (idempotent: run it every few minutes from cron)."""

    help = "Announce phase openings to the followers of each process (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        """Announce, and say how many people were told."""
        told = announce_phases()
        self.stdout.write(f"{told} notifications of phase openings")
