"""The production settings, plus the benchmark's baseline page. Used only by `make bench`
(gunicorn and the in-process query counts run with DJANGO_SETTINGS_MODULE=bench.settings)."""

from hlt.settings import *  # noqa: F403

# The benchmark and its load generator exist only here, never in production settings.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
