"""The task inbox: what each person must do next, read from the data, within their reach.

Every item about a case comes from cases the person may see (the confidentiality rule in
`cases.selectors.cases_visible_to`), except "consent has run out", which by its nature is
about a case nobody sees any more: it is told, by case number only, to the initiator and to
the coordinator whose sector the consent covered.

The inbox is built in a fixed number of queries whatever the data (each kind of task is one
query; children's labels one more). Task texts never name a child, so the same texts go into
the weekly e-mail; the screen adds each child's label (masked when protected).
"""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cases import access
from cases.models import Case
from cases.selectors import cases_visible_to
from cases.workflow import PRE_CONSENT, Status
from consent.models import Consent
from hlt.prepared import id_array, prepared
from hlt.row_urls import row_url
from meetings.models import AgendaItem, Meeting
from sip.models import FollowUp, Plan, SipMeeting
from sip.selectors import (
    coordinated_team_ids,
    ended_without_evaluation,
    feedback_deadline_of,
    next_follow_up_due,
    stale_since,
)
from teams.models import KeyPerson, Team
from teams.selectors import active_seats_of, managed_organisations

# Consents and key-person seats that end within this many days are shown.
ENDING_WITHIN_DAYS = 30
# Follow-ups and SIP meetings coming up within this many days are shown.
COMING_WITHIN_DAYS = 14
# A consent that ran out more than this long ago is no longer a task (the case waits to be
# closed by the team, or purged by retention).
RAN_OUT_SHOWN_DAYS = 90
# The team meets about monthly: a case waiting longer has missed a meeting.
WAITING_WARN_DAYS = 31
# Without an earlier login on record, "new to your team" looks back this far.
NEW_CASES_DEFAULT_DAYS = 14
AGENDAS_SHOWN = 5


# The loops below compare with `user_id`, read once: the request's user is a lazy object,
# and each attribute read through it costs a call (hundreds of case rows per inbox).


def visible_cases(user, today: datetime.date) -> QuerySet[Case]:
    """The cases the inbox may speak of: the confidentiality rule, and open."""
    return cases_visible_to(user, today).exclude(status=Status.CLOSED)


class Kind:
    """The kinds of task, each with a heading in plain words."""

    CONTACT_FAMILY = "contact_family"
    FEEDBACK_OVERDUE = "feedback_overdue"
    PLAN_SIP_MEETING = "plan_sip_meeting"
    HOLD_SIP_MEETING = "hold_sip_meeting"
    WRITE_PLAN = "write_plan"
    FINALISE_PLAN = "finalise_plan"
    FOLLOW_UP = "follow_up"
    INTERVENTION = "intervention"
    STALE_PLAN = "stale_plan"
    CONSENT_ENDING = "consent_ending"
    CONSENT_ENDED = "consent_ended"
    AWAITING_CONSENT = "awaiting_consent"
    WAITING_LIST = "waiting_list"
    SEAT_ENDING = "seat_ending"

    labels = {
        CONTACT_FAMILY: gettext_lazy("Contact the family"),
        FEEDBACK_OVERDUE: gettext_lazy("Feedback to the family"),
        PLAN_SIP_MEETING: gettext_lazy("Plan the SIP meeting"),
        HOLD_SIP_MEETING: gettext_lazy("SIP meeting"),
        WRITE_PLAN: gettext_lazy("Write the plan"),
        FINALISE_PLAN: gettext_lazy("Finalise the plan"),
        FOLLOW_UP: gettext_lazy("Follow-up"),
        INTERVENTION: gettext_lazy("Evaluate an intervention"),
        STALE_PLAN: gettext_lazy("Evaluate the plan"),
        CONSENT_ENDING: gettext_lazy("Consent runs out"),
        CONSENT_ENDED: gettext_lazy("Consent has run out"),
        AWAITING_CONSENT: gettext_lazy("Waiting for consent"),
        WAITING_LIST: gettext_lazy("Waiting list"),
        SEAT_ENDING: gettext_lazy("Key-person seat ends"),
    }


@dataclass
class Task:
    kind: str
    text: str  # what to do, in plain words: never a child's name
    url: str
    due: datetime.date | None = None
    overdue: bool = False
    case_id: int | None = None
    child_label: str = ""  # for the screen only

    @property
    def kind_label(self) -> str:
        return str(Kind.labels[self.kind])

    @property
    def case_number(self) -> str:
        return _("Case %(number)s") % {"number": self.case_id} if self.case_id else ""


