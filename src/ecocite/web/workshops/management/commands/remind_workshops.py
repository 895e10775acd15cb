"""``ecocite-web manage remind_workshops``: remind registered people the day before."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ecocite.web.workshops.reminders import remind_workshops


class Command(BaseCommand):
    """Remind the people registered for tomorrow's workshops (idempotent: run it from cron)."""

    help = "Remind people registered for workshops starting within a day (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        """Remind, and say how many people were told."""
        self.stdout.write(f"{remind_workshops()} workshop reminders")
