"""Issue 16 item 6: with a "1st weekday" rule a month whose rule day falls before the term's
first teaching day got no meeting, silently. The coordinator is told which months and why."""

import datetime

from django.utils import translation

from meetings import services
from meetings.schedule import holiday_name, months_outside
from meetings.views import _outside_message
from tests import factories as f

D = datetime.date


def _vt_2027():
    return f.TermFactory(kind="VT", year=2027, starts_on=D(2027, 1, 8), ends_on=D(2027, 6, 11))


def test_months_whose_rule_day_is_outside_the_term_are_named():
    # 1st Monday: 4 January 2027 is before the term's first day, 8 January.
    assert months_outside(week_of_month=1, weekday=0, first=D(2027, 1, 8), last=D(2027, 6, 11)) == [
        (D(2027, 1, 4), "before")
    ]
    # Last Friday: 25 June is after the last teaching day, 11 June.
    assert months_outside(week_of_month=5, weekday=4, first=D(2027, 1, 8), last=D(2027, 6, 11)) == [
        (D(2027, 6, 25), "after")
    ]


def test_generating_tells_the_coordinator_which_month_got_no_meeting(world):
    team = world.team_a
    team.meeting_week_of_month, team.meeting_weekday = 1, 0
    team.save()
    term = _vt_2027()
    result = services.meetings_generate(team=team, term=term, by=world.coordinator)
    assert (D(2027, 1, 4), "before_term") in result.outside
    assert not any(m.date.month == 1 for m in result.created)
    with translation.override("sv"):
        text = _outside_message(D(2027, 1, 4), "before_term", term)
    assert text.startswith("Januari 2027: inget möte")
    assert "måndag 4 januari" in text and "8 januari" in text


def test_holiday_names_follow_the_readers_language():
    assert holiday_name(D(2026, 12, 24)) == "Julafton"
    assert holiday_name(D(2026, 12, 24), "sv") == "Julafton"
    assert holiday_name(D(2026, 12, 24), "en") == "Christmas Eve"