@dataclass
class NewCase:
    case_id: int
    team: str
    actualised_at: datetime.datetime
    child_label: str = ""


@dataclass
class WaitingList:
    team: Team
    count: int
    oldest: datetime.datetime | None
    next_meeting: Meeting | None
    long_wait: bool


@dataclass
class Inbox:
    today: datetime.date
    tasks: list[Task] = field(default_factory=list)
    new_cases: list[NewCase] = field(default_factory=list)
    new_since: datetime.datetime | None = None
    agendas: list[Meeting] = field(default_factory=list)
    waiting: list[WaitingList] = field(default_factory=list)
    # The cases whose child is named on the page (to be written to the access log).
    shown_cases: list[Case] = field(default_factory=list)

    @property
    def count(self) -> int:
        """What the menu shows: tasks and new cases."""
        return len(self.tasks) + len(self.new_cases)

    @property
    def overdue_count(self) -> int:
        return sum(1 for t in self.tasks if t.overdue)


@dataclass
class _Open:
    """One open case the person may see, with the dates its tasks need (no child data)."""

    pk: int
    team_id: int
    team: str
    status: str
    initiated_by_id: int
    created_at: datetime.datetime
    actualised_at: datetime.datetime | None
    consent_until: datetime.date | None  # the last day of the consent in force
    has_sip_meeting: bool
    previous_login_at: datetime.datetime | None  # the person's, the same on every row


def _open_rows(cases: QuerySet[Case], user_id: int, today: datetime.date) -> QuerySet:
    from .models import InboxPreference

    in_force = Consent.objects.in_force(today).filter(case=OuterRef("pk"))
    previous_login = InboxPreference.objects.filter(user=user_id).values("previous_login_at")
    return (
        cases.exclude(status=Status.CLOSED)
        .annotate(
            consent_until=Subquery(in_force.order_by("-valid_until").values("valid_until")[:1]),
            has_sip_meeting=Exists(SipMeeting.objects.filter(case=OuterRef("pk"))),
            previous_login_at=Subquery(previous_login[:1]),
        )
        .order_by("pk")
        .values_list(
            "pk",
            "team_id",
            "team__name",
            "status",
            "initiated_by_id",
            "created_at",
            "actualised_at",
            "consent_until",
            "has_sip_meeting",
            "previous_login_at",
        )
    )


def _open_cases(user, today) -> dict[int, _Open]:
    """The open cases the person may see (the confidentiality rule, read once), each with the
    dates its tasks are derived from: one query, whatever the number of kinds of task (its
    SQL compiled once per process and shape of the rule)."""
    rows = access.visible_rows(
        "inbox_open", user, today, _open_rows, (user.pk, today), (int, datetime.date)
    )
    return {row[0]: _Open(*row) for row in rows}


@prepared(list)
def _minuted_items(ids) -> QuerySet:
    """Every agenda item with minutes of the cases, oldest first (a case has a few): the
    family feedback and the SIP meeting to plan are read from the latest."""
    return (
        AgendaItem.objects.filter(case_id__in=id_array(ids), minutes_recorded_at__isnull=False)
        .order_by("meeting__date", "pk")
        .values_list(
            "case_id",
            "meeting__date",
            "meeting__team_id",
            "contact_by",
            "contact_person_id",
            "contact_person__full_name",
            "family_feedback__id",
            "sip_meeting_on",
        )
    )


def _family_contacts(user, items, coordinated, today) -> list[Task]:
    """Feedback owed to families after an HLT meeting: the contact person's own task (with
    its date), and for the coordinator every team case whose deadline has passed. Owed after
    the case's latest HLT meeting with minutes, if no feedback is recorded for it."""
    user_id = user.pk
    latest_day: dict[int, datetime.date] = {}
    for item in items:
        latest_day[item[0]] = max(item[1], latest_day.get(item[0], item[1]))
    tasks = []
    for item in items:
        case_id, meeting_date, team_id, contact_by, contact_id, contact_name, feedback = item[:7]
        if feedback is not None or meeting_date < latest_day[case_id]:
            continue
        if not (contact_id == user_id or team_id in coordinated):
            continue
        deadline = feedback_deadline_of(meeting_date, contact_by)
        url = row_url("sip:feedback", case_id)
        if contact_id == user_id:
            text = _("Tell the family what the HLT meeting on %(day)s decided.") % {
                "day": f"{meeting_date:%Y-%m-%d}"
            }
            tasks.append(Task(Kind.CONTACT_FAMILY, text, url, deadline, today > deadline, case_id))
        elif today > deadline:
            who = contact_name if contact_id else _("nobody named")
            text = _("The family has not heard back after the HLT meeting (contact: %(who)s).") % {
                "who": who
            }
            tasks.append(Task(Kind.FEEDBACK_OVERDUE, text, url, deadline, True, case_id))
    return tasks


