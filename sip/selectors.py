"""Reads for SIP that need care: the family's feedback deadline, plan versions, and what
is overdue for a coordinator or an overall responsible person. `today` is a parameter
everywhere so that tests can move the clock."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from cases.models import Case
from cases.workflow import Status
from hlt.prepared import Prepared, id_array, prepared
from meetings.models import AgendaItem
from teams import selectors as teams_selectors
from teams.models import CoordinatorAppointment, User

from .models import (
    FamilyFeedback,
    FollowUp,
    GoalEvaluation,
    Intervention,
    InterventionEvaluation,
    Plan,
    PlanSignature,
    SipMeeting,
)

FEEDBACK_DAYS = 7
# "More than two terms": a school year without a recorded evaluation.
TWO_TERMS = datetime.timedelta(days=365)


def feedback_deadline(item: AgendaItem) -> datetime.date:
    """One week after the HLT meeting, or the minutes' "contacts the family by" if earlier."""
    return feedback_deadline_of(item.meeting.date, item.contact_by)


def feedback_deadline_of(
    meeting_date: datetime.date, contact_by: datetime.date | None
) -> datetime.date:
    """The rule of `feedback_deadline`, from the meeting's date and the minutes' date."""
    deadline = meeting_date + datetime.timedelta(days=FEEDBACK_DAYS)
    if contact_by and contact_by < deadline:
        return contact_by
    return deadline


def next_follow_up_due(
    followed_up: bool, next_on: datetime.date | None, follow_up_on: datetime.date | None
) -> datetime.date | None:
    """When the plan in force is next followed up: the last follow-up's next date, or the
    plan's own follow-up date before the first one."""
    return next_on if followed_up else follow_up_on


def stale_since(
    followed_up: bool, finalised_at: datetime.datetime, today: datetime.date
) -> datetime.date | None:
    """The day a plan in force was finalised, if it has gone a school year (more than two
    terms) without an evaluation; else None."""
    finalised = timezone.localtime(finalised_at).date()
    if not followed_up and finalised < today - TWO_TERMS:
        return finalised
    return None


@prepared(list, datetime.date)
def _ended_rows(plan_ids, today) -> QuerySet:
    finished = InterventionEvaluation.objects.filter(
        intervention=OuterRef("pk"),
        follow_up__plan=OuterRef("plan"),
        state__in=("done", "ended"),
    )
    return (
        Intervention.objects.filter(plan_id__in=id_array(plan_ids), ends_on__lt=today)
        .exclude(Exists(finished))
        .order_by("plan__case_id", "pk")
        .values_list("plan__case_id", "kind", "ends_on")
    )


def ended_without_evaluation(plan_ids: list[int], today: datetime.date) -> list[tuple]:
    """(case id, kind label, end day) of the plans' interventions that ended without being
    evaluated done or ended at a follow-up of their plan."""
    kinds = dict(Intervention.Kind.choices)
    ended = _ended_rows(list(plan_ids), today)
    return [(case_id, kinds.get(kind, kind), ends_on) for case_id, kind, ends_on in ended]


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


def plan_versions(case: Case | int) -> QuerySet[Plan]:
    return Plan.objects.filter(case=case).select_related("overall_person").order_by("-version")


def plan_signatures(plan: Plan) -> list[PlanSignature]:
    """The plan's registered signatures, newest first, each with `guardian_count` and the
    professionals who signed (`signature.professionals.all()`, their names only): two
    queries compiled once per process (hlt.prepared) instead of an annotation and a
    prefetch built on every view of a plan."""
    signatures = _signatures(plan.pk)
    if not signatures:
        return signatures
    signers: dict[int, list] = {}
    for row in _signers(plan.pk):
        signers.setdefault(row.plansignature_id, []).append(row.user)
    for signature in signatures:
        people = signature.professionals.all()
        people._result_cache = signers.get(signature.pk, [])
        people._prefetch_done = True
        signature.__dict__.setdefault("_prefetched_objects_cache", {})["professionals"] = people
    return signatures


_signatures = Prepared(
    # The order written out: Django leaves Meta.ordering out of a GROUP BY query (the list
    # came in the database's order before).
    lambda plan_pk: (
        PlanSignature.objects.filter(plan=plan_pk)
        .annotate(guardian_count=Count("guardians"))
        .order_by("-signed_on", "-pk")
    ),
    (int,),
)
_signers = Prepared(
    lambda plan_pk: (
        PlanSignature.professionals.through.objects.filter(plansignature__plan=plan_pk)
        .select_related("user")
        .only("plansignature", "user__full_name")
        .order_by("user__full_name", "user")
    ),
    (int,),
)


