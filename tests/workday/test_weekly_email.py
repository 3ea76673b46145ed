"""The opt-in weekly e-mail of the inbox: only to those who asked, never naming a child."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.meetings.conftest import waiting_case
from tests.sip.conftest import discussed_case
from workday.models import InboxPreference

pytestmark = pytest.mark.django_db


def test_a_person_opts_in_on_the_settings_page(world, login):
    client = login(world.key_person_health)
    page = client.get(reverse("workday:email_setting"))
    assert page.status_code == 200
    response = client.post(reverse("workday:email_setting"), {"weekly_email": "on"})
    assert response.status_code == 302
    preference = InboxPreference.objects.get(user=world.key_person_health)
    assert preference.weekly_email and preference.language == "sv"
    client.post(reverse("workday:email_setting"), {})
    preference.refresh_from_db()
    assert not preference.weekly_email


def test_the_weekly_email_goes_only_to_those_who_asked_and_names_no_child(world):
    today = timezone.localdate()
    case = discussed_case(world, meeting_day=today - datetime.timedelta(days=10))
    protected = waiting_case(world, given="Hemlig", family="Skyddad", protected=True)
    InboxPreference.objects.create(user=world.key_person_health, weekly_email=True)
    InboxPreference.objects.create(user=world.coordinator, weekly_email=False)
    InboxPreference.objects.create(user=world.outsider, weekly_email=True)  # nothing to do
    call_command("send_inbox_digest", "--base-url", "https://hlt.example.se", stdout=None)
    assert [m.to for m in mail.outbox] == [[world.key_person_health.email]]
    message = mail.outbox[0]
    body = message.subject + message.body
    assert f"Ärende {case.pk}" in body and "FÖRSENAD" in body
    assert f"https://hlt.example.se{reverse('sip:feedback', args=[case.pk])}" in body
    for name in ("Alva", "Ek", "Amal", "Karim", "Hemlig", "Skyddad"):
        assert name not in body
    assert protected.pk