def _sip_meetings_to_plan(user, cases, items, coordinated, today) -> list[Task]:
    """Cases the HLT meeting sent to SIP that have no SIP meeting yet: for the latest
    minutes' contact person and the coordinator, due on the SIP date the minutes planned."""
    user_id = user.pk
    latest = {item[0]: item for item in items}  # oldest first: the last one stays
    text = _("Invite the family and the professionals to the SIP meeting.")
    tasks = []
    for c in cases:
        if c.status != Status.SIP_PLANNED or c.has_sip_meeting:
            continue
        item = latest.get(c.pk)
        contact_id, planned_on = (item[4], item[7]) if item else (None, None)
        if not (contact_id == user_id or c.team_id in coordinated):
            continue
        tasks.append(
            Task(
                Kind.PLAN_SIP_MEETING,
                text,
                row_url("sip:meeting_new", c.pk),
                planned_on,
                bool(planned_on and planned_on < today),
                c.pk,
            )
        )
    return tasks


@prepared(list, int, datetime.date)
def _sip_meeting_rows(ids, user_id, until) -> QuerySet:
    return (
        SipMeeting.objects.filter(case_id__in=id_array(ids))
        .filter(Q(created_by=user_id) | Q(professionals=user_id))
        .filter(date__lte=until)
        .distinct()
        .order_by("date", "pk")
        .values_list("case_id", "date", "starts_at", "place", "pk")
    )


def _sip_meetings(user, ids, planned, today) -> list[Task]:
    """SIP meetings the person planned or is invited to: coming ones to hold, and past ones
    after which no plan was written yet (`planned`: the cases with a plan)."""
    rows = _sip_meeting_rows(ids, user.pk, today + datetime.timedelta(days=COMING_WITHIN_DAYS))
    meetings = [row[:4] for row in rows if row[1] >= today or row[0] not in planned]
    tasks: dict[tuple[int, str], Task] = {}
    for case_id, date, starts_at, place in meetings:
        url = row_url("sip:case", case_id)
        if date >= today:
            text = _("SIP meeting %(day)s at %(time)s, %(place)s.") % {
                "day": f"{date:%Y-%m-%d}",
                "time": f"{starts_at:%H:%M}",
                "place": place,
            }
            key = (case_id, Kind.HOLD_SIP_MEETING)
            tasks.setdefault(key, Task(Kind.HOLD_SIP_MEETING, text, url, date, False, case_id))
        else:
            text = _("The SIP meeting on %(day)s was held: write the plan.") % {
                "day": f"{date:%Y-%m-%d}"
            }
            # The latest past meeting of the case wins.
            tasks[(case_id, Kind.WRITE_PLAN)] = Task(
                Kind.WRITE_PLAN, text, url, date, True, case_id
            )
    return list(tasks.values())


@dataclass
class _Plan:
    pk: int
    case_id: int
    state: str
    version: int
    created_by_id: int
    overall_person_id: int | None
    follow_up_on: datetime.date | None
    finalised_at: datetime.datetime | None
    sip_meeting_on: datetime.date | None
    followed_up: bool
    next_on: datetime.date | None
    responsible: bool  # the person holds the overall responsibility in some version


@prepared(list)
def _plan_rows(ids) -> QuerySet:
    last_follow_up = FollowUp.objects.filter(plan=OuterRef("pk")).order_by("-held_on", "-pk")
    return (
        Plan.objects.filter(case_id__in=id_array(ids))
        .annotate(
            followed_up=Exists(last_follow_up),
            next_on=Subquery(last_follow_up.values("next_follow_up_on")[:1]),
        )
        .order_by("case_id", "pk")
        .values_list(
            "pk",
            "case_id",
            "state",
            "version",
            "created_by_id",
            "overall_person_id",
            "follow_up_on",
            "finalised_at",
            "sip_meeting__date",
            "followed_up",
            "next_on",
        )
    )


