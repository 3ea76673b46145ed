"""Fault test: the database goes away under a running app server and comes back.

The app runs under gunicorn with production settings against a scratch database. While
PostgreSQL refuses connections to it, a logged-in user gets the friendly error page (no
stack trace); when it accepts them again, the same server answers normally.
"""

import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tests.test_operations import (
    _admin_connection,
    create_migrated_scratch_database,
    scratch_database_name,
)

ROOT = Path(__file__).resolve().parent.parent
DB = scratch_database_name("fault")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(opener, url, data=None):
    try:
        # Generous: on a loaded 2-core machine a request here once took more than 20 s. The
        # test is about what the server answers, not how fast.
        with opener.open(url, data=data, timeout=90) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_app_survives_the_database_going_away(tmp_path):
    conninfo, admin = _admin_connection()
    password = f":{conninfo['password']}" if conninfo["password"] else ""
    url = f"postgres://{conninfo['user']}{password}@{conninfo['host']}:{conninfo['port']}/{DB}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "hlt.settings",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    admin.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    create_migrated_scratch_database(admin, DB)
    server = None
    try:
        for command in (
            ["migrate", "--noinput", "-v0"],
            ["seed_demo"],
            ["collectstatic", "--noinput", "-v0"],
        ):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                timeout=300,
            )
        port = _free_port()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "hlt.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "90",
                # Import the app once, before forking: a worker that gunicorn replaces under
                # load starts at once instead of importing Django again.
                "--preload",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        # Until the server answers: seconds on a quiet machine, a minute or more on a loaded one
        # (ten seconds were once not enough for gunicorn to import the app).
        deadline = time.monotonic() + 180
        while True:
            try:
                status, page = _get(opener, f"{base}/login/")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "gunicorn did not answer within 180 s"
                time.sleep(0.2)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": "samordnare@demo.hlt.example",
                "password": "demo-hlt-2026",
            }
        ).encode()
        request = urllib.request.Request(
            f"{base}/login/", data=form, headers={"Referer": f"{base}/login/"}
        )
        status, page = _get(opener, request)
        assert status == 200 and "Du samordnar" in page

        # The database goes away: connections are cut and new ones refused.
        admin.execute(f"ALTER DATABASE {DB} ALLOW_CONNECTIONS false")
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [DB]
        )
        status, page = _get(opener, f"{base}/")
        assert status == 500
        assert "Något gick fel" in page
        assert "Traceback" not in page and "OperationalError" not in page
        # Monitoring calls the health endpoint without a session.
        status, _body = _get(urllib.request.build_opener(), f"{base}/health/")
        assert status == 503

        # It comes back: the same server answers without a restart.
        admin.execute(f"ALTER DATABASE {DB} ALLOW_CONNECTIONS true")
        status, page = _get(opener, f"{base}/")
        assert status == 200 and "Du samordnar" in page
    finally:
        if server is not None:
            server.terminate()  # gunicorn's graceful stop; on a loaded machine it can be slow
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        admin.execute(f"ALTER DATABASE {DB} ALLOW_CONNECTIONS true")
        admin.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        admin.close()
