"""Eight tabs add a meeting on the same free day at the same moment, against the live server on
PostgreSQL: one meeting is stored, the others are told the day is taken, nobody gets a 5xx."""

import datetime
import re
import threading

import pytest
import requests
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from meetings.schedule import rule_dates
from teams.models import Term

from .conftest import free_day, make_meeting


def logged_in_sessions(
    live_server, user, url: str, count: int
) -> list[tuple[requests.Session, str]]:
    """`count` browser-like sessions of `user`, each holding the form's CSRF token for `url`."""
    sessions = []
    for _n in range(count):
        client = Client()
        client.force_login(user)
        session = requests.Session()
        session.cookies.set("sessionid", client.cookies["sessionid"].value)
        page = session.get(live_server.url + url, timeout=30)
        assert page.status_code == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        sessions.append((session, token))
    return sessions


def post_at_once(live_server, sessions, url: str, data: dict) -> list[int]:
    """Every session posts `data` to `url` after a common barrier; the status codes."""
    barrier = threading.Barrier(len(sessions))
    statuses: list[int] = []

    def post(session, token):
        barrier.wait(timeout=30)
        response = session.post(
            live_server.url + url,
            {**data, "csrfmiddlewaretoken": token},
            headers={"Referer": live_server.url + url},
            allow_redirects=False,
            timeout=60,
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=pair) for pair in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return statuses


@pytest.mark.django_db(transaction=True)
def test_eight_tabs_adding_one_day_make_one_meeting(world, live_server):
    day = free_day(world.team_a)
    url = reverse("meetings:add", args=[world.team_a.pk])
    sessions = logged_in_sessions(live_server, world.coordinator, url, 8)
    statuses = post_at_once(
        live_server,
        sessions,
        url,
        {"date": day.isoformat(), "starts_at": "13:00", "ends_at": "15:00", "place": "Rum 2"},
    )
    assert len(statuses) == 8
    assert not [s for s in statuses if s >= 500], statuses
    assert sorted(statuses) == [200] * 7 + [302]
    assert Meeting.objects.filter(team=world.team_a, date=day).count() == 1


@pytest.mark.django_db
def test_generating_the_term_skips_a_rule_day_that_already_has_an_added_meeting(world):
    team = world.team_a
    today = timezone.localdate()
    days, _skipped = rule_dates(
        week_of_month=team.meeting_week_of_month,
        weekday=team.meeting_weekday,
        first=today + datetime.timedelta(days=1),
        last=today + datetime.timedelta(days=400),
    )
    day = next(d for d in days if Term.objects.ensure_for_day(d).contains(d))
    added = services.meeting_add(
        team=team,
        by=world.coordinator,
        date=day,
        starts_at=datetime.time(9),
        ends_at=datetime.time(10),
        place="Rum 5",
    )
    services.meetings_generate(
        team=team, term=Term.objects.ensure_for_day(day), by=world.coordinator
    )
    assert list(Meeting.objects.filter(team=team, date=day)) == [added]


@pytest.mark.django_db
def test_the_database_refuses_a_second_meeting_on_a_day_but_not_after_a_cancellation(world):
    first = make_meeting(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_meeting(world, day=first.date)
    first.state = Meeting.State.CANCELLED
    first.save()
    assert make_meeting(world, day=first.date).state == Meeting.State.PLANNED
