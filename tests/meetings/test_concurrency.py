"""Two people editing the same agenda or minutes: the second save is refused, not merged."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.workflow import Status
from meetings import services

from .conftest import waiting_case

pytestmark = pytest.mark.django_db


def test_agenda_edit_conflict_is_detected_and_nothing_is_overwritten(world, meeting):
    a, b = waiting_case(world), waiting_case(world)
    services.agenda_add(meeting=meeting, case=a, by=world.coordinator, version=1)
    page_version = 2  # both tabs show version 2
    services.agenda_add(meeting=meeting, case=b, by=world.coordinator, version=page_version)
    item_a = meeting.items.get(case=a)

    with pytest.raises(services.EditConflict) as exc:
        services.agenda_remove(item=item_a, by=world.coordinator, version=page_version)
    assert "sparade en ändring" in exc.value.message and "Cora Samordnare" in exc.value.message
    assert exc.value.current.version == 3
    assert set(meeting.items.values_list("case_id", flat=True)) == {a.pk, b.pk}


def test_agenda_conflict_through_the_page_shows_the_current_agenda(world, client, meeting):
    a, b = (
        waiting_case(world, given="Alva", family="Ek"),
        waiting_case(world, given="Bo", family="Berg"),
    )
    services.agenda_add(meeting=meeting, case=a, by=world.coordinator, version=1)
    services.agenda_add(meeting=meeting, case=b, by=world.coordinator, version=2)
    client.force_login(world.coordinator)
    item_b = meeting.items.get(case=b)
    stale = {"direction": "up", "version": 2}
    response = client.post(
        reverse("meetings:agenda_move", args=[meeting.pk, item_b.pk]),
        stale,
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and "Din ändring sparades inte" in html
    assert "Bo Berg" in html and 'name="version" value="3"' in html  # the other change shows
    assert list(meeting.items.order_by("position").values_list("case_id", flat=True)) == [
        a.pk,
        b.pk,
    ]

    response = client.post(
        reverse("meetings:agenda_move", args=[meeting.pk, item_b.pk]), stale, follow=True
    )
    assert "Din ändring sparades inte" in response.content.decode()


def test_minutes_edit_conflict_keeps_both_versions(world, client, todays_meeting):
    case = waiting_case(world)
    item = services.agenda_add(meeting=todays_meeting, case=case, by=world.coordinator, version=1)
    today = timezone.localdate()
    services.minutes_record(
        item=item,
        by=world.coordinator,
        version=1,
        notes="Den första versionen.",
        meeting_sectors=["school"],
        contact_person=world.key_person,
        contact_by=today,
        next_status=Status.IN_MEETING,
    )
    client.force_login(world.coordinator)
    response = client.post(
        reverse("meetings:item_minutes", args=[todays_meeting.pk, item.pk]),
        {"version": 1, "notes": "Min egen text, skriven samtidigt.", "next_status": "in_meeting"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Din ändring sparades inte" in html
    assert "Den första versionen." in html  # what the other person saved
    assert "Min egen text, skriven samtidigt." in html  # nothing the user wrote is lost
    assert response.context["form"]["version"].value() == 2
    item.refresh_from_db()
    assert item.notes == "Den första versionen." and item.version == 2
