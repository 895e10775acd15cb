"""``ecocite-web notify-digest``: send the daily digests."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ecocite.web.notifications.services import send_digests


class Command(BaseCommand):
    """Send one mail per daily-digest reader with what is new (run it once a day from cron)."""

    help = "Send the daily digests (each notification is mailed once; safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        """Send, and say how many digests went."""
        sent = send_digests()
        self.stdout.write(f"{sent} digests sent")
