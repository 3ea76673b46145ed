"""Follow-ups: every goal and intervention evaluated, the fixed questionnaire, a decision."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from sip.models import FollowUp, Plan
from sip.questionnaire import QUESTION_CODES


def _post_data(plan, decision, **extra):
    data = {"held_on": timezone.localdate().isoformat(), "decision": decision}
    for goal in plan.goals.all():
        data[f"goal_{goal.pk}"] = "partly"
        data[f"goal_{goal.pk}_comment"] = "Bättre"
    for intervention in plan.interventions.all():
        data[f"intervention_{intervention.pk}"] = "going_on"
    for code in QUESTION_CODES:
        data[f"q_{code}"] = "4"
    data.update(extra)
    return data


def test_a_follow_up_closes_the_case_with_a_reason(world, plan, login):
    client = login(world.key_person_health)
    url = reverse("sip:follow_up", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _post_data(plan, "close"))
    assert response.status_code == 200
    assert "Välj varför ärendet avslutas" in response.content.decode() or "closed" in (
        response.content.decode()
    )
    response = client.post(url, _post_data(plan, "close", closing_reason="goals_met"))
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(plan=plan)
    assert follow_up.family_answers == {code: 4 for code in QUESTION_CODES}
    assert follow_up.goals.count() == 2 and follow_up.interventions.count() == 3
    case = Case.objects.get(pk=plan.case_id)
    assert (case.status, case.closing_reason) == ("closed", "goals_met")


def test_revise_makes_a_new_version_and_continue_needs_a_date(world, plan, login):
    client = login(world.key_person)
    url = reverse("sip:follow_up", args=[plan.pk])
    assert client.post(url, _post_data(plan, "continue")).status_code == 200
    assert not FollowUp.objects.exists()
    assert client.post(url, _post_data(plan, "revise")).status_code == 302
    assert Plan.objects.filter(case=plan.case_id).count() == 2
    assert Case.objects.get(pk=plan.case_id).status == "plan_active"


def test_every_question_must_be_answered_on_the_scale(world, plan):
    from sip import services

    goals = {g.pk: ("reached", "") for g in plan.goals.all()}
    states = {i.pk: ("done", "") for i in plan.interventions.all()}
    answers = {code: 3 for code in QUESTION_CODES}
    with pytest.raises(ValidationError):
        services.follow_up_record(
            plan=plan,
            by=world.key_person,
            held_on=timezone.localdate(),
            goal_results=goals,
            intervention_states=states,
            answers={**answers, QUESTION_CODES[0]: 7},
            decision="continue",
            next_follow_up_on=timezone.localdate() + datetime.timedelta(days=30),
        )
    with pytest.raises(ValidationError):
        services.follow_up_record(
            plan=plan,
            by=world.key_person,
            held_on=timezone.localdate(),
            goal_results={},
            intervention_states=states,
            answers=answers,
            decision="continue",
            next_follow_up_on=timezone.localdate() + datetime.timedelta(days=30),
        )
