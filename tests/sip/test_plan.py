"""The plan: what is missing before finalising, finalising, versions and revisions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import Case
from cases.workflow import Status
from sip import services
from sip.models import Plan

from .conftest import make_plan


@translation.override("en")
def test_a_plan_lists_exactly_what_is_missing(world, sip_case):
    plan = services.plan_start(case=sip_case, by=world.key_person)
    missing = services.plan_missing_parts(plan)
    assert "at least one goal" in missing
    assert "the follow-up date" in missing
    # Started from what the family told at actualisation.
    assert "the needs in the family's own words" not in missing
    with pytest.raises(ValidationError, match="follow-up date"):
        services.plan_finalise(plan=plan, by=world.key_person)


@translation.override("en")
def test_finalising_makes_the_case_plan_active_and_the_plan_read_only(world, sip_case):
    plan = make_plan(world, sip_case)
    assert Case.objects.get(pk=sip_case.pk).status == Status.PLAN_ACTIVE
    assert plan.state == Plan.State.FINAL
    with pytest.raises(ValidationError, match="not changed"):
        services.goal_add(plan=plan, by=world.key_person, text="Nytt mål")
    with pytest.raises(ValidationError):
        services.plan_update(plan=plan, by=world.key_person, needs="ändrat")


def test_a_revision_keeps_the_earlier_version_intact(world, plan):
    before = (plan.needs, [g.text for g in plan.goals.all()], plan.interventions.count())
    new = services.plan_revise(plan=plan, by=world.key_person)
    assert (new.version, new.state, new.previous_id) == (2, "draft", plan.pk)
    assert [g.text for g in new.goals.all()] == before[1]
    assert new.interventions.count() == 3
    services.plan_update(plan=new, by=world.key_person, needs="Nya behov")
    services.goal_add(plan=new, by=world.key_person, text="Mål 3")
    services.intervention_remove(
        plan=new, by=world.key_person, intervention_id=new.interventions.first().pk
    )
    old = Plan.objects.get(pk=plan.pk)
    assert (old.needs, [g.text for g in old.goals.all()], old.interventions.count()) == before
    assert old.state == Plan.State.FINAL
    with pytest.raises(ValidationError):
        services.plan_revise(plan=old, by=world.key_person)  # a draft is already open
    services.plan_finalise(plan=new, by=world.key_person)
    assert Case.objects.get(pk=plan.case_id).status == Status.PLAN_ACTIVE


def test_the_page_says_what_is_missing_and_refuses_to_finalise(world, sip_case, login):
    client = login(world.key_person_health)
    response = client.post(reverse("sip:plan_new", args=[sip_case.pk]))
    plan = Plan.objects.get(case=sip_case)
    assert response.url == reverse("sip:plan", args=[plan.pk])
    response = client.post(reverse("sip:finalise", args=[plan.pk]), follow=True)
    text = response.content.decode()
    assert "Planen kan inte fastställas än" in text
    assert '<ul class="missing"><li>minst ett mål</li>' in text
    assert Plan.objects.get(pk=plan.pk).state == "draft"


def test_bad_input_is_shown_next_to_the_field(world, sip_case, login):
    from .test_plan_editor import editor_data

    client = login(world.key_person_health)
    plan = services.plan_start(case=sip_case, by=world.key_person)
    today = timezone.localdate()
    data = editor_data(
        interventions=[
            {
                "kind": "treatment",
                "what": "Samtal",
                "organisation": world.health.pk,
                "person": world.key_person.pk,  # works at the school, not the health centre
                "starts_on": today,
                "ends_on": today - datetime.timedelta(days=1),
            }
        ]
    )
    response = client.post(reverse("sip:plan_edit", args=[plan.pk]), data)
    assert response.status_code == 400
    assert plan.interventions.count() == 0
    data["follow_up_on"] = "igår"
    response = client.post(reverse("sip:plan_edit", args=[plan.pk]), data)
    assert response.status_code == 400


def test_the_meeting_invites_only_professionals_the_consent_covers(world):
    from .conftest import discussed_case

    case = discussed_case(world, to_sip=False)
    with pytest.raises(ValidationError):
        services.sip_meeting_schedule(
            case=case,
            by=world.key_person,
            date=timezone.localdate(),
            starts_at=datetime.time(9),
            place="Hälsocentralen",
            invite_child=True,
            invite_guardians=True,
            interpreter_language="so",
            professionals=[world.key_person_social],
        )
    meeting = services.sip_meeting_schedule(
        case=case,
        by=world.key_person,
        date=timezone.localdate(),
        starts_at=datetime.time(9),
        place="Hälsocentralen",
        invite_child=True,
        invite_guardians=True,
        interpreter_language="so",
        professionals=[world.key_person_health, world.key_person],
    )
    assert meeting.professionals.count() == 2
    assert Case.objects.get(pk=case.pk).status == Status.SIP_PLANNED
