"""Reads for SIP that need care: the family's feedback deadline, plan versions, and what
is overdue for a coordinator or an overall responsible person. `today` is a parameter
everywhere so that tests can move the clock."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.models import Case
from cases.workflow import Status
from meetings.models import AgendaItem
from teams.models import CoordinatorAppointment, KeyPerson, Term

from .models import FamilyFeedback, FollowUp, Plan, SipMeeting

FEEDBACK_DAYS = 7
# "More than two terms": a school year without a recorded evaluation.
TWO_TERMS = datetime.timedelta(days=365)


def feedback_deadline(item: AgendaItem) -> datetime.date:
    """One week after the HLT meeting, or the minutes' "contacts the family by" if earlier."""
    deadline = item.meeting.date + datetime.timedelta(days=FEEDBACK_DAYS)
    if item.contact_by and item.contact_by < deadline:
        return item.contact_by
    return deadline


@dataclass
class Feedback:
    item: AgendaItem
    deadline: datetime.date
    record: FamilyFeedback | None

    @property
    def owner(self):
        return self.item.contact_person

    @property
    def met(self) -> bool:
        return self.record is not None and self.record.contacted_on <= self.deadline

    def is_overdue(self, today: datetime.date) -> bool:
        return self.record is None and today > self.deadline


def feedback_for_case(case: Case) -> Feedback | None:
    """The feedback owed after the case's latest HLT meeting with minutes (None if none)."""
    item = (
        AgendaItem.objects.filter(case=case, minutes_recorded_at__isnull=False)
        .select_related("meeting", "contact_person", "family_feedback__recorded_by")
        .order_by("-meeting__date", "-pk")
        .first()
    )
    if item is None:
        return None
    record = getattr(item, "family_feedback", None)
    return Feedback(item=item, deadline=feedback_deadline(item), record=record)


def plan_versions(case: Case) -> QuerySet[Plan]:
    return Plan.objects.filter(case=case).select_related("overall_person").order_by("-version")


def current_plan(case: Case) -> Plan | None:
    """The latest finalised version: the plan in force."""
    return Plan.objects.filter(case=case, state=Plan.State.FINAL).order_by("-version").first()


def sip_meetings(case: Case) -> QuerySet[SipMeeting]:
    return SipMeeting.objects.filter(case=case).prefetch_related("professionals__organisation")


def follow_ups(case: Case) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(plan__case=case)
        .select_related("plan", "recorded_by")
        .prefetch_related("goals__goal", "interventions__intervention")
    )


@dataclass
class Overdue:
    """What has drifted, by case number only: no child's name ever goes in here."""

    feedback: list[tuple[int, datetime.date]] = field(default_factory=list)
    follow_ups: list[tuple[int, datetime.date]] = field(default_factory=list)
    interventions: list[tuple[int, str, datetime.date]] = field(default_factory=list)
    stale_plans: list[tuple[int, datetime.date]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            len(self.feedback)
            + len(self.follow_ups)
            + len(self.interventions)
            + len(self.stale_plans)
        )


def _term_filter(day: datetime.date) -> Q:
    return Q(term__in=Term.objects.of_day(day))


def coordinated_team_ids(user, today: datetime.date) -> set[int]:
    return set(
        CoordinatorAppointment.objects.filter(
            _term_filter(today),
            key_person__user=user.pk,
            key_person__in=KeyPerson.objects.active_on(today),
        ).values_list("team_id", flat=True)
    )


def _latest_final_plans(cases: QuerySet[Case]) -> list[Plan]:
    newer = Plan.objects.filter(
        case=OuterRef("case"), state=Plan.State.FINAL, version__gt=OuterRef("version")
    )
    return list(
        Plan.objects.filter(case__in=cases, state=Plan.State.FINAL)
        .exclude(Exists(newer))
        .prefetch_related("interventions", "follow_ups__interventions")
        .order_by("case_id")
    )


def overdue_for(user, today: datetime.date | None = None) -> Overdue:
    """Overdue items of the open cases the user coordinates (current coordinator of the
    case's team) or holds the overall responsibility for (any version of the plan)."""
    today = today or timezone.localdate()
    result = Overdue()
    if not user.is_authenticated:
        return result
    teams = coordinated_team_ids(user, today)
    # One UNION of the two kinds of case: an OR of them makes PostgreSQL read every agenda
    # item and plan of the region (a time that grows with the data); the union starts from
    # the team's and the person's few cases.
    mine = (
        Case.objects.filter(team__in=teams)
        .values("pk")
        .union(Plan.objects.filter(overall_person=user.pk).values("case_id"))
    )
    cases = Case.objects.exclude(status=Status.CLOSED).filter(pk__in=mine)
    latest_items: dict[int, AgendaItem] = {}
    for item in (
        AgendaItem.objects.filter(case__in=cases, minutes_recorded_at__isnull=False)
        .select_related("meeting", "family_feedback")
        .order_by("meeting__date", "pk")
    ):
        latest_items[item.case_id] = item
    for case_id, item in sorted(latest_items.items()):
        deadline = feedback_deadline(item)
        if getattr(item, "family_feedback", None) is None and today > deadline:
            result.feedback.append((case_id, deadline))
    for plan in _latest_final_plans(cases.filter(status=Status.PLAN_ACTIVE)):
        held = sorted(plan.follow_ups.all(), key=lambda f: (f.held_on, f.pk))
        due = plan.follow_up_on
        if held:
            due = held[-1].next_follow_up_on
        if due and due < today:
            result.follow_ups.append((plan.case_id, due))
        finished = {
            e.intervention_id
            for f in held
            for e in f.interventions.all()
            if e.state in ("done", "ended")
        }
        for intervention in plan.interventions.all():
            if intervention.ends_on < today and intervention.pk not in finished:
                result.interventions.append(
                    (plan.case_id, intervention.get_kind_display(), intervention.ends_on)
                )
        finalised = timezone.localtime(plan.finalised_at).date()
        if not held and finalised < today - TWO_TERMS:
            result.stale_plans.append((plan.case_id, finalised))
    return result


def digest_recipients(today: datetime.date) -> list:
    """Current coordinators and the overall responsible persons of open cases' plans."""
    from teams.models import User

    coordinators = CoordinatorAppointment.objects.filter(
        _term_filter(today), key_person__in=KeyPerson.objects.active_on(today)
    ).values("key_person__user")
    responsible = Plan.objects.exclude(case__status=Status.CLOSED).values("overall_person")
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=coordinators) | Q(pk__in=responsible))
        .order_by("pk")
    )
