"""Retention reaches the SIP plan and the minutes: every word about the child goes, the
structure statistics count stays."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import retention
from cases.models import Case
from consent.models import DocumentJob
from meetings.models import AgendaItem
from sip import services
from sip.models import FamilyFeedback, FollowUp, Goal, Intervention, Plan, SipMeeting
from sip.questionnaire import QUESTION_CODES

from .conftest import discussed_case, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_sip_case(world):
    case = discussed_case(world)
    AgendaItem.objects.filter(case=case).update(notes="Alva har svårt att sova.")
    services.feedback_record(
        case=case,
        by=world.key_person_health,
        contacted_on=timezone.localdate(),
        method="phone",
        note="Mamma ringde tillbaka.",
    )
    SipMeeting.objects.create(
        case=case,
        date=timezone.localdate(),
        starts_at=datetime.time(9),
        place="Alvas skola",
        created_by=world.key_person_health,
    )
    plan = make_plan(world, case)
    signature = services.plan_signature_register(
        plan=plan,
        by=world.key_person_health,
        signed_on=timezone.localdate(),
        child_signed=True,
        scan=SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    job = DocumentJob.objects.create(
        kind="sip_plan",
        params={"plan_id": plan.pk, "language": "so", "user_id": world.key_person_health.pk},
        requested_by=world.key_person_health,
        status="done",
        result=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    services.follow_up_record(
        plan=plan,
        by=world.key_person_health,
        held_on=timezone.localdate(),
        goal_results={g.pk: ("reached", "Alva går till skolan.") for g in plan.goals.all()},
        intervention_states={i.pk: ("done", "Klart.") for i in plan.interventions.all()},
        answers={code: 4 for code in QUESTION_CODES},
        family_comment="Vi kände oss lyssnade på.",
        decision="close",
        closing_reason="goals_met",
    )
    return Case.objects.get(pk=case.pk), plan, signature.scan.name, job.result.name


def test_purging_the_case_purges_its_plan_and_minutes(world, closed_sip_case):
    case, plan, scan_name, pdf_name = closed_sip_case
    assert case.status == "closed"
    assert default_storage.exists(scan_name) and default_storage.exists(pdf_name)
    kinds = sorted(Intervention.objects.filter(plan=plan).values_list("kind", flat=True))
    goal_results = sorted(FollowUp.objects.get(plan=plan).goals.values_list("result", flat=True))

    result = retention.cases_purge(now=timezone.now() + datetime.timedelta(days=6 * 366))

    assert result.cases == 1 and result.files == 2
    assert not default_storage.exists(scan_name) and not default_storage.exists(pdf_name)
    assert not DocumentJob.objects.filter(kind="sip_plan").exists()
    plan = Plan.objects.get(pk=plan.pk)
    assert (plan.needs, plan.child_view, plan.measures_by_others, plan.follow_up_how) == (
        "",
        "",
        "",
        "",
    )
    assert set(Goal.objects.filter(plan=plan).values_list("text", flat=True)) == {""}
    assert set(Intervention.objects.filter(plan=plan).values_list("what", flat=True)) == {""}
    follow_up = FollowUp.objects.get(plan=plan)
    assert (follow_up.family_comment, follow_up.note) == ("", "")
    assert set(follow_up.goals.values_list("comment", flat=True)) == {""}
    assert set(follow_up.interventions.values_list("comment", flat=True)) == {""}
    assert FamilyFeedback.objects.get(case=case).note == ""
    assert set(SipMeeting.objects.filter(case=case).values_list("place", flat=True)) == {""}
    assert set(AgendaItem.objects.filter(case=case).values_list("notes", flat=True)) == {""}
    assert plan.signatures.get().scan == ""
    # What statistics count is kept.
    assert sorted(Intervention.objects.filter(plan=plan).values_list("kind", flat=True)) == kinds
    assert sorted(follow_up.goals.values_list("result", flat=True)) == goal_results
    assert follow_up.family_answers == {code: 4 for code in QUESTION_CODES}
