"""gunicorn's settings for the app. gunicorn reads this file from the directory it starts in, so
the Docker image, the compose file, `make bench` and a plain `gunicorn hlt.wsgi` all serve the
app the same way; options on the command line (`--bind`, `--workers`) override it. It sets no
address: gunicorn's own default is 127.0.0.1:8000, and the image binds 0.0.0.0:8000.

The app's requests are CPU work in Python between short queries, so the workers are sync
processes, one request at a time each (threads would queue on the interpreter lock): about
two per core, plus one, so that a core is never idle while a worker waits for PostgreSQL.
Each worker keeps one persistent database connection (CONN_MAX_AGE, hlt/settings.py).
README: Running it in production.
"""

import gc
import os
from pathlib import Path

worker_class = "sync"
# WEB_CONCURRENCY: gunicorn's own variable for the number of workers. The cores counted are
# those this process may run on; a container limited by a CPU quota instead sees the host's
# cores, so set WEB_CONCURRENCY there.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * len(os.sched_getaffinity(0)) + 1)
# A request that takes longer is stuck: the worker is replaced (long PDFs are the background
# worker's, not a request's).
timeout = 60
graceful_timeout = 30
# Import the app once, before forking: the workers share its memory and a worker that
# replaces one starts at once instead of importing Django again.
preload_app = True
# Connections waiting for a free worker in a burst, beyond which the kernel refuses them.
backlog = 2048
# One line per request on stdout (the container's log), off with GUNICORN_ACCESS_LOG=0.
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") != "0" else None


def pre_fork(server, worker):
    """No database connection crosses a fork: a socket shared by two processes mixes their
    queries. Nothing connects while the app is imported today; this keeps it so."""
    from django.db import connections

    connections.close_all()


def when_ready(server):
    """Once, in the master, after the app is imported and before the first fork: compile the
    app's templates, load both languages' messages and the URL patterns, then freeze every
    object so far out of the garbage collector's reach. The workers inherit all of it: no
    first request compiles a template, and a full collection in a worker scans only what the
    worker made (about 10 ms instead of about 90 ms measured on a warm worker; such a
    collection landed on a request every 150 or so)."""
    if not server.cfg.preload_app:
        return
    _warm_up()
    gc.freeze()


def _warm_up():
    from django.conf import settings
    from django.template import engines
    from django.template.utils import get_app_template_dirs
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().reverse_dict  # noqa: B018 (builds the URL patterns' reverse lookup)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Start")
    for engine in engines.all():
        directories = [*getattr(engine, "dirs", []), *get_app_template_dirs("templates")]
        for directory in map(Path, directories):
            if "site-packages" in directory.parts:
                continue  # the libraries' (the admin's): few requests, compiled when asked
            for path in sorted(directory.rglob("*.html")):
                try:
                    engine.get_template(str(path.relative_to(directory)))
                except Exception:  # noqa: BLE001, S112 (a warm-up never stops the server)
                    continue