def _plans(user, ids) -> list[_Plan]:
    """The drafts and the plans in force (latest final version) of the cases: one query for
    the drafts, the follow-ups and the SIP overdue rule (every version is read: a case has a
    few, and which one is in force is decided here rather than by a subquery per row)."""
    user_id = user.pk
    rows = _plan_rows(ids)
    in_force: dict[int, tuple] = {}  # case id: its latest final version
    responsible = set()  # the cases where the person is responsible in some version
    for row in rows:
        _pk, case_id, state, version, _by, overall_person_id = row[:6]
        if overall_person_id == user_id:
            responsible.add(case_id)
        if state == Plan.State.FINAL and (
            case_id not in in_force or version > in_force[case_id][3]
        ):
            in_force[case_id] = row
    return [
        _Plan(*row, responsible=row[1] in responsible)
        for row in rows
        if row[2] == Plan.State.DRAFT or in_force.get(row[1]) is row
    ]


def _drafts(user, plans, cases, coordinated) -> list[Task]:
    user_id = user.pk
    tasks = []
    for plan in plans:
        if plan.state != Plan.State.DRAFT:
            continue
        if not (
            plan.created_by_id == user_id
            or plan.overall_person_id == user_id
            or cases[plan.case_id].team_id in coordinated
        ):
            continue
        text = _("Version %(version)s of the plan is a draft: complete it and finalise it.") % {
            "version": plan.version
        }
        tasks.append(
            Task(
                Kind.FINALISE_PLAN,
                text,
                row_url("sip:plan", plan.pk),
                plan.sip_meeting_on,
                False,
                plan.case_id,
            )
        )
    return tasks


def _in_force(plans, cases) -> list[_Plan]:
    """The plans in force of the cases with an active plan."""
    return [
        plan
        for plan in plans
        if plan.state == Plan.State.FINAL and cases[plan.case_id].status == Status.PLAN_ACTIVE
    ]


def _follow_ups(user, plans, cases, coordinated, today) -> list[Task]:
    """Follow-ups due within two weeks or past due, of the plans in force the person holds the
    overall responsibility for or coordinates."""
    user_id = user.pk
    horizon = today + datetime.timedelta(days=COMING_WITHIN_DAYS)
    tasks = []
    for plan in _in_force(plans, cases):
        if not (plan.overall_person_id == user_id or cases[plan.case_id].team_id in coordinated):
            continue
        due = next_follow_up_due(plan.followed_up, plan.next_on, plan.follow_up_on)
        if due is None or due > horizon:
            continue
        text = _("Follow up the plan with the family (due %(day)s).") % {"day": f"{due:%Y-%m-%d}"}
        tasks.append(
            Task(
                Kind.FOLLOW_UP,
                text,
                row_url("sip:follow_up", plan.pk),
                due,
                due < today,
                plan.case_id,
            )
        )
    return tasks


def _sip_overdue(plans, cases, coordinated, today) -> list[Task]:
    """Interventions ended without an evaluation and plans a school year without one, by the
    SIP overdue rule (sip.selectors.overdue_for): of the plans in force of the cases the
    person coordinates or holds the overall responsibility for (any version)."""
    mine = [
        plan
        for plan in _in_force(plans, cases)
        if plan.responsible or cases[plan.case_id].team_id in coordinated
    ]
    tasks = []
    if mine:
        for case_id, kind, ends in ended_without_evaluation([p.pk for p in mine], today):
            text = _("The intervention “%(kind)s” ended %(day)s without an evaluation.") % {
                "kind": kind,
                "day": f"{ends:%Y-%m-%d}",
            }
            url = row_url("sip:case", case_id)
            tasks.append(Task(Kind.INTERVENTION, text, url, ends, True, case_id))
    for plan in mine:
        since = stale_since(plan.followed_up, plan.finalised_at, today)
        if since is None:
            continue
        text = _("The plan has been in force since %(day)s without an evaluation.") % {
            "day": f"{since:%Y-%m-%d}"
        }
        url = row_url("sip:case", plan.case_id)
        tasks.append(Task(Kind.STALE_PLAN, text, url, None, True, plan.case_id))
    return tasks


