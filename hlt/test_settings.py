"""Settings for the test suite: PostgreSQL always, fast hashing, in-memory e-mail."""

import os

os.environ.setdefault("DEBUG", "1")

from .settings import *  # noqa: E402,F403
from .settings import env  # noqa: E402

# The suite also tests the benchmark's generator and query counts (tests/bench/).
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/hlt")}
# Cheap commits: a test database that loses its last commits in a crash loses nothing of value,
# and the suite commits often (transactional tests, live-server tests). Per session, so the
# server's own settings, and every other database on it, stay as they are. No JIT, as in
# production (hlt/settings.py).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off -c jit=off"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests never run collectstatic: the live server serves static files from the apps' folders
# (Django's StaticFilesHandler). Without a STATIC_ROOT WhiteNoise has no missing directory to
# index, and warns about none (it did once per test client, some 350 times a run).
STATIC_ROOT = None
# The queue and worker as in production; tests that want a task run at once say so.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The second factor has its own tests (tests/teams/test_second_factor.py); elsewhere a
# logged-in test user counts as having confirmed it.
REQUIRE_SECOND_FACTOR = False
