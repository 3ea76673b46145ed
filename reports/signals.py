"""When something the term statistics count changes, the team's stored figures are dropped
(after the commit) and recomputed when next needed: the published figures never lag behind
the cases, and every process sees the change at once (reports.store)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from cases.models import Case, Child
from consent.models import Consent
from meetings.models import AgendaItem, Meeting
from sip.models import FamilyFeedback, FollowUp, GoalEvaluation, Intervention, Plan, SipMeeting

from . import store

# Each counted model and how to reach its team id from an instance.
TEAM_OF = {
    Case: lambda o: [o.team_id],
    Child: lambda o: list(Case.objects.filter(child=o).values_list("team_id", flat=True)),
    Consent: lambda o: [
        Case.objects.filter(pk=o.case_id).values_list("team_id", flat=True).first()
    ],
    Meeting: lambda o: [o.team_id],
    AgendaItem: lambda o: [
        Meeting.objects.filter(pk=o.meeting_id).values_list("team_id", flat=True).first()
    ],
    FamilyFeedback: lambda o: [
        Case.objects.filter(pk=o.case_id).values_list("team_id", flat=True).first()
    ],
    SipMeeting: lambda o: [
        Case.objects.filter(pk=o.case_id).values_list("team_id", flat=True).first()
    ],
    Plan: lambda o: [Case.objects.filter(pk=o.case_id).values_list("team_id", flat=True).first()],
    Intervention: lambda o: [
        Plan.objects.filter(pk=o.plan_id).values_list("case__team_id", flat=True).first()
    ],
    FollowUp: lambda o: [
        Plan.objects.filter(pk=o.plan_id).values_list("case__team_id", flat=True).first()
    ],
    GoalEvaluation: lambda o: [
        FollowUp.objects.filter(pk=o.follow_up_id)
        .values_list("plan__case__team_id", flat=True)
        .first()
    ],
}


def _changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    team_ids = {t for t in TEAM_OF[sender](instance) if t}
    for team_id in team_ids:
        transaction.on_commit(lambda t=team_id: store.figures_forget(team_id=t))


def connect() -> None:
    for model in TEAM_OF:
        post_save.connect(_changed, sender=model, dispatch_uid=f"reports-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"reports-{model.__name__}-delete")