def _consents(user, cases, coordinated, today) -> list[Task]:
    """Consents in force that end within 30 days (no later consent takes over), for the
    case's initiator and the coordinator."""
    user_id = user.pk
    horizon = today + datetime.timedelta(days=ENDING_WITHIN_DAYS)
    rows = sorted(
        (
            {"pk": c.pk, "until": c.consent_until}
            for c in cases
            if c.status not in PRE_CONSENT
            and (c.initiated_by_id == user_id or c.team_id in coordinated)
            and c.consent_until is not None
            and c.consent_until <= horizon
        ),
        key=lambda c: (c["until"], c["pk"]),
    )
    text = _("The consent runs out %(day)s: talk with the family about a new one.")
    return _consent_tasks(Kind.CONSENT_ENDING, text, rows, overdue=False)


def _consent_tasks(kind, text, cases, *, overdue: bool) -> list[Task]:
    """One task per case row (pk, until), the day the consent ends in the text."""
    return [
        Task(
            kind,
            text % {"day": f"{c['until']:%Y-%m-%d}"},
            row_url("cases:detail", c["pk"]),
            c["until"],
            overdue,
            c["pk"],
        )
        for c in cases
    ]


def _ran_out_rows(sector: str | None, with_teams: bool):
    """The query of `_consents_ran_out` for a sector (and whether the person coordinates)."""

    def build(cases, user_id, today, since, *coordinated):
        later = Consent.objects.filter(case=OuterRef("case")).filter(
            Q(valid_until__gt=OuterRef("valid_until"))
            | Q(valid_until=OuterRef("valid_until"), pk__gt=OuterRef("pk"))
        )
        told = Q(case__initiated_by=user_id)
        if with_teams:
            told |= Q(case__team_id__in=id_array(coordinated[0]), **{f"covers_{sector}": True})
        return (
            Consent.objects.filter(
                case__in=cases,
                withdrawn_on__isnull=True,
                valid_until__lt=today,
                valid_until__gte=since,
            )
            .exclude(case__status__in=sorted({*PRE_CONSENT, Status.CLOSED}))
            .filter(told)
            .exclude(Exists(later))
            .order_by("valid_until", "case_id")
            .values_list("case_id", "valid_until")
        )

    return build


def _consents_ran_out(user, coordinated, today) -> list[Task]:
    """Open cases whose last consent ran out (not withdrawn) in the last 90 days: nobody sees
    them any more, so the initiator and the coordinator of a covered sector are told, by case
    number only.

    Read from the consents: the case's last one (by end date) ended in the window, so none is
    in force today."""
    sector = access.own_sector(user, today)
    with_teams = bool(sector and coordinated)
    rows = access.in_reach_rows(
        f"inbox_ran_out:{sector}:{with_teams}",
        user,
        today,
        _ran_out_rows(sector, with_teams),
        (user.pk, today, today - datetime.timedelta(days=RAN_OUT_SHOWN_DAYS))
        + ((list(coordinated),) if with_teams else ()),
        (int, datetime.date, datetime.date) + ((list,) if with_teams else ()),
    )
    cases = [{"pk": case_id, "until": until} for case_id, until in rows]
    text = _("The consent ran out %(day)s: nothing may be shared until the family signs anew.")
    return _consent_tasks(Kind.CONSENT_ENDED, text, cases, overdue=True)


def _awaiting_consent(user, cases) -> list[Task]:
    """The cases the person started that wait for consent (only their initiator sees them)."""
    user_id = user.pk
    mine = sorted(
        (c for c in cases if c.initiated_by_id == user_id and c.status in PRE_CONSENT),
        key=lambda c: (c.created_at, c.pk),
    )
    tasks = []
    for c in mine:
        started = timezone.localtime(c.created_at).date()
        if c.status == Status.DRAFT:
            text = _("Started %(day)s: add the guardians and print the consent form.")
        else:
            text = _("Consent form printed (case started %(day)s): register the signed consent.")
        tasks.append(
            Task(
                Kind.AWAITING_CONSENT,
                text % {"day": f"{started:%Y-%m-%d}"},
                row_url("cases:detail", c.pk),
                None,
                False,
                c.pk,
            )
        )
    return tasks


