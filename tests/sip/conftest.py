"""Helpers for the SIP tests: a case after its HLT meeting, and plans made the real way."""

import datetime

import pytest
from django.utils import timezone

from cases.services import case_transition
from cases.workflow import Status
from meetings.models import AgendaItem, Meeting
from sip import services
from tests.cases.conftest import make_case
from tests.meetings.conftest import make_meeting


def discussed_case(world, *, meeting_day=None, contact_by=None, to_sip=True):
    """Alva's case (consent: school and health), discussed at an HLT meeting with minutes
    naming Hanna Hälsa to contact the family; then SIP planned."""
    case = make_case(world)
    day = meeting_day or timezone.localdate()
    # One meeting a day per team (meeting_one_per_team_day): a second case joins that meeting.
    meeting = Meeting.objects.filter(team=world.team_a, date=day).exclude(
        state=Meeting.State.CANCELLED
    ).first() or make_meeting(world, day=day)
    AgendaItem.objects.create(
        meeting=meeting,
        case=case,
        position=1,
        minutes=20,
        added_by=world.coordinator,
        is_open=False,
        minutes_recorded_at=timezone.now(),
        minutes_recorded_by=world.coordinator,
        contact_person=world.key_person_health,
        contact_by=contact_by,
    )
    case_transition(case=case, to_status=Status.IN_MEETING, by=world.coordinator)
    if to_sip:
        case_transition(case=case, to_status=Status.SIP_PLANNED, by=world.coordinator)
    return case


def make_plan(world, case, *, goals=2, interventions=3, finalise=True, what="Stöd"):
    by = world.key_person_health
    today = timezone.localdate()
    plan = services.plan_start(case=case, by=by)
    plan = services.plan_update(
        plan=plan,
        by=by,
        needs="Alva sover dåligt.",
        child_view="Jag vill orka gå till skolan.",
        measures_by_others="Inga.",
        overall_organisation=world.health,
        overall_person=world.key_person_health,
        follow_up_on=today + datetime.timedelta(days=60),
        follow_up_how="Uppföljande SIP-möte på hälsocentralen.",
    )
    for n in range(goals):
        services.goal_add(plan=plan, by=by, text=f"Mål {n + 1}: Alva går till skolan varje dag")
    agencies = [(world.school, world.key_person), (world.health, world.key_person_health)]
    kinds = ["school_adaptations", "treatment", "parent_support", "family_talks", "other"]
    for n in range(interventions):
        org, person = agencies[n % 2]
        services.intervention_add(
            plan=plan,
            by=by,
            kind=kinds[n % len(kinds)],
            what=f"{what} {n + 1}",
            organisation=org,
            person=person,
            starts_on=today,
            ends_on=today + datetime.timedelta(days=90),
        )
    if finalise:
        plan = services.plan_finalise(plan=plan, by=by)
    return plan


@pytest.fixture
def sip_case(world):
    return discussed_case(world)


@pytest.fixture
def plan(world, sip_case):
    return make_plan(world, sip_case)


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
