"""Issue 16 item 5: what is known is filled in, and the steps that cannot be undone ask
first. Each test failed on a52b68d."""

import datetime

from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import AgendaItem, Meeting
from tests.cases.conftest import make_case
from tests.meetings.conftest import make_meeting, waiting_case
from tests.sip.conftest import discussed_case


def test_the_consent_form_is_printed_in_the_guardians_language_by_default(world, client):
    case = make_case(world, actualise=False)  # guardians prefer Arabic
    client.force_login(world.key_person)
    response = client.get(reverse("cases:consent_print", args=[case.pk]))
    assert response.context["form"]["language"].value() == "ar"


def test_registering_the_consent_starts_from_what_was_printed(world, client):
    case = make_case(world, actualise=False)
    client.force_login(world.key_person)
    response = client.post(  # printing is a POST: a GET reprint stores nothing
        reverse("cases:consent_print", args=[case.pk]),
        {"language": "so", "sectors": ["school", "social"]},
    )
    assert response["Content-Type"] == "application/pdf"
    form = client.get(reverse("cases:consent_register", args=[case.pk])).context["form"]
    assert form["family_language"].value() == "so"
    assert form["sectors"].value() == ["school", "social"]


def test_the_sip_meeting_takes_the_date_from_the_minutes_and_an_interpreter(world, client):
    case = discussed_case(world, to_sip=False)
    planned = timezone.localdate() + datetime.timedelta(days=14)
    AgendaItem.objects.filter(case=case).update(sip_meeting_on=planned)
    client.force_login(world.key_person_health)
    form = client.get(reverse("sip:meeting_new", args=[case.pk])).context["form"]
    assert form["date"].value() == planned
    assert form["interpreter_language"].value() == "ar"  # the guardians prefer Arabic


def test_the_appoint_form_offers_only_the_professions_of_the_sector(world, client):
    client.force_login(world.manager)  # manager of a school
    page = client.get(reverse("teams:organisation_key_persons"))
    values = [v for v, _label in page.context["form"].fields["profession"].choices]
    assert values[0] == "" and "bvc_nurse" not in values
    assert "special_educator" in values and "social_worker" not in values
    assert 'value="bvc_nurse"' not in page.content.decode()


def test_minutes_of_a_future_meeting_are_not_offered(world, client):
    meeting = make_meeting(world)
    assert meeting.date > timezone.localdate()
    item = meeting_services.agenda_add(
        meeting=meeting, case=waiting_case(world, given="Bo"), by=world.coordinator, version=1
    )
    client.force_login(world.coordinator)
    page = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert reverse("meetings:item_minutes", args=[meeting.pk, item.pk]) not in page
    assert reverse("meetings:close", args=[meeting.pk]) not in page
    assert "Protokoll förs från och med mötesdagen." in page
    response = client.get(reverse("meetings:item_minutes", args=[meeting.pk, item.pk]))
    assert response.status_code == 302


def test_marking_a_meeting_held_asks_first(world, client):
    meeting = make_meeting(world)
    Meeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate())
    client.force_login(world.coordinator)
    response = client.get(reverse("meetings:close", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Ja, markera mötet som genomfört" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).state != Meeting.State.HELD
    client.post(reverse("meetings:close", args=[meeting.pk]), {"version": meeting.version})
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.HELD
