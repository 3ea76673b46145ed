"""A refused request is one log line, and a failed CSRF check shows the app's own page in the
user's language (issue 17 finding 13)."""

import logging

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _forbidden_user(world):
    for user in (world.process_leader, world.outsider):
        if user.organisation_id is None:
            return user
    pytest.fail("no persona without an organisation")


def test_a_403_is_logged_as_one_line_without_a_traceback(world, client, caplog):
    client.force_login(_forbidden_user(world))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("cases:start"))
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    (record,) = records
    assert record.exc_info is None
    line = logging.Formatter().format(record)
    assert "Traceback" not in line and "\n" not in line
    assert "Forbidden" in line and "/cases/" in line


def test_a_server_error_keeps_its_traceback(caplog):
    """Only refusals lose their stack: a real error still logs it."""
    logger = logging.getLogger("django.request")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        with caplog.at_level(logging.ERROR, logger="django.request"):
            logger.error("Internal Server Error: /x/", exc_info=True, extra={"status_code": 500})
    assert "Traceback" in logging.Formatter().format(caplog.records[-1])


@pytest.mark.parametrize(
    ("language", "heading", "lang"),
    [
        ("sv", "Formuläret kunde inte skickas", 'lang="sv"'),
        ("en", "The form could not be sent", 'lang="en"'),
    ],
)
def test_a_failed_csrf_check_shows_the_apps_own_page(world, language, heading, lang):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.key_person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("cases:start"), {"given_name": "Alva"})
    page = response.content.decode()
    assert response.status_code == 403
    assert heading in page and lang in page
    assert "CSRF verification failed" not in page
    assert reverse("teams:start") in page
