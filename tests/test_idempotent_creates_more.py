"""Idempotent creates on the meeting, SIP and team forms (issue 17): the same form sent twice
stores one row and the second answer shows what the first saved."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from sip.models import FollowUp, PlanSignature, SipMeeting
from teams.models import KeyPerson
from tests import factories as f
from tests.sip.conftest import discussed_case, make_plan

from .meetings.conftest import free_day

pytestmark = pytest.mark.django_db
HIDDEN = re.compile(r'<input type="hidden" name="(submit_token)" value="([^"]+)"')


def _token(client, url) -> str:
    page = client.get(url).content.decode()
    return dict(HIDDEN.findall(page))["submit_token"]


def _twice(client, url, data):
    data = {**data, "submit_token": _token(client, url)}
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    return first, second


def test_add_a_meeting_twice(world, client):
    client.force_login(world.coordinator)
    url = reverse("meetings:add", args=[world.team_a.pk])
    day = free_day(world.team_a)
    first, second = _twice(
        client, url, {"date": day, "starts_at": "13:00", "ends_at": "15:00", "place": "Rum 2"}
    )
    meeting = Meeting.objects.get(team=world.team_a, date=day)
    assert first.url == reverse("meetings:detail", args=[meeting.pk])
    assert second.redirect_chain[-1][0] == first.url
    assert "Formuläret var redan skickat" in second.content.decode()


def test_appoint_a_key_person_twice(world, client):
    teacher = f.UserFactory(organisation=world.school)
    client.force_login(world.manager)
    url = reverse("teams:organisation_key_persons")
    data = {
        "user": teacher.pk,
        "team": world.team_b.pk,
        "profession": "special_teacher",
        "active_from": timezone.localdate().isoformat(),
    }
    first, second = _twice(client, url, data)
    assert first.status_code == 302
    assert KeyPerson.objects.filter(user=teacher).count() == 1
    assert "Formuläret var redan skickat" in second.content.decode()


def test_plan_a_sip_meeting_twice(world, client):
    case = discussed_case(world)
    client.force_login(world.key_person)
    url = reverse("sip:meeting_new", args=[case.pk])
    data = {"date": timezone.localdate().isoformat(), "starts_at": "09:00", "place": "Rum 1"}
    first, second = _twice(client, url, data)
    assert first.status_code == 302, first.content.decode()[-3000:]
    assert SipMeeting.objects.filter(case=case).count() == 1
    assert "Formuläret var redan skickat" in second.content.decode()


def test_register_the_signed_plan_twice(world, client):
    plan = make_plan(world, discussed_case(world))
    client.force_login(world.key_person)
    url = reverse("sip:signatures", args=[plan.pk])
    data = {"signed_on": timezone.localdate().isoformat(), "child_signed": "on"}
    first, second = _twice(client, url, data)
    assert first.status_code == 302
    assert PlanSignature.objects.filter(plan=plan).count() == 1
    assert "Formuläret var redan skickat" in second.content.decode()


def test_record_a_follow_up_twice(world, client):
    from tests.sip.test_follow_up import _post_data

    plan = make_plan(world, discussed_case(world))
    client.force_login(world.key_person)
    url = reverse("sip:follow_up", args=[plan.pk])
    data = _post_data(plan, "continue")
    data.pop("submit_token")
    data["next_follow_up_on"] = (timezone.localdate() + timezone.timedelta(days=60)).isoformat()
    first, second = _twice(client, url, data)
    assert first.status_code == 302, first.content.decode()[-2000:]
    assert FollowUp.objects.filter(plan=plan).count() == 1
    assert "Formuläret var redan skickat" in second.content.decode()
