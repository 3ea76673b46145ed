"""Building the agenda: the waiting list, time slots, order, one open meeting per case."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.middleware import csrf
from django.urls import reverse

from audit.models import AccessLogEntry
from meetings import selectors, services
from meetings.models import AgendaItem, Meeting
from tests.html import visible_text

from .conftest import make_meeting, waiting_case

pytestmark = pytest.mark.django_db


def _add(meeting, case, by, minutes=None):
    meeting.refresh_from_db()
    return services.agenda_add(
        meeting=meeting, case=case, by=by, version=meeting.version, minutes=minutes
    )


def test_waiting_list_holds_actualised_cases_of_the_team_not_on_an_open_meeting(world, meeting):
    waiting = waiting_case(world)
    on_agenda = waiting_case(world)
    other_team = waiting_case(world, team=world.team_b)
    _add(meeting, on_agenda, world.coordinator)
    cases = list(selectors.waiting_cases(world.team_a))
    assert waiting in cases
    assert on_agenda not in cases and other_team not in cases


def test_a_case_is_on_one_open_meeting_at_a_time(world, meeting):
    case = waiting_case(world)
    other = make_meeting(world)
    _add(meeting, case, world.coordinator)
    with pytest.raises(ValidationError, match="redan"):
        _add(other, case, world.coordinator)
    # The database refuses it too, whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(
            meeting=other, case=case, position=1, minutes=20, added_by=world.coordinator
        )


def test_after_the_meeting_is_held_the_case_can_be_put_on_another(world, todays_meeting):
    case = waiting_case(world)
    _add(todays_meeting, case, world.coordinator)
    todays_meeting.refresh_from_db()
    services.meeting_close(
        meeting=todays_meeting, by=world.coordinator, version=todays_meeting.version
    )
    assert case in selectors.waiting_cases(world.team_a)
    _add(make_meeting(world), case, world.coordinator)


def test_time_slots_follow_the_order_and_overbooking_is_warned(world, meeting):
    cases = [waiting_case(world) for _ in range(3)]
    _add(meeting, cases[0], world.coordinator)
    _add(meeting, cases[1], world.coordinator, minutes=45)
    agenda = selectors.agenda_for(meeting, world.coordinator)
    assert [(str(r.starts_at), str(r.ends_at)) for r in agenda.rows] == [
        ("13:00:00", "13:20:00"),
        ("13:20:00", "14:05:00"),
    ]
    assert agenda.total_minutes == 65 and agenda.overbooked_by == 0
    _add(meeting, cases[2], world.coordinator, minutes=60)
    agenda = selectors.agenda_for(meeting, world.coordinator)
    assert agenda.total_minutes == 125 and agenda.overbooked_by == 5

    client = __import__("django.test", fromlist=["Client"]).Client()
    client.force_login(world.coordinator)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Överbokat" in page and "5 minuter mer" in page


def test_default_slot_length_is_set_per_meeting(world, meeting):
    services.meeting_set_slot(meeting=meeting, by=world.coordinator, version=1, slot_minutes=30)
    item = _add(meeting, waiting_case(world), world.coordinator)
    assert item.minutes == 30
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        services.meeting_set_slot(
            meeting=meeting, by=world.coordinator, version=meeting.version, slot_minutes=1
        )


def test_move_up_and_down_and_remove_keep_the_order_tidy(world, meeting):
    a, b, c = (waiting_case(world) for _ in range(3))
    items = [_add(meeting, case, world.coordinator) for case in (a, b, c)]

    def order():
        return list(meeting.items.order_by("position").values_list("case_id", "position"))

    meeting.refresh_from_db()
    services.agenda_move(
        item=items[2], direction="up", by=world.coordinator, version=meeting.version
    )
    assert order() == [(a.pk, 1), (c.pk, 2), (b.pk, 3)]
    meeting.refresh_from_db()
    services.agenda_move(
        item=items[0], direction="down", by=world.coordinator, version=meeting.version
    )
    assert order() == [(c.pk, 1), (a.pk, 2), (b.pk, 3)]
    meeting.refresh_from_db()
    services.agenda_remove(item=items[2], by=world.coordinator, version=meeting.version)
    assert order() == [(a.pk, 1), (b.pk, 2)]
    assert c in selectors.waiting_cases(world.team_a)


def test_plain_form_posts_build_the_agenda_without_javascript(world, client, meeting):
    a, b = waiting_case(world), waiting_case(world)
    client.force_login(world.coordinator)
    url = reverse("meetings:agenda_add", args=[meeting.pk])
    response = client.post(url, {"case": a.pk, "minutes": 25, "version": 1})
    assert response.status_code == 302
    response = client.post(url, {"case": b.pk, "minutes": "", "version": 2}, follow=True)
    assert "Ärendet har lagts på dagordningen." in response.content.decode()
    item_b = meeting.items.get(case=b)
    client.post(
        reverse("meetings:agenda_move", args=[meeting.pk, item_b.pk]),
        {"direction": "up", "version": 3},
    )
    assert list(meeting.items.order_by("position").values_list("case_id", flat=True)) == [
        b.pk,
        a.pk,
    ]
    assert meeting.items.get(case=a).minutes == 25


def test_htmx_requests_get_only_the_builder(world, client, meeting):
    case = waiting_case(world, given="Vera", family="Vass")
    client.force_login(world.coordinator)
    response = client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"case": case.pk, "version": 1},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="agenda-builder"')
    assert "<html" not in html
    assert "Flytta upp" not in html and "Ta bort<span" in html  # one case: nothing to move
    assert 'name="version" value="2"' in html


def test_bad_input_gives_a_message_not_an_error_page(world, client, meeting):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"case": "x", "version": "y"},
        follow=True,
    )
    assert response.status_code == 200
    response = client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"case": 999999, "version": 1},
        follow=True,
    )
    assert "väntar inte längre" in response.content.decode()


def test_names_only_for_those_who_may_see_the_case_and_never_for_protected(
    world, client, meeting, monkeypatch
):
    # Every CSRF token on the page reads "EkEk…": the check must look at what people read.
    monkeypatch.setattr(csrf, "_mask_cipher_secret", lambda secret: "Ek" * 32)
    shared = waiting_case(world, given="Alva", family="Ek", sectors=("school", "health"))
    protected = waiting_case(world, given="Hemlig", family="Skyddad", protected=True)
    for case in (shared, protected):
        _add(meeting, case, world.coordinator)

    client.force_login(world.key_person_social)  # social services: outside the consent
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    agenda = visible_text(page, css_class="agenda")
    assert "Alva" not in agenda and not re.search(r"\bEk\b", agenda)
    assert shared.child.pseudonym(meeting.date) in agenda or "A.E." in agenda
    assert "Hemlig" not in agenda and f"Skyddad identitet (ärende {protected.pk})" in agenda
    # Nowhere else on the page either (the title, the waiting list, a heading).
    assert "Alva" not in visible_text(page) and not re.search(r"\bEk\b", visible_text(page))
    assert not AccessLogEntry.objects.filter(user=world.key_person_social).exists()

    client.force_login(world.key_person_health)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Alva Ek" in page and "Hemlig" not in page
    logged = AccessLogEntry.objects.filter(user=world.key_person_health)
    assert list(logged.values_list("case_id", "kind", "action")) == [(shared.pk, "agenda", "view")]
    assert logged.get().context == str(meeting)


def test_cancelled_meeting_cannot_take_cases(world, meeting):
    meeting.state = Meeting.State.CANCELLED
    meeting.save()
    with pytest.raises(ValidationError):
        _add(meeting, waiting_case(world), world.coordinator)
    assert not mail.outbox
