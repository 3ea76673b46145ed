"""Follow-ups: every goal and intervention evaluated, the fixed questionnaire, a decision."""

import datetime
import uuid

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
    data.setdefault("submit_token", str(uuid.uuid4()))
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


@pytest.mark.django_db
def test_a_follow_up_is_not_dated_before_the_plan_or_the_previous_follow_up(world, plan):
    from sip import services

    def record(day, decision="continue"):
        return services.follow_up_record(
            plan=Plan.objects.get(case=plan.case_id, state="final"),
            by=world.key_person_health,
            held_on=day,
            goal_results={g.pk: ("partly", "") for g in plan.goals.all()},
            intervention_states={i.pk: ("going_on", "") for i in plan.interventions.all()},
            answers={code: 3 for code in QUESTION_CODES},
            decision=decision,
            next_follow_up_on=timezone.localdate() + datetime.timedelta(days=30),
        )

    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        record(today - datetime.timedelta(days=1))  # the plan was finalised today
    assert "innan planen fastställdes" in str(exc.value.message_dict["held_on"])
    record(today)
    assert FollowUp.objects.count() == 1
    # Had the plan been finalised two days ago, yesterday is still before today's follow-up.
    Plan.objects.filter(pk=plan.pk).update(finalised_at=timezone.now() - datetime.timedelta(days=2))
    with pytest.raises(ValidationError) as exc:
        record(today - datetime.timedelta(days=1))
    assert "innan den förra" in str(exc.value.message_dict["held_on"])
