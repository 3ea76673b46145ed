"""Eight tabs add a meeting on the same free day at the same moment, against the live server on
PostgreSQL: one meeting is stored, the others are told the day is taken, nobody gets a 5xx."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from meetings.schedule import rule_dates
from teams.models import Term
from tests.concurrency import Browser, at_once

from .conftest import free_day, make_meeting


@pytest.mark.django_db(transaction=True)
def test_eight_tabs_adding_one_day_make_one_meeting(world, live_server):
    """Eight tabs, each with its own one-time token: only the unique index can keep the day."""
    day = free_day(world.team_a)
    url = reverse("meetings:add", args=[world.team_a.pk])
    data = {"date": day.isoformat(), "starts_at": "13:00", "ends_at": "15:00", "place": "Rum 2"}
    tabs = [Browser(live_server.url, world.coordinator) for _n in range(8)]
    forms = [{**tab.form_fields(url), **data} for tab in tabs]
    statuses = at_once(
        [
            lambda tab=tab, form=form: tab.post(url, form)
            for tab, form in zip(tabs, forms, strict=True)
        ]
    )
    assert not [s for s in statuses if s >= 500], statuses
    assert sorted(statuses) == [200] * 7 + [302]
    assert Meeting.objects.filter(team=world.team_a, date=day).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_tab_sending_the_form_four_times_makes_one_meeting(world, live_server):
    """A double (quadruple) click: one token, one meeting, and every answer shows it."""
    day = free_day(world.team_a)
    url = reverse("meetings:add", args=[world.team_a.pk])
    tab = Browser(live_server.url, world.coordinator)
    form = {**tab.form_fields(url), "date": day.isoformat(), "starts_at": "13:00"}
    form.update({"ends_at": "15:00", "place": "Rum 2"})
    statuses = at_once([lambda: tab.post(url, form)] * 4)
    assert statuses == [302] * 4
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
