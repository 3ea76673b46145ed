"""Bad configuration stops with one clear line, not a stack trace."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "hlt.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_no_secret_key_with_debug_off_stops_with_one_line():
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "HLT configuration error: SECRET_KEY must be set when DEBUG is off (see .env.example)."
    ]


def test_an_unreachable_database_stops_with_one_line():
    result = _manage("migrate", DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("HLT: cannot use the database")
    assert "Traceback" not in result.stderr


def test_without_database_url_the_quick_start_uses_sqlite():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DJANGO_SETTINGS_MODULE": "hlt.settings",
            "DEBUG": "1",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_production_settings_are_secure_by_default():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
            " s.SECURE_HSTS_SECONDS > 0, s.X_FRAME_OPTIONS, s.ALLOWED_HOSTS)",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "ALLOWED_HOSTS"}},
            "DJANGO_SETTINGS_MODULE": "hlt.settings",
            "SECRET_KEY": "x" * 50,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "True True True True DENY []"


def test_uploads_go_to_s3_compatible_storage_when_a_bucket_is_configured():
    code = (
        "from django.core.files.storage import default_storage as s;"
        "s._setup(); print(type(s._wrapped).__name__)"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "hlt.settings",
        "DEBUG": "1",
        "AWS_STORAGE_BUCKET_NAME": "hlt-uploads",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "S3Storage", result.stderr