def _seats_ending(user, today) -> list[Task]:
    organisations = [o.pk for o in managed_organisations(user, today)]
    if not organisations:
        return []
    seats = (
        KeyPerson.objects.filter(
            organisation__in=organisations,
            active_to__range=(today, today + datetime.timedelta(days=ENDING_WITHIN_DAYS)),
        )
        .select_related("user", "team")
        .order_by("active_to", "pk")
    )
    url = reverse("teams:organisation_key_persons")
    return [
        Task(
            Kind.SEAT_ENDING,
            _("%(person)s's seat in %(team)s ends %(day)s: appoint a successor in time.")
            % {"person": seat.user, "team": seat.team, "day": f"{seat.active_to:%Y-%m-%d}"},
            url,
            seat.active_to,
            False,
        )
        for seat in seats
    ]


@prepared(list, datetime.date)
def _waiting_rows(teams, today) -> QuerySet:
    return (
        Case.objects.filter(team_id__in=id_array(teams), status=Status.ACTUALISED)
        .filter(Exists(Consent.objects.in_force(today).filter(case=OuterRef("pk"))))
        .exclude(Exists(AgendaItem.objects.filter(case=OuterRef("pk"), is_open=True)))
        .values_list("team_id", "actualised_at")
    )


@prepared(list, datetime.date)
def _coming_meetings(teams, today) -> QuerySet[Meeting]:
    """The planned meetings of the person's teams from today on (a team meets monthly: a
    handful each), with their case counts: the waiting lists' next meetings and the coming
    agendas are both read from them."""
    return (
        Meeting.objects.filter(
            team_id__in=id_array(teams), date__gte=today, state=Meeting.State.PLANNED
        )
        .annotate(case_count=Count("items"))
        .select_related("team")
        .order_by("date", "starts_at", "pk")
    )


def _waiting_lists(user, coordinated, coming, today) -> list[WaitingList]:
    """For the coordinator: each team's waiting list (how many, since when) and its next
    meeting (`coming`: the planned meetings, by date). Counts only: the names are on the
    meeting page, for those who may see them."""
    if not coordinated:
        return []
    waiting: dict[int, list] = {team: [] for team in coordinated}
    rows = _waiting_rows(coordinated, today)
    for team, actualised_at in rows:
        waiting[team].append(actualised_at)
    # The first coming meeting of each team is its next one.
    next_meeting: dict[int, Meeting] = {}
    for meeting in coming:
        if meeting.team_id in waiting:
            next_meeting.setdefault(meeting.team_id, meeting)
    warn_before = timezone.now() - datetime.timedelta(days=WAITING_WARN_DAYS)
    result = []
    # A coordinator holds a seat in each team they coordinate: the teams come with the seats
    # the start page has read already.
    teams = {seat.team_id: seat.team for seat in active_seats_of(user, today)}
    if not teams.keys() >= set(coordinated):
        teams = {team.pk: team for team in Team.objects.filter(pk__in=coordinated)}
    for team in sorted((teams[pk] for pk in coordinated), key=lambda team: team.name):
        days = waiting[team.pk]
        oldest = min((d for d in days if d is not None), default=None)
        result.append(
            WaitingList(
                team=team,
                count=len(days),
                oldest=oldest,
                next_meeting=next_meeting.get(team.pk),
                long_wait=bool(oldest and oldest < warn_before),
            )
        )
    return result


def _waiting_tasks(waiting: list[WaitingList]) -> list[Task]:
    tasks = []
    for w in waiting:
        if not w.long_wait:
            continue
        since = timezone.localtime(w.oldest).date()
        text = ngettext(
            "%(count)s case waits for an HLT meeting of %(team)s, since %(day)s.",
            "%(count)s cases wait for an HLT meeting of %(team)s; the oldest since %(day)s.",
            w.count,
        ) % {"count": w.count, "team": w.team, "day": f"{since:%Y-%m-%d}"}
        url = (
            row_url("meetings:detail", w.next_meeting.pk)
            if w.next_meeting
            else row_url("meetings:team", w.team.pk)
        )
        due = since + datetime.timedelta(days=WAITING_WARN_DAYS)
        tasks.append(Task(Kind.WAITING_LIST, text, url, due, True))
    return tasks


def _new_cases(user, cases, team_ids, since) -> list[NewCase]:
    user_id = user.pk
    new = sorted(
        (
            c
            for c in cases
            if c.team_id in team_ids
            and c.actualised_at is not None
            and c.actualised_at > since
            and c.initiated_by_id != user_id
        ),
        key=lambda c: (c.actualised_at, c.pk),
        reverse=True,
    )
    return [NewCase(c.pk, c.team, c.actualised_at) for c in new]


