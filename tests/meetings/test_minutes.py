"""Minutes per case: decisions, the case's status moving on, attendance, printable PDFs."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AccessLogEntry
from cases.models import CaseStatusChange
from cases.workflow import Status
from meetings import services
from meetings.models import Meeting

from .conftest import waiting_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(world, todays_meeting):
    case = waiting_case(world, given="Alva", family="Ek")
    return services.agenda_add(meeting=todays_meeting, case=case, by=world.coordinator, version=1)


def _minutes(item, by, **data):
    today = timezone.localdate()
    values = {
        "notes": "Familjen vill ha stöd.",
        "meeting_sectors": ["school", "social"],
        "contact_person": by,
        "contact_by": today + datetime.timedelta(days=7),
        "planning_meeting_on": today + datetime.timedelta(days=10),
        "sip_meeting_on": today + datetime.timedelta(days=21),
        "next_status": Status.SIP_PLANNED,
        "closing_reason": "",
    }
    values.update(data)
    item.refresh_from_db()
    return services.minutes_record(item=item, by=by, version=item.version, **values)


def test_recording_minutes_moves_the_case_through_the_meeting(world, item):
    _minutes(item, world.coordinator)
    item.case.refresh_from_db()
    assert item.case.status == Status.SIP_PLANNED
    changes = list(
        CaseStatusChange.objects.filter(case=item.case).values_list("from_status", "to_status")
    )
    assert changes[-2:] == [
        (Status.ACTUALISED, Status.IN_MEETING),
        (Status.IN_MEETING, Status.SIP_PLANNED),
    ]
    item.refresh_from_db()
    assert not item.is_open and item.meeting_sectors == ["school", "social"]


def test_back_to_the_waiting_list(world, item):
    from meetings.selectors import waiting_cases

    _minutes(item, world.coordinator, next_status=Status.ACTUALISED, contact_person=None)
    item.case.refresh_from_db()
    assert item.case.status == Status.ACTUALISED
    assert item.case in waiting_cases(world.team_a)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"next_status": ""}, "next_status"),
        ({"contact_person": None}, "contact_person"),
        ({"sip_meeting_on": None}, "sip_meeting_on"),
        ({"contact_by": datetime.date(2000, 1, 1)}, "contact_by"),
        ({"next_status": Status.CLOSED, "closing_reason": ""}, "closing_reason"),
    ],
)
def test_incomplete_minutes_are_refused_field_by_field(world, item, data, field):
    with pytest.raises(ValidationError) as exc:
        _minutes(item, world.coordinator, **data)
    assert field in exc.value.message_dict
    item.case.refresh_from_db()
    assert item.case.status == Status.ACTUALISED  # nothing moved


def test_correcting_minutes_does_not_move_the_case_again(world, item):
    _minutes(item, world.coordinator)
    _minutes(item, world.coordinator, notes="Rättad anteckning.")
    item.refresh_from_db()
    assert item.notes == "Rättad anteckning." and item.version == 3
    assert CaseStatusChange.objects.filter(case=item.case).count() == 2  # moved once, not twice
    with pytest.raises(ValidationError):
        _minutes(item, world.coordinator, next_status=Status.CLOSED, closing_reason="moved")


def test_minutes_wait_for_the_meeting_day(world, meeting):
    item = services.agenda_add(
        meeting=meeting, case=waiting_case(world), by=world.coordinator, version=1
    )
    with pytest.raises(ValidationError, match="mötesdagen"):
        _minutes(item, world.coordinator)


def test_attendance_per_member(world, client, todays_meeting):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("meetings:attendance", args=[todays_meeting.pk]),
        {"version": 1, "present": [world.coordinator.pk, world.key_person_health.pk]},
        follow=True,
    )
    assert "Närvaron har sparats." in response.content.decode()
    present = dict(todays_meeting.attendance.values_list("user_id", "present"))
    assert present == {
        world.coordinator.pk: True,
        world.key_person_health.pk: True,
        world.key_person.pk: False,
        world.key_person_social.pk: False,
    }


def test_minutes_form_through_the_page(world, client, item):
    client.force_login(world.coordinator)
    url = reverse("meetings:item_minutes", args=[item.meeting_id, item.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "version": 1,
            "notes": "Skolan och socialtjänsten träffar familjen.",
            "meeting_sectors": ["school", "social"],
            "contact_person": world.key_person_social.pk,
            "contact_by": timezone.localdate().isoformat(),
            "next_status": Status.IN_MEETING,
        },
    )
    assert response.status_code == 302
    item.case.refresh_from_db()
    assert item.case.status == Status.IN_MEETING
    # Bad dates come back next to the field, not as an error page.
    response = client.post(url, {"version": 2, "contact_by": "31/31"})
    assert response.status_code == 200 and "contact_by" in response.context["form"].errors


def test_minutes_page_shows_notes_only_within_the_consent(world, client, item):
    _minutes(item, world.coordinator, notes="Alva Ek mår dåligt.")
    client.force_login(world.key_person_social)
    page = client.get(reverse("meetings:minutes", args=[item.meeting_id])).content.decode()
    assert "mår dåligt" not in page and "Alva" not in page
    client.force_login(world.key_person_health)
    page = client.get(reverse("meetings:minutes", args=[item.meeting_id])).content.decode()
    assert "Alva Ek mår dåligt." in page
    assert AccessLogEntry.objects.filter(
        user=world.key_person_health, kind="minutes", action="view", case_id=item.case_id
    ).exists()


def test_protected_child_is_masked_in_minutes_notes(world, client, todays_meeting):
    case = waiting_case(world, given="Hemlig", family="Skyddad", protected=True)
    item = services.agenda_add(meeting=todays_meeting, case=case, by=world.coordinator, version=1)
    _minutes(item, world.coordinator, notes="Hemlig Skyddad behöver stöd.")
    client.force_login(world.key_person)  # the initiator, named on the case
    page = client.get(reverse("meetings:minutes", args=[todays_meeting.pk])).content.decode()
    assert "Hemlig" not in page and "*** *** behöver stöd." in page


def test_printable_agenda_and_minutes(world, client, item):
    _minutes(item, world.coordinator)
    client.force_login(world.key_person_health)
    for name, kind in (("agenda_pdf", "agenda"), ("minutes_pdf", "minutes")):
        response = client.get(reverse(f"meetings:{name}", args=[item.meeting_id]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        import io

        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        assert "Alva Ek" in text
        assert AccessLogEntry.objects.filter(
            user=world.key_person_health, kind=kind, action="print"
        ).exists()
    client.force_login(world.key_person_social)
    response = client.get(reverse("meetings:agenda_pdf", args=[item.meeting_id]))
    import io

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Alva" not in text and "A.E." in text


def test_closing_the_meeting(world, client, item):
    client.force_login(world.coordinator)
    client.post(reverse("meetings:close", args=[item.meeting_id]), {"version": 2})
    assert Meeting.objects.get(pk=item.meeting_id).state == Meeting.State.HELD
