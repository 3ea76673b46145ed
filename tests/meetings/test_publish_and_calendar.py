"""Publishing the agenda (e-mail without names) and the calendar feed and invitations."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from meetings.models import CalendarFeed, Meeting
from tests import factories as f

from .conftest import make_meeting, waiting_case

pytestmark = pytest.mark.django_db


def _publish(meeting, by):
    meeting.refresh_from_db()
    return services.agenda_publish(
        meeting=meeting, by=by, version=meeting.version, meeting_url="https://hlt.example/m/1/"
    )


def test_publishing_emails_every_current_key_person_without_a_child_name(world, meeting):
    children = [
        waiting_case(world, given="Alva", family="Ekström"),
        waiting_case(world, given="Bosse", family="Lindqvist", protected=True),
        waiting_case(world, given="Cilla", family="Nordin", sectors=("social",)),
    ]
    for case in children:
        meeting.refresh_from_db()
        services.agenda_add(
            meeting=meeting, case=case, by=world.coordinator, version=meeting.version
        )
    # A former key person gets nothing.
    f.KeyPersonFactory(
        team=world.team_a,
        user__organisation=world.school,
        active_from=datetime.date(2020, 1, 1),
        active_to=datetime.date(2021, 1, 1),
        user__email="former@example.se",
    )

    sent = _publish(meeting, world.coordinator)

    members = {
        world.coordinator.email,
        world.key_person.email,
        world.key_person_health.email,
        world.key_person_social.email,
    }
    assert sent == 4
    assert {address for message in mail.outbox for address in message.to} == members
    assert all(len(message.to) == 1 for message in mail.outbox)  # no one sees the others
    for message in mail.outbox:
        text = message.subject + message.body
        for case in children:
            assert case.child.given_name not in text
            assert case.child.family_name not in text
        assert "3 ärenden" in text
        assert meeting.place in text and "13:00–15:00" in text
    meeting.refresh_from_db()
    assert meeting.published_at is not None and not meeting.changed_since_published


def test_an_empty_agenda_is_not_published(world, meeting):
    with pytest.raises(ValidationError):
        _publish(meeting, world.coordinator)
    assert not mail.outbox


def test_publishing_through_the_page(world, client, meeting):
    services.agenda_add(meeting=meeting, case=waiting_case(world), by=world.coordinator, version=1)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("meetings:publish", args=[meeting.pk]), {"version": 2}, follow=True
    )
    assert "4 nyckelpersoner har fått e-post" in response.content.decode()
    assert len(mail.outbox) == 4
    assert f"/meetings/{meeting.pk}/" in mail.outbox[0].body


def _feed(client, user):
    feed = services.calendar_feed_for(user=user)
    return reverse("meetings:feed", args=[feed.token])


def test_the_feed_holds_exactly_the_members_meetings(world, client):
    mine = [make_meeting(world), make_meeting(world)]
    cancelled = make_meeting(world, state=Meeting.State.CANCELLED)
    theirs = make_meeting(world, team=world.team_b)  # another team's meeting
    url = _feed(client, world.key_person_health)

    client.logout()  # calendar programs do not log in
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"hlt-meeting-{m.pk}@hlt" for m in [*mine, cancelled]}
    assert str(events[f"hlt-meeting-{cancelled.pk}@hlt"]["status"]) == "CANCELLED"
    first = events[f"hlt-meeting-{mine[0].pk}@hlt"]
    assert first.decoded("dtstart").date() == mine[0].date
    assert str(first["location"]) == mine[0].place

    other = Calendar.from_ical(client.get(_feed(client, world.key_person_other_team)).content)
    assert {str(e["uid"]) for e in other.walk("VEVENT")} == {f"hlt-meeting-{theirs.pk}@hlt"}


def test_the_feed_never_names_a_child(world, client, meeting):
    case = waiting_case(world, given="Saga", family="Strand")
    services.agenda_add(meeting=meeting, case=case, by=world.coordinator, version=1)
    content = client.get(_feed(client, world.coordinator)).content.decode()
    assert "Saga" not in content and "Strand" not in content


def test_reset_token_makes_the_old_address_404(world, client):
    make_meeting(world)
    old = _feed(client, world.key_person)
    assert client.get(old).status_code == 200
    client.force_login(world.key_person)
    response = client.post(reverse("meetings:calendar_reset"), follow=True)
    assert "ny adress" in response.content.decode()
    client.logout()
    assert client.get(old).status_code == 404
    new = reverse("meetings:feed", args=[CalendarFeed.objects.get(user=world.key_person).token])
    assert new != old and client.get(new).status_code == 200
    assert client.get(reverse("meetings:feed", args=["no-such-token"])).status_code == 404


def test_the_calendar_page_shows_the_private_address(world, client):
    client.force_login(world.key_person)
    page = client.get(reverse("meetings:calendar")).content.decode()
    assert "Skapa min kalenderadress" in page  # opening the page makes no address
    assert not CalendarFeed.objects.filter(user=world.key_person).exists()
    page = client.post(reverse("meetings:calendar_reset"), follow=True).content.decode()
    token = CalendarFeed.objects.get(user=world.key_person).token
    assert f"/meetings/feed/{token}.ics" in page


def test_a_meeting_downloads_as_an_invitation(world, client, meeting):
    client.force_login(world.key_person_social)
    response = client.get(reverse("meetings:invitation", args=[meeting.pk]))
    assert response.status_code == 200
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart").date() == meeting.date
    assert event.decoded("dtstart").hour == 13
    assert str(event["summary"]) == f"HLT-möte: {world.team_a.name}"


def test_cancelling_a_published_meeting_tells_the_team_without_a_child_name(world, meeting):
    case = waiting_case(world, given="Alva", family="Ekström")
    services.agenda_add(meeting=meeting, case=case, by=world.coordinator, version=1)
    _publish(meeting, world.coordinator)
    mail.outbox.clear()
    meeting.refresh_from_db()
    services.meeting_cancel(
        meeting=meeting, by=world.coordinator, version=meeting.version, note="Alva är sjuk"
    )
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert "inställt" in message.subject
        assert "Alva" not in message.subject + message.body  # the note stays out of the e-mail
        assert meeting.place in message.body


def test_cancelling_an_unpublished_meeting_sends_nothing(world, meeting):
    services.meeting_cancel(meeting=meeting, by=world.coordinator, version=meeting.version)
    assert not mail.outbox


def test_if_the_mail_server_fails_the_meeting_is_not_cancelled(world, meeting, monkeypatch):
    import smtplib
    from types import SimpleNamespace

    case = waiting_case(world)
    services.agenda_add(meeting=meeting, case=case, by=world.coordinator, version=1)
    _publish(meeting, world.coordinator)
    meeting.refresh_from_db()

    def fail(messages):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(
        services, "mailers", SimpleNamespace(default=SimpleNamespace(send_messages=fail))
    )
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=meeting, by=world.coordinator, version=meeting.version)
    meeting.refresh_from_db()
    assert meeting.state != Meeting.State.CANCELLED and meeting.items.count() == 1


def test_the_feed_and_the_invitation_carry_the_stockholm_time_zone(world, client):
    """Issue 17 finding 11: TZID=Europe/Stockholm needs its VTIMEZONE (RFC 5545 §3.6.5)."""
    import zoneinfo

    summer = make_meeting(world)
    make_meeting(world, day=summer.date + datetime.timedelta(days=120))
    client.force_login(world.coordinator)
    feed = services.calendar_feed_for(user=world.coordinator)
    client.logout()
    documents = [
        client.get(reverse("meetings:feed", args=[feed.token])).content,
    ]
    client.force_login(world.coordinator)
    documents.append(client.get(reverse("meetings:invitation", args=[summer.pk])).content)
    for content in documents:
        calendar = Calendar.from_ical(content)
        zones = {str(z["TZID"]): z for z in calendar.walk("VTIMEZONE")}
        assert set(zones) == {"Europe/Stockholm"}
        zone = zones["Europe/Stockholm"]
        offsets = {
            (part.name, part["TZOFFSETTO"].td.total_seconds() / 3600) for part in zone.subcomponents
        }
        assert offsets == {("STANDARD", 1.0), ("DAYLIGHT", 2.0)}
        for event in calendar.walk("VEVENT"):
            start = event["DTSTART"]
            assert start.params["TZID"] == "Europe/Stockholm"
            # The wall-clock time in Stockholm is the meeting's time, whatever the season.
            local = start.dt.astimezone(zoneinfo.ZoneInfo("Europe/Stockholm"))
            assert local.time() == summer.starts_at
