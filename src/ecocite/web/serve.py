"""``ecocite-web``: start the platform with one command.

``ecocite-web`` (or ``python -m ecocite.web``) runs migrations, loads the demo on first start,
creates a demo administrator whose generated password is printed once, then serves on
http://127.0.0.1:8000 with gunicorn and starts the background-job worker beside it.
Other commands: ``worker`` (the job worker alone), ``demo`` (load the demo), ``manage …``
(any Django management command).
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

ADMIN_USERNAME = "admin"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecocite.web.settings")
    import django

    django.setup()


def prepare(*, demo: bool = True, out: Any = sys.stdout) -> None:
    """Migrate, collect static files, and on first start load the demo and create the admin."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0)
    marker = Path(settings.DATA_DIR) / "first-start-done"
    if marker.exists():
        return
    if demo:
        from ecocite.web.demo import load_demo

        print("Loading the demo cities, their data and assessments …", file=out)
        load_demo(log=lambda line: print(line, file=out))
    password = create_demo_admin()
    if password:
        print(
            "\nSign in as the demo administrator (this password is shown only once):\n"
            f"  user name: {ADMIN_USERNAME}\n  password:  {password}\n",
            file=out,
        )
    marker.write_text("1")


def create_demo_admin() -> str | None:
    """Create the administrator with a generated password; None if one exists already."""
    from ecocite.web.accounts.models import Role, RoleKind, User

    if User.objects.filter(username=ADMIN_USERNAME).exists():
        return None
    password = secrets.token_urlsafe(12)
    user = User.objects.create_superuser(ADMIN_USERNAME, "admin@localhost", password)
    Role.objects.create(user=user, kind=RoleKind.ADMINISTRATOR)
    return password


def _gunicorn(bind: str, workers: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    from ecocite.web.wsgi import application

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in {
                "bind": bind,
                "workers": workers,
                "threads": threads,
                "accesslog": None,
                "timeout": 60,
            }.items():
                self.cfg.set(key, value)
            if "control_socket_disable" in self.cfg.settings:
                # One control socket per user would be shared by every server (tests, benchmarks).
                self.cfg.set("control_socket_disable", True)

        def load(self) -> Any:
            return application

    Server().run()


def serve(args: argparse.Namespace) -> None:
    """Serve with gunicorn, the job worker beside it, after the first-start preparation."""
    prepare(demo=not args.no_demo)
    worker = None
    if not args.no_worker:
        worker = subprocess.Popen([sys.executable, "-m", "ecocite.web", "worker"])
    print(f"EcoCité on http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True)
    try:
        if args.dev:
            from django.core.management import call_command

            call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
        else:
            _gunicorn(f"{args.host}:{args.port}", args.workers, args.threads)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=10)


def main(argv: list[str] | None = None) -> None:
    """Run the ``ecocite-web`` command."""
    parser = argparse.ArgumentParser(prog="ecocite-web", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("serve", help="run the platform (default)")
    run.add_argument("--host", default=os.environ.get("ECOCITE_HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("ECOCITE_PORT", "8000")))
    run.add_argument("--workers", type=int, default=int(os.environ.get("ECOCITE_WORKERS", "2")))
    run.add_argument("--threads", type=int, default=int(os.environ.get("ECOCITE_THREADS", "4")))
    run.add_argument("--dev", action="store_true", help="Django's development server (DEBUG)")
    run.add_argument("--no-demo", action="store_true", help="do not load the demo on first start")
    run.add_argument("--no-worker", action="store_true", help="jobs run by a separate worker")
    sub.add_parser("worker", help="run background jobs from the database queue")
    sub.add_parser("demo", help="load the demo cities, data and assessments")
    sub.add_parser("notify-phases", help="announce phase openings to followers (idempotent; cron)")
    sub.add_parser("notify-digest", help="send the daily notification digests (cron, once a day)")
    sub.add_parser(
        "remind-workshops", help="remind people registered for tomorrow's workshops (cron)"
    )
    manage = sub.add_parser("manage", help="a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command or "serve"
    if command == "serve" and args.command is None:
        args = parser.parse_args(["serve", *(argv or [])])
    if getattr(args, "dev", False):
        os.environ.setdefault("ECOCITE_DEBUG", "1")
    _setup()
    from django.core.management import call_command, execute_from_command_line

    if command == "serve":
        serve(args)
    elif command == "worker":
        call_command("migrate", interactive=False, verbosity=0)
        call_command("db_worker", interval=0.5, startup_delay=False)
    elif command == "demo":
        from ecocite.web.demo import load_demo

        call_command("migrate", interactive=False, verbosity=0)
        load_demo()
    elif command in ("notify-phases", "notify-digest", "remind-workshops"):
        call_command(command.replace("-", "_"))
    else:
        execute_from_command_line(["ecocite-web", *args.rest])


if __name__ == "__main__":
    main()
