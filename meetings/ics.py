"""Meetings as iCalendar (RFC 5545): the private feed of a member and one meeting's invitation.

Neither ever names a child: a calendar lives on phones and in shared mail systems.
"""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Meeting

PRODID = "-//HLT//Meetings//SV"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _event(meeting: Meeting, url: str) -> Event:
    tz = ZoneInfo(settings.TIME_ZONE)
    event = Event()
    event.add("uid", f"hlt-meeting-{meeting.pk}@hlt")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", datetime.datetime.combine(meeting.date, meeting.starts_at, tzinfo=tz))
    event.add("dtend", datetime.datetime.combine(meeting.date, meeting.ends_at, tzinfo=tz))
    event.add("summary", _("HLT meeting: %(team)s") % {"team": meeting.team.name})
    event.add("location", meeting.place)
    event.add("sequence", meeting.version)
    if url:
        event.add("url", url)
        event.add("description", _("Agenda and minutes: %(url)s") % {"url": url})
    if meeting.state == Meeting.State.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    return event


def meetings_calendar(meetings: Iterable[Meeting], *, name: str, url_for) -> bytes:
    """A calendar of meetings; `url_for(meeting)` gives each meeting's absolute address."""
    cal = _calendar(name)
    days = []
    for meeting in meetings:
        cal.add_component(_event(meeting, url_for(meeting)))
        days.append(meeting.date)
    # RFC 5545 §3.6.5: every TZID used needs its VTIMEZONE, or some clients guess the offset.
    # Generated from zoneinfo for the years the meetings span (not 1970–2038), so the feed
    # stays small.
    if days:
        cal.add_missing_timezones(
            first_date=datetime.date(min(days).year - 1, 1, 1),
            last_date=datetime.date(max(days).year + 2, 1, 1),
        )
    return cal.to_ical()
