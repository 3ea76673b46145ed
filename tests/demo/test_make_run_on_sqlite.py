"""`make run` serves on SQLite: every demo person's main pages answer there too.

The rest of the suite runs on PostgreSQL, so a query that only PostgreSQL understands
(DISTINCT ON, say) would pass it and still break the demo. This test seeds the demo into a
temporary SQLite file in a separate process, as `make run` does, and opens each demo
person's pages there.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PAGES_SCRIPT = """
from django.contrib.auth import get_user_model
from django.test import Client
from cases.models import Case

errors = []
for user in get_user_model().objects.all():
    client = Client(HTTP_HOST="127.0.0.1")  # make run's ALLOWED_HOSTS
    client.force_login(user)
    urls = ["/", "/cases/start/", "/cases/", "/meetings/", "/reports/", "/audit/", "/teams/mine/"]
    urls += [f"/cases/{pk}/" for pk in Case.objects.order_by("pk").values_list("pk", flat=True)]
    for url in urls:
        status = client.get(url, follow=True).status_code
        if status >= 500 or (url == "/" and status != 200):
            errors.append(f"{user.email} {url} {status}")
print("ERRORS:", errors)
"""


def test_every_demo_person_opens_their_pages_on_sqlite(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        DJANGO_SETTINGS_MODULE="hlt.settings",
    )

    def manage(*args, stdin=None):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )

    manage("migrate", "--noinput")
    manage("seed_demo")
    manage("seed_demo_cases")
    out = manage("shell", stdin=PAGES_SCRIPT).stdout
    assert "ERRORS: []" in out, out[-3000:]