def _agendas(coming: list[Meeting], team_ids) -> list[Meeting]:
    """The next published agendas of the person's teams (`coming`: the planned meetings)."""
    return [m for m in coming if m.team_id in team_ids and m.published_at is not None][
        :AGENDAS_SHOWN
    ]


@prepared(list, int)
def _shown_cases(ids, user_id) -> QuerySet[Case]:
    """The cases whose children the page names, with the flag deciding their masking."""
    return access.with_identity_flags(
        Case.objects.filter(pk__in=id_array(ids)), SimpleNamespace(pk=user_id)
    ).select_related("child", "team")


def _sort_key(task: Task):
    # Overdue first, then by date; tasks without a date last, then by case.
    return (not task.overdue, task.due or datetime.date.max, task.case_id or 0)


def inbox_for(user, today: datetime.date | None = None, *, labels: bool = True) -> Inbox:
    """Everything the person has to do, in a fixed number of queries.

    With `labels`, each task about a case the person may see carries the child's label
    (masked for a protected identity); the caller logs that read.
    """
    today = today or timezone.localdate()
    inbox = Inbox(today=today)
    if not user.is_authenticated or not user.is_active or not user.organisation_id:
        # Outside every organisation (process leaders, administrators): no case, no seat,
        # nothing to manage, so no task; and no query spent finding that out.
        return inbox
    coordinated = set(coordinated_team_ids(user, today))
    # The seats the gate has already read for this request (access.active_seats caches them).
    team_ids = {team for team, _sector in access.active_seats(user, today)}
    cases = _open_cases(user, today)
    open_cases = list(cases.values())
    ids = list(cases)
    plans = _plans(user, ids) if ids else []
    tasks: list[Task] = []
    items = _minuted_items(ids) if ids else []
    tasks += _family_contacts(user, items, coordinated, today)
    tasks += _sip_meetings_to_plan(user, open_cases, items, coordinated, today)
    if ids:
        tasks += _sip_meetings(user, ids, {p.case_id for p in plans}, today)
    tasks += _drafts(user, plans, cases, coordinated)
    tasks += _follow_ups(user, plans, cases, coordinated, today)
    tasks += _consents(user, open_cases, coordinated, today)
    tasks += _consents_ran_out(user, sorted(coordinated), today)
    tasks += _awaiting_consent(user, open_cases)
    tasks += _seats_ending(user, today)
    # A coordinator holds a seat in each team they coordinate (CoordinatorAppointment.current).
    coming = (
        list(_coming_meetings(sorted(team_ids | coordinated), today))
        if team_ids or coordinated
        else []
    )
    inbox.waiting = _waiting_lists(user, sorted(coordinated), coming, today)
    tasks += _waiting_tasks(inbox.waiting)
    if team_ids:
        # The person's previous login came with each case row (no query of its own).
        since = open_cases[0].previous_login_at if open_cases else None
        inbox.new_since = since or timezone.now() - datetime.timedelta(days=NEW_CASES_DEFAULT_DAYS)
        inbox.new_cases = _new_cases(user, open_cases, team_ids, inbox.new_since)
        inbox.agendas = _agendas(coming, team_ids)
    tasks += _sip_overdue(plans, cases, coordinated, today)
    # One query for the children of the cases the tasks are about, among the cases the gate
    # let through above (`_open_cases`, this request): a task about a case outside the
    # person's reach never shows (the one exception: a consent that ran out, told by case
    # number only to those who had the case).
    wanted = {t.case_id for t in tasks if t.case_id and t.kind != Kind.CONSENT_ENDED}
    wanted |= {c.case_id for c in inbox.new_cases}
    shown = _shown_cases(sorted(wanted & cases.keys()), user.pk) if wanted else []
    by_pk = {c.pk: c for c in shown}
    tasks = [
        t for t in tasks if t.case_id is None or t.kind == Kind.CONSENT_ENDED or t.case_id in by_pk
    ]
    inbox.new_cases = [c for c in inbox.new_cases if c.case_id in by_pk]
    if labels:
        for task in tasks:
            if task.kind != Kind.CONSENT_ENDED and task.case_id in by_pk:
                task.child_label = access.child_label(by_pk[task.case_id], user, today)
        for new in inbox.new_cases:
            new.child_label = access.child_label(by_pk[new.case_id], user, today)
    inbox.tasks = sorted(tasks, key=_sort_key)
    inbox.shown_cases = shown
    return inbox
