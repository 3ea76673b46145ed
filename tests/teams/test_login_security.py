"""Login throttling and session limits."""

import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from teams.models import UserSession
from tests import factories as f

pytestmark = pytest.mark.django_db

LOGIN = "/login/"


def _attempt(client, email, password, ip):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_lockout_after_repeated_failures_for_one_user_from_one_ip_only(world, settings):
    shared_ip = "10.20.30.40"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(Client(), world.key_person.email, "wrong", shared_ip)

    # Now even the right password is refused for that user from that address ...
    locked = _attempt(Client(), world.key_person.email, f.PASSWORD, shared_ip)
    assert locked.status_code == 429
    assert "För många försök" in locked.content.decode()
    # ... while a colleague behind the same school address logs in,
    colleague = _attempt(Client(), world.key_person_health.email, f.PASSWORD, shared_ip)
    assert colleague.status_code == 302
    # and the same user from another address too.
    elsewhere = _attempt(Client(), world.key_person.email, f.PASSWORD, "10.99.0.1")
    assert elsewhere.status_code == 302


def test_a_session_ends_after_thirty_idle_minutes(world, client):
    client.post(LOGIN, {"username": world.key_person.email, "password": f.PASSWORD})
    session = Session.objects.get()
    expected = timezone.now() + datetime.timedelta(minutes=30)
    assert abs((session.expire_date - expected).total_seconds()) < 60
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("teams:start"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_activity_keeps_the_session_alive(world, client):
    client.post(LOGIN, {"username": world.key_person.email, "password": f.PASSWORD})
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    assert client.get(reverse("teams:start")).status_code == 200
    assert Session.objects.get().expire_date > timezone.now() + datetime.timedelta(minutes=29)


def test_the_idle_clock_is_renewed_at_most_once_a_minute(world, client):
    """Not every page view writes the session: one write a minute is enough for a 30-minute
    idle limit, and saves a database write per page."""
    client.post(LOGIN, {"username": world.key_person.email, "password": f.PASSWORD})
    assert client.get(reverse("teams:start")).status_code == 200
    soon = timezone.now() + datetime.timedelta(minutes=5)
    Session.objects.update(expire_date=soon)
    assert client.get(reverse("teams:start")).status_code == 200
    assert Session.objects.get().expire_date == soon  # touched less than a minute ago
    session = client.session
    session["hlt_touched"] = time.time() - 61
    session.save()
    Session.objects.update(expire_date=soon)
    assert client.get(reverse("teams:start")).status_code == 200
    assert Session.objects.get().expire_date > timezone.now() + datetime.timedelta(minutes=29)


def test_a_session_ends_after_ten_hours_in_all(world, client):
    client.post(LOGIN, {"username": world.key_person.email, "password": f.PASSWORD})
    session = client.session
    session["hlt_login_at"] = time.time() - 10 * 3600 - 1
    session.save()
    response = client.get(reverse("teams:start"))
    assert response.status_code == 302
    assert client.get(reverse("teams:start")).status_code == 302


def test_disabling_a_user_ends_their_sessions(world, client):
    client.force_login(world.key_person)
    assert client.get(reverse("teams:start")).status_code == 200
    world.key_person.is_active = False
    world.key_person.save()
    assert client.get(reverse("teams:start")).status_code == 302


def test_a_person_sees_and_ends_their_own_sessions(world):
    laptop, phone = Client(), Client()
    laptop.post(
        LOGIN,
        {"username": world.key_person.email, "password": f.PASSWORD},
        HTTP_USER_AGENT="Laptop",
    )
    phone.post(
        LOGIN, {"username": world.key_person.email, "password": f.PASSWORD}, HTTP_USER_AGENT="Phone"
    )
    f.UserFactory()  # someone else's sessions are not listed
    page = laptop.get(reverse("teams:my_sessions")).content.decode()
    assert "Laptop" in page and "Phone" in page
    phone_key = UserSession.objects.get(user_agent="Phone").session_key
    laptop.post(reverse("teams:my_sessions"), {"session_key": phone_key})
    assert phone.get(reverse("teams:start")).status_code == 302
    assert laptop.get(reverse("teams:start")).status_code == 200


def test_nobody_ends_someone_elses_session(world):
    mine, theirs = Client(), Client()
    mine.post(LOGIN, {"username": world.key_person.email, "password": f.PASSWORD})
    theirs.post(LOGIN, {"username": world.key_person_health.email, "password": f.PASSWORD})
    their_key = UserSession.objects.get(user=world.key_person_health).session_key
    mine.post(reverse("teams:my_sessions"), {"session_key": their_key})
    assert theirs.get(reverse("teams:start")).status_code == 200
