"""Settings for the test suite: PostgreSQL always, fast hashing, in-memory e-mail."""

import os

os.environ.setdefault("DEBUG", "1")

from .settings import *  # noqa: E402,F403
from .settings import env  # noqa: E402

# The suite also tests the benchmark's generator and query counts (tests/bench/).
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/hlt")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The queue and worker as in production; tests that want a task run at once say so.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The second factor has its own tests (tests/teams/test_second_factor.py); elsewhere a
# logged-in test user counts as having confirmed it.
REQUIRE_SECOND_FACTOR = False
