"""When something the term statistics count changes, the team's stored figures are dropped
(after the commit) and recomputed when next needed: the published figures never lag behind
the cases, and every process sees the change at once (reports.store).

Nothing is read while the change is being saved: the rows to drop are found by one DELETE
after the commit, so a save costs no extra query inside its transaction."""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from cases.models import Case, Child
from consent.models import Consent
from meetings.models import AgendaItem, Meeting
from sip.models import FamilyFeedback, FollowUp, GoalEvaluation, Intervention, Plan, SipMeeting

from .models import TeamTermFigures

# Each counted model and which teams' rows it touches, as a filter on TeamTermFigures.
ROWS_OF = {
    Case: lambda o: Q(team_id=o.team_id),
    Child: lambda o: Q(team__cases__child_id=o.pk),
    Consent: lambda o: Q(team__cases__id=o.case_id),
    Meeting: lambda o: Q(team_id=o.team_id),
    AgendaItem: lambda o: Q(team__meetings__id=o.meeting_id),
    FamilyFeedback: lambda o: Q(team__cases__id=o.case_id),
    SipMeeting: lambda o: Q(team__cases__id=o.case_id),
    Plan: lambda o: Q(team__cases__id=o.case_id),
    Intervention: lambda o: Q(team__cases__sip_plans__id=o.plan_id),
    FollowUp: lambda o: Q(team__cases__sip_plans__id=o.plan_id),
    GoalEvaluation: lambda o: Q(team__cases__sip_plans__follow_ups__id=o.follow_up_id),
}


def _forget(rows: Q) -> None:
    TeamTermFigures.objects.filter(
        pk__in=TeamTermFigures.objects.filter(rows).values("pk")
    ).delete()


def _changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    rows = ROWS_OF[sender](instance)
    transaction.on_commit(lambda: _forget(rows))


def connect() -> None:
    for model in ROWS_OF:
        post_save.connect(_changed, sender=model, dispatch_uid=f"reports-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"reports-{model.__name__}-delete")
