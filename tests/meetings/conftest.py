"""Helpers for the meetings tests: waiting cases with distinct children, and meetings."""

import datetime
import itertools

import pytest
from django.utils import timezone

from cases.services import case_grant_team_access
from cases.workflow import Status
from meetings.models import Meeting
from meetings.schedule import holiday_name
from teams.models import Term
from tests import factories as f

_names = itertools.count(1)


def waiting_case(
    world,
    *,
    given: str | None = None,
    family: str | None = None,
    sectors=("school", "health"),
    protected: bool = False,
    team=None,
):
    """An actualised case of team A with a valid consent (the factories' way, so every child
    is distinct; make_case always registers the same personal identity number)."""
    n = next(_names)
    child = f.ChildFactory(
        given_name=given or f"Barn{n}",
        family_name=family or f"Efternamn{n}",
        school=world.school,
        protected_identity=protected,
    )
    case = f.CaseFactory(
        child=child,
        initiated_by=world.key_person,
        team=team or world.team_a,
        status=Status.ACTUALISED,
        actualised_at=timezone.now(),
    )
    f.ConsentFactory(
        case=case,
        covers_school="school" in sectors,
        covers_health="health" in sectors,
        covers_social="social" in sectors,
    )
    case_grant_team_access(case=case)
    return case


def free_day(team, *, after: datetime.date | None = None) -> datetime.date:
    """The first future weekday inside a term, not a holiday, without a meeting of the team."""
    day = (after or timezone.localdate()) + datetime.timedelta(days=1)
    while True:
        term = Term.objects.ensure_for_day(day)
        if (
            day.weekday() < 5
            and not holiday_name(day)
            and term.contains(day)
            and not Meeting.objects.filter(team=team, date=day).exists()
        ):
            return day
        day += datetime.timedelta(days=1)


def make_meeting(world, *, day: datetime.date | None = None, team=None, **kwargs) -> Meeting:
    team = team or world.team_a
    day = day or free_day(team)
    return Meeting.objects.create(
        team=team,
        term=Term.objects.ensure_for_day(day),
        date=day,
        starts_at=datetime.time(13, 0),
        ends_at=datetime.time(15, 0),
        place="Solenskolan, rum 2",
        **kwargs,
    )


@pytest.fixture
def meeting(world):
    return make_meeting(world)


@pytest.fixture
def todays_meeting(world):
    """A meeting today, so minutes and attendance can be recorded."""
    return make_meeting(world, day=timezone.localdate())