def current_plan(case: Case) -> Plan | None:
    """The latest finalised version: the plan in force."""
    return Plan.objects.filter(case=case, state=Plan.State.FINAL).order_by("-version").first()


def sip_meetings(case: Case) -> QuerySet[SipMeeting]:
    # The professionals with their organisations in one query (a join, not a second query).
    professionals = User.objects.select_related("organisation")
    return SipMeeting.objects.filter(case=case).prefetch_related(
        Prefetch("professionals", professionals)
    )


def follow_ups(case: Case) -> QuerySet[FollowUp]:
    # Each evaluation with its goal or intervention: a join, not a query more each.
    return (
        FollowUp.objects.filter(plan__case=case)
        .select_related("plan", "recorded_by")
        .prefetch_related(
            Prefetch("goals", GoalEvaluation.objects.select_related("goal")),
            Prefetch(
                "interventions",
                InterventionEvaluation.objects.select_related("intervention"),
            ),
        )
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


def coordinated_team_ids(user, today: datetime.date) -> set[int]:
    return set(teams_selectors.coordinated_team_ids(user, today))


def _coordinated_teams(user, today: datetime.date) -> QuerySet:
    return (
        CoordinatorAppointment.objects.current(today)
        .filter(key_person__user=user.pk)
        .values("team_id")
    )


def _first_per_case(rows, key: int = 0) -> list[tuple]:
    """The first of each run of rows with the same case id (rows ordered by case id)."""
    first, seen = [], set()
    for row in rows:
        if row[key] not in seen:
            seen.add(row[key])
            first.append(row)
    return first


def overdue_for(user, today: datetime.date | None = None) -> Overdue:
    """Overdue items of the open cases the user coordinates (current coordinator of the
    case's team) or holds the overall responsibility for (any version of the plan).

    Four queries of plain values, whatever the number of cases: the start page shows a short
    list, so no model object is built for the hundreds of rows it is drawn from."""
    today = today or timezone.localdate()
    result = Overdue()
    if not user.is_authenticated:
        return result
    # One UNION of the two kinds of case: an OR of them makes PostgreSQL read every agenda
    # item and plan of the region (a time that grows with the data); the union starts from
    # the team's and the person's few cases.
    mine = (
        Case.objects.filter(team__in=_coordinated_teams(user, today))
        .values("pk")
        .union(Plan.objects.filter(overall_person=user.pk).values("case_id"))
    )
    cases = Case.objects.exclude(status=Status.CLOSED).filter(pk__in=mine)
    # The feedback owed after each case's latest HLT meeting with minutes.
    latest_items = (
        AgendaItem.objects.filter(case__in=cases, minutes_recorded_at__isnull=False)
        .order_by("case_id", "-meeting__date", "-pk")
        .values_list("case_id", "meeting__date", "contact_by", "family_feedback__id")
    )
    # The first row of each case is its latest item (no DISTINCT ON: `make run` serves on
    # SQLite, which lacks it; a case has few minuted items).
    for case_id, meeting_date, contact_by, feedback_id in _first_per_case(latest_items):
        deadline = feedback_deadline_of(meeting_date, contact_by)
        if feedback_id is None and today > deadline:
            result.feedback.append((case_id, deadline))
    # The plan in force (latest final version) of each case with an active plan, with the
    # next follow-up date of its latest follow-up.
    follow_ups = FollowUp.objects.filter(plan=OuterRef("pk")).order_by("-held_on", "-pk")
    plans = _first_per_case(
        Plan.objects.filter(
            case__in=cases.filter(status=Status.PLAN_ACTIVE), state=Plan.State.FINAL
        )
        .order_by("case_id", "-version")
        .annotate(
            held=Exists(follow_ups),
            next_due=Subquery(follow_ups.values("next_follow_up_on")[:1]),
        )
        .values_list("pk", "case_id", "follow_up_on", "finalised_at", "held", "next_due"),
        key=1,
    )
    for _pk, case_id, follow_up_on, finalised_at, held, next_due in plans:
        due = next_follow_up_due(held, next_due, follow_up_on)
        if due and due < today:
            result.follow_ups.append((case_id, due))
        since = stale_since(held, finalised_at, today)
        if since is not None:
            result.stale_plans.append((case_id, since))
    if plans:
        result.interventions = ended_without_evaluation([plan[0] for plan in plans], today)
    return result


def digest_recipients(today: datetime.date) -> list:
    """Current coordinators and the overall responsible persons of open cases' plans."""
    coordinators = CoordinatorAppointment.objects.current(today).values("key_person__user")
    responsible = Plan.objects.exclude(case__status=Status.CLOSED).values("overall_person")
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=coordinators) | Q(pk__in=responsible))
        .order_by("pk")
    )
