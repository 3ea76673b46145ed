"""Generating a term's meetings from the team's rule; moving, cancelling and adding one."""

import datetime

import holidays
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from meetings.schedule import holiday_name, rule_dates, rule_day
from tests import factories as f

from .conftest import free_day, make_meeting, waiting_case

pytestmark = pytest.mark.django_db

D = datetime.date


def _ht_2026():
    return f.TermFactory(kind="HT", year=2026, starts_on=D(2026, 8, 18), ends_on=D(2026, 12, 19))


def test_ht_2026_for_a_second_tuesday_team_skips_the_summer_break(world):
    term = _ht_2026()
    result = services.meetings_generate(team=world.team_a, term=term, by=world.coordinator)
    dates = list(
        Meeting.objects.filter(team=world.team_a).order_by("date").values_list("date", flat=True)
    )
    # 11 Aug is the 2nd Tuesday of August but falls in the summer break (term starts 18 Aug).
    assert dates == [D(2026, 9, 8), D(2026, 10, 13), D(2026, 11, 10), D(2026, 12, 8)]
    assert len(result.created) == 4
    meeting = Meeting.objects.get(team=world.team_a, date=D(2026, 9, 8))
    assert (meeting.starts_at, meeting.ends_at) == (datetime.time(13), datetime.time(15))
    assert meeting.place == world.team_a.meeting_place
    assert meeting.term == term


def test_public_holidays_are_skipped_but_sundays_are_not_holidays():
    # VT 2026, 1st Monday: 5 Jan is before the term, 6 April is Easter Monday.
    meet, skipped = rule_dates(week_of_month=1, weekday=0, first=D(2026, 1, 8), last=D(2026, 6, 12))
    assert meet == [D(2026, 2, 2), D(2026, 3, 2), D(2026, 5, 4), D(2026, 6, 1)]
    assert skipped == [(D(2026, 4, 6), "Annandag påsk")]
    # VT 2027, 1st Thursday: Ascension Day 6 May.
    meet, skipped = rule_dates(week_of_month=1, weekday=3, first=D(2027, 1, 8), last=D(2027, 6, 11))
    assert D(2027, 5, 6) not in meet and skipped == [(D(2027, 5, 6), "Kristi himmelsfärdsdag")]
    assert holiday_name(D(2026, 11, 22)) is None  # an ordinary Sunday
    assert holiday_name(D(2026, 12, 24)) == "Julafton"


def test_last_weekday_of_the_month():
    assert rule_day(2026, 9, 5, 4) == D(2026, 9, 25)  # last Friday of September 2026
    assert rule_day(2026, 12, 5, 1) == D(2026, 12, 29)


def test_generating_twice_creates_nothing_new_and_keeps_moved_and_cancelled(world):
    term = _ht_2026()
    services.meetings_generate(team=world.team_a, term=term, by=world.coordinator)
    first = Meeting.objects.get(team=world.team_a, date=D(2026, 9, 8))
    Meeting.objects.filter(pk=first.pk).update(date=D(2026, 9, 9))  # moved
    Meeting.objects.filter(team=world.team_a, date=D(2026, 10, 13)).update(
        state=Meeting.State.CANCELLED
    )
    again = services.meetings_generate(team=world.team_a, term=term, by=world.coordinator)
    assert again.created == [] and again.already == 4
    assert Meeting.objects.filter(team=world.team_a).count() == 4
    assert Meeting.objects.get(pk=first.pk).date == D(2026, 9, 9)


def test_generating_from_a_day_leaves_out_the_past(world):
    term = _ht_2026()
    result = services.meetings_generate(
        team=world.team_a, term=term, by=world.coordinator, from_day=D(2026, 10, 14)
    )
    assert [m.date for m in result.created] == [D(2026, 11, 10), D(2026, 12, 8)]


def test_only_the_coordinator_generates(world):
    with pytest.raises(PermissionDenied):
        services.meetings_generate(team=world.team_a, term=_ht_2026(), by=world.key_person)


def test_move_a_meeting(world, meeting):
    day = free_day(world.team_a, after=meeting.date)
    moved = services.meeting_move(
        meeting=meeting,
        by=world.coordinator,
        version=meeting.version,
        date=day,
        starts_at=datetime.time(9),
        ends_at=datetime.time(11),
        place="Stadshuset",
    )
    meeting.refresh_from_db()
    assert (meeting.date, meeting.starts_at, meeting.place) == (day, datetime.time(9), "Stadshuset")
    assert moved.version == 2


@pytest.mark.parametrize(
    "change, field",
    [
        ({"day": "holiday"}, "date"),
        ({"day": "past"}, "date"),
        ({"day": "saturday"}, "date"),
        ({"ends_at": datetime.time(12)}, "ends_at"),
    ],
)
def test_a_meeting_cannot_move_to_a_bad_slot(world, meeting, change, field):
    today = timezone.localdate()
    ascension = next(
        d for d, n in holidays.Sweden(years=today.year + 1).items() if n == "Kristi himmelsfärdsdag"
    )
    day = {
        "holiday": ascension,  # always a Thursday in the spring term
        "past": today - datetime.timedelta(days=3),
        "saturday": today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7),
    }.get(change.get("day"), meeting.date)
    with pytest.raises(ValidationError) as exc:
        services.meeting_move(
            meeting=meeting,
            by=world.coordinator,
            version=meeting.version,
            date=day,
            starts_at=datetime.time(13),
            ends_at=change.get("ends_at", datetime.time(15)),
            place="X",
        )
    assert field in exc.value.message_dict


def test_cancel_sends_the_cases_back_to_the_waiting_list(world, meeting):
    case = waiting_case(world)
    services.agenda_add(meeting=meeting, case=case, by=world.coordinator, version=1)
    meeting.refresh_from_db()
    services.meeting_cancel(meeting=meeting, by=world.coordinator, version=meeting.version)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.CANCELLED
    assert not meeting.items.exists()
    from meetings.selectors import waiting_cases

    assert case in waiting_cases(world.team_a)


def test_add_a_single_meeting_and_refuse_a_second_on_the_same_day(world):
    day = free_day(world.team_a)
    meeting = services.meeting_add(
        team=world.team_a,
        by=world.coordinator,
        date=day,
        starts_at=datetime.time(8, 30),
        ends_at=datetime.time(10),
        place="Rum 3",
    )
    assert meeting.rule_date is None and meeting.term.contains(day)
    with pytest.raises(ValidationError) as exc:
        services.meeting_add(
            team=world.team_a,
            by=world.coordinator,
            date=day,
            starts_at=datetime.time(13),
            ends_at=datetime.time(14),
            place="Rum 3",
        )
    assert "date" in exc.value.message_dict


def test_generate_through_the_page_tells_what_was_skipped(world, client):
    client.force_login(world.coordinator)
    response = client.get(reverse("meetings:team", args=[world.team_a.pk]))
    term_value = response.context["generate_form"].fields["term"].choices[-1][0]
    response = client.post(
        reverse("meetings:generate", args=[world.team_a.pk]), {"term": term_value}, follow=True
    )
    assert response.status_code == 200
    assert "möten skapade" in response.content.decode()
    generated = Meeting.objects.filter(team=world.team_a)
    assert generated.exists()
    assert all(holiday_name(m.date) is None and m.term.contains(m.date) for m in generated)


def test_bad_input_on_the_add_page_is_shown_next_to_the_form(world, client):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("meetings:add", args=[world.team_a.pk]),
        {"date": "inte ett datum", "starts_at": "13:00", "ends_at": "12:00", "place": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    make_meeting(world)  # unrelated; the page still works
