"""Retention of SIP plans: a purged case keeps the plan's structure (dates, kinds, agencies,
results and the families' scores, which statistics count) but loses every word about the
child and family, the signed scans and the printed PDFs."""

from consent.models import DocumentJob

from .models import (
    FamilyFeedback,
    FollowUp,
    Goal,
    GoalEvaluation,
    Intervention,
    InterventionEvaluation,
    Plan,
    PlanSignature,
    SipMeeting,
)


def case_sip_purge(sender, *, case, **kwargs) -> int:
    plan_ids = list(Plan.objects.filter(case=case).values_list("pk", flat=True))
    files = 0
    for signature in PlanSignature.objects.filter(plan_id__in=plan_ids).exclude(scan=""):
        signature.scan.delete(save=False)
        files += 1
    PlanSignature.objects.filter(plan_id__in=plan_ids).update(scan="", scan_content_type="")
    for job in DocumentJob.objects.filter(kind="sip_plan", params__plan_id__in=plan_ids):
        if job.result:
            job.result.delete(save=False)
            files += 1
        job.delete()

    Plan.objects.filter(pk__in=plan_ids).update(
        needs="", child_view="", measures_by_others="", follow_up_how=""
    )
    Goal.objects.filter(plan_id__in=plan_ids).update(text="")
    Intervention.objects.filter(plan_id__in=plan_ids).update(what="")
    follow_ups = FollowUp.objects.filter(plan_id__in=plan_ids)
    follow_ups.update(family_comment="", note="")
    GoalEvaluation.objects.filter(follow_up__in=follow_ups).update(comment="")
    InterventionEvaluation.objects.filter(follow_up__in=follow_ups).update(comment="")
    FamilyFeedback.objects.filter(case=case).update(note="")
    SipMeeting.objects.filter(case=case).update(place="")
    return files
