"""Who may do what with meetings, as a table: every meetings view × every persona.

Current key persons of team A see its meetings (200); only its coordinator changes them
(others get 403); everyone else gets 404, as if the meeting did not exist.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services

from .conftest import waiting_case

pytestmark = pytest.mark.django_db

PERSONAS = [
    "coordinator",
    "key_person",
    "key_person_health",
    "key_person_social",
    "key_person_other_team",
    "manager",
    "process_leader",
    "staff",
    "outsider",
]
MEMBERS = {"coordinator", "key_person", "key_person_health", "key_person_social"}

# (url name, method, which object, what the coordinator gets, does it need the coordinator)
VIEWS = [
    ("team", "get", "team", 200, False),
    ("generate", "get", "team", 200, True),
    ("add", "get", "team", 200, True),
    ("detail", "get", "meeting", 200, False),
    ("move", "get", "meeting", 200, True),
    ("cancel", "get", "meeting", 200, True),
    ("slot", "post", "meeting", 302, True),
    ("agenda_add", "post", "meeting", 302, True),
    ("agenda_remove", "post", "item", 302, True),
    ("agenda_move", "post", "item", 302, True),
    ("publish", "post", "meeting", 302, True),
    ("agenda_pdf", "get", "meeting", 200, False),
    ("minutes", "get", "meeting", 200, False),
    ("attendance", "post", "meeting", 302, True),
    ("item_minutes", "get", "item", 200, True),
    ("close", "post", "meeting", 302, True),
    ("minutes_pdf", "get", "meeting", 200, False),
    ("invitation", "get", "meeting", 200, False),
]


def expected(persona, coordinator_status, needs_coordinator):
    if persona == "coordinator":
        return coordinator_status
    if persona in MEMBERS:
        return 403 if needs_coordinator else 200
    return 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name, method, target, coordinator_status, manage", VIEWS)
def test_permission_table(
    world, client, todays_meeting, persona, name, method, target, coordinator_status, manage
):
    item = services.agenda_add(
        meeting=todays_meeting, case=waiting_case(world), by=world.coordinator, version=1
    )
    args = {
        "team": [world.team_a.pk],
        "meeting": [todays_meeting.pk],
        "item": [todays_meeting.pk, item.pk],
    }[target]
    client.force_login(getattr(world, persona))
    response = getattr(client, method)(reverse(f"meetings:{name}", args=args))
    assert response.status_code == expected(persona, coordinator_status, manage)


def test_every_meetings_url_is_in_the_table():
    from meetings.urls import urlpatterns

    listed = {row[0] for row in VIEWS} | {"index", "calendar", "calendar_reset", "feed"}
    assert {p.name for p in urlpatterns} == listed


@pytest.mark.parametrize("persona", PERSONAS)
def test_own_pages_are_open_to_everyone_logged_in(world, client, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("meetings:index")).status_code == 200
    assert client.get(reverse("meetings:calendar")).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(world, client, todays_meeting):
    response = client.get(reverse("meetings:detail", args=[todays_meeting.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_former_key_person_loses_access(world, client, todays_meeting):
    from teams.models import KeyPerson

    seat = KeyPerson.objects.get(user=world.key_person_health, team=world.team_a)
    seat.active_to = timezone.localdate() - datetime.timedelta(days=1)
    seat.save()
    client.force_login(world.key_person_health)
    assert client.get(reverse("meetings:detail", args=[todays_meeting.pk])).status_code == 404
