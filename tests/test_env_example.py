"""A copied `.env.example`, with only its SECRET_KEY filled in, passes `check --deploy`
(issue 17 finding 12). The database is the test's own, so the check can start."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values[key] = value
    return values


@pytest.mark.django_db
def test_the_example_environment_passes_the_deployment_check(tmp_path):
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL")}
    env.update(_example())
    assert env["SECRET_KEY"] == ""  # never a real secret in the repository
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env["MEDIA_ROOT"], env["STATIC_ROOT"] = str(tmp_path / "media"), str(tmp_path / "static")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
