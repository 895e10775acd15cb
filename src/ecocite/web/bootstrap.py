"""Open the platform's store from outside the web server.

Django is set up on first use and the tables brought up to date. The command line calls this
only in the commands that keep things.
"""

from __future__ import annotations

import os
from pathlib import Path


class PlatformError(RuntimeError):
    """The platform's store cannot be opened as asked."""


def open_platform(data_dir: str | Path | None = None) -> Path:
    """Set Django up on the platform's store and apply pending migrations.

    Returns the data folder. ``data_dir`` sets ``ECOCITE_DATA_DIR`` (the SQLite database,
    uploaded files and secret key); ``DATABASE_URL`` still selects PostgreSQL. Within one process
    the store is opened once: asking for another data folder afterwards raises PlatformError.
    """
    if data_dir is not None:
        wanted = Path(data_dir).expanduser().resolve()
        wanted.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecocite.web.settings")
    from django.apps import apps

    if not apps.ready:
        if data_dir is not None:
            os.environ["ECOCITE_DATA_DIR"] = str(wanted)
        import django

        django.setup()
    from django.conf import settings

    current = Path(settings.DATA_DIR).resolve()
    if data_dir is not None and current != wanted:
        raise PlatformError(f"the platform is already open on {current}, not {wanted}")
    _migrate()
    return current


def _migrate() -> None:
    """Apply pending migrations only: a store already up to date is not touched."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)
