"""Keeping cases from drifting: the start page's overdue list and the weekly digest, with
a moved clock. The digest never names a child."""

import datetime

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sip import services
from sip.selectors import overdue_for
from teams.models import CoordinatorAppointment, Term
from tests import factories as f

from .conftest import discussed_case, make_plan


def test_feedback_to_the_family_is_due_within_a_week(world):
    today = timezone.localdate()
    case = discussed_case(world, meeting_day=today)
    assert overdue_for(world.coordinator, today + datetime.timedelta(days=7)).feedback == []
    later = overdue_for(world.coordinator, today + datetime.timedelta(days=8))
    assert later.feedback == [(case.pk, today + datetime.timedelta(days=7))]
    services.feedback_record(
        case=case, by=world.key_person_health, contacted_on=today, method="phone"
    )
    assert overdue_for(world.coordinator, today + datetime.timedelta(days=8)).feedback == []


def test_an_earlier_contact_date_in_the_minutes_is_the_deadline(world):
    today = timezone.localdate()
    case = discussed_case(world, contact_by=today + datetime.timedelta(days=2))
    assert overdue_for(world.coordinator, today + datetime.timedelta(days=3)).feedback == [
        (case.pk, today + datetime.timedelta(days=2))
    ]


def test_follow_ups_interventions_and_stale_plans(world):
    today = timezone.localdate()
    case = discussed_case(world)
    services.feedback_record(case=case, by=world.key_person, contacted_on=today, method="meeting")
    plan = make_plan(world, case)
    assert overdue_for(world.key_person_health, today).total == 0
    soon = overdue_for(world.key_person_health, today + datetime.timedelta(days=61))
    assert soon.follow_ups == [(case.pk, plan.follow_up_on)]
    assert soon.interventions == []
    later = overdue_for(world.key_person_health, today + datetime.timedelta(days=91))
    assert len(later.interventions) == 3
    year = overdue_for(world.key_person_health, today + datetime.timedelta(days=366))
    assert year.stale_plans == [(case.pk, today)]
    # Someone neither coordinating nor responsible sees nothing.
    assert overdue_for(world.key_person, today + datetime.timedelta(days=366)).total == 0


def test_the_start_page_lists_overdue_cases_with_their_number(world, login, monkeypatch):
    """The start page's inbox (workday) names the child only to those who may see the case,
    and logs that read; other people's start pages never show it (tests/workday)."""
    today = timezone.localdate()
    case = discussed_case(world)
    monkeypatch.setattr(timezone, "localdate", lambda *a: today + datetime.timedelta(days=10))
    response = login(world.coordinator).get(reverse("teams:start"))
    text = response.content.decode()
    assert reverse("sip:feedback", args=[case.pk]) in text
    assert f"Ärende {case.pk}" in text


def test_the_weekly_digest_names_no_child(world):
    today = timezone.localdate()
    case = discussed_case(world)
    plan = make_plan(world, case)
    day = today + datetime.timedelta(days=100)
    term = Term.objects.ensure_for_day(day)
    if not CoordinatorAppointment.objects.filter(team=world.team_a, term=term).exists():
        f.CoordinatorAppointmentFactory(key_person=world.coordinator_seat, term=term)
    call_command(
        "send_sip_digest",
        "--today",
        day.isoformat(),
        "--base-url",
        "https://hlt.example.se",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted({world.coordinator.email, world.key_person_health.email})
    for message in mail.outbox:
        body = message.subject + message.body
        for name in ("Alva", "Ek", "Amal", "Karim"):
            assert name not in body
        assert f"https://hlt.example.se/sip/case/{case.pk}/" in body
    assert plan.follow_up_on.isoformat() in mail.outbox[0].body
