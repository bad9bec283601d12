"""Start Django for the workbench: settings from the CLI's options, migrations, the server."""

from __future__ import annotations

import os
from pathlib import Path

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def configure(data: Path, db: str | None, *, host: str | None = None) -> None:
    """Point the settings at a data folder and database, then set Django up (once per process)."""
    os.environ["BUDGETGEN_DATA"] = str(data)
    if db:
        os.environ["BUDGETGEN_DB"] = db
    if host is not None:
        if host in LOOPBACK:  # plain http on this machine: browsers would drop Secure cookies
            os.environ.setdefault("BUDGETGEN_SECURE_COOKIES", "0")
        if host in ("0.0.0.0", "::"):  # every address of the machine: the office reaches it by any name
            os.environ.setdefault("BUDGETGEN_ALLOWED_HOSTS", "*")
        elif host not in LOOPBACK:
            hosts = os.environ.get("BUDGETGEN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
            os.environ["BUDGETGEN_ALLOWED_HOSTS"] = f"{hosts},{host}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "generator.workbench.settings")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def serve(host: str, port: int, threads: int = 16) -> None:
    """Serve with waitress until interrupted; the job runner works in a thread beside it.

    An upload holds its thread while a worker checks it: 16 threads keep pages answering while
    many clerks upload at once.
    """
    import signal

    from waitress import serve as waitress_serve

    from generator.workbench import jobs, pool
    from generator.workbench.wsgi import application

    def stopped(signum, frame) -> None:
        raise SystemExit(0)  # SIGTERM (`kill PID`, a service's stop) ends the server as Ctrl+C does

    signal.signal(signal.SIGTERM, stopped)
    stop = jobs.start_runner()
    try:
        waitress_serve(application, host=host, port=port, threads=threads, ident="budgetgen",
                       max_request_body_size=25 * 1024 * 1024, trusted_proxy="127.0.0.1",
                       trusted_proxy_headers={"x-forwarded-proto", "x-forwarded-for"}, clear_untrusted_proxy_headers=True)
    finally:
        stop.set()
        pool.shutdown(terminate=True)  # a check or render under way is not waited for: jobs run again at start
