"""`make run` does the whole job: DEBUG on, SQLite, no worker process.

Background tasks (the printed SIP plan) run at once inside the request, and a page that does
not exist, or that the person may not know exists, is the app's own "page not found", not
Django's technical page listing every URL pattern.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
IMMEDIATE = "django.tasks.backends.immediate.ImmediateBackend"


def _tasks_backend(**env) -> str:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "TASKS_BACKEND", "SECRET_KEY", "DATABASE_URL"}
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "hlt.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_in_development_background_tasks_run_at_once():
    assert _tasks_backend(DEBUG="1") == IMMEDIATE


def test_in_production_background_tasks_go_to_the_worker():
    assert _tasks_backend(DEBUG="0", SECRET_KEY="x" * 50) == "django_tasks_db.DatabaseBackend"
    assert _tasks_backend(DEBUG="1", TASKS_BACKEND="django_tasks_db.DatabaseBackend") == (
        "django_tasks_db.DatabaseBackend"
    )


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def _is_own_not_found_page(response) -> bool:
    text = response.content.decode()
    return (
        response.status_code == 404
        and "<h1>Sidan finns inte</h1>" in text
        and "URLconf" not in text
        and "DEBUG = True" not in text
    )


@pytest.mark.django_db
def test_under_debug_an_unknown_address_is_the_apps_own_page(debug, client):
    assert _is_own_not_found_page(client.get("/no-such-page/"))


def test_under_debug_a_case_the_person_may_not_know_is_the_apps_own_page(debug, world, client):
    client.force_login(world.staff)
    response = client.get(reverse("cases:detail", args=[999999]))
    assert _is_own_not_found_page(response)


@pytest.mark.django_db
def test_under_debug_a_missing_slash_still_redirects(debug, client):
    response = client.get("/login")
    assert (response.status_code, response["Location"]) == (301, "/login/")


@pytest.mark.django_db
def test_without_debug_an_unknown_address_is_the_same_page(client):
    assert _is_own_not_found_page(client.get("/no-such-page/"))
