"""Reads about meetings that need care: who may see or run a team's meetings, the waiting
list, and how each child is named on an agenda. Each function runs a fixed number of queries."""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import MASK, active_seats, visible_among
from cases.models import Case
from cases.workflow import Status
from consent.models import Consent
from hlt.prepared import Prepared
from teams.models import CoordinatorAppointment, KeyPerson, Team
from teams.selectors import teams_visible_to

from .models import AgendaItem, Meeting


def is_member(user, team: Team, day: datetime.date | None = None) -> bool:
    """A current key person of the team."""
    day = day or timezone.localdate()
    return KeyPerson.objects.active_on(day).filter(user=user.pk, team=team).exists()


def is_coordinator(user, team: Team, day: datetime.date | None = None) -> bool:
    """The team's coordinator for the current term, with a seat that is still active."""
    return (
        CoordinatorAppointment.objects.current(day)
        .filter(team=team, key_person__user=user.pk)
        .exists()
    )


def _check_access(user, team: Team, *, manage: bool) -> bool:
    """404 unless a current member; 403 when a member may see but not run meetings.
    Returns whether the user is the coordinator."""
    # A current key person of the team: the seats the gate reads (the same rule as
    # `is_member`, read once per request and shared with the gate).
    today = timezone.localdate()
    if not user.is_authenticated or team.pk not in {t for t, _s in active_seats(user, today)}:
        raise Http404
    coordinator = is_coordinator(user, team)
    if manage and not coordinator:
        raise PermissionDenied(_("Only the team's coordinator can do this."))
    return coordinator


def team_for_member(user, pk: int, *, manage: bool = False) -> Team:
    """The team whose meetings the user wants: 404 if they may not know the team or are not
    one of its key persons, 403 if they are but `manage` asks for the coordinator."""
    try:
        team = teams_visible_to(user).get(pk=pk)
    except Team.DoesNotExist:
        raise Http404 from None
    team.user_is_coordinator = _check_access(user, team, manage=manage)
    return team


def meeting_for_user(user, pk: int, *, manage: bool = False) -> Meeting:
    """The meeting, with the same 404/403 rule as `team_for_member`."""
    try:
        meeting = (
            Meeting.objects.filter(team__in=teams_visible_to(user))
            .select_related("team", "term", "updated_by")
            .get(pk=pk)
        )
    except Meeting.DoesNotExist:
        raise Http404 from None
    meeting.user_is_coordinator = _check_access(user, meeting.team, manage=manage)
    return meeting


def agenda_item_for_user(user, meeting_pk: int, pk: int) -> AgendaItem:
    """An agenda item the coordinator may change."""
    meeting = meeting_for_user(user, meeting_pk, manage=True)
    try:
        item = AgendaItem.objects.select_related("case__child").get(pk=pk, meeting=meeting)
    except AgendaItem.DoesNotExist:
        raise Http404 from None
    item.meeting = meeting
    return item


def team_meetings(team: Team, first: datetime.date, last: datetime.date) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(team=team, date__range=(first, last))
        .annotate(case_count=Count("items"))
        .order_by("date", "starts_at")
    )


def meetings_of_member(user, day: datetime.date | None = None) -> QuerySet[Meeting]:
    """Meetings of every team the user currently sits in (the calendar feed)."""
    day = day or timezone.localdate()
    teams = KeyPerson.objects.active_on(day).filter(user=user.pk).values("team")
    return Meeting.objects.filter(team__in=teams).select_related("team").order_by("date")


def team_members(team: Team, day: datetime.date | None = None) -> list:
    """The team's current key persons as users (one each), ordered by name."""
    day = day or timezone.localdate()
    seats = (
        KeyPerson.objects.active_on(day)
        .filter(team=team, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("user__full_name")
    )
    users = {}
    for seat in seats:
        seat.user.seat = seat
        users.setdefault(seat.user_id, seat.user)
    return list(users.values())


def _valid_consent(day: datetime.date, case_ref: str = "pk"):
    return Exists(Consent.objects.in_force(day).filter(case=OuterRef(case_ref)))


def waiting_cases(team: Team, day: datetime.date | None = None) -> QuerySet[Case]:
    """Actualised cases of the team, with consent in force, on no open meeting."""
    day = day or timezone.localdate()
    return (
        Case.objects.filter(team=team, status=Status.ACTUALISED)
        .filter(_valid_consent(day))
        .exclude(Exists(AgendaItem.objects.filter(case=OuterRef("pk"), is_open=True)))
        .select_related("child")
        .order_by("actualised_at", "pk")
    )


def _agenda_items(meeting_id: int, day: datetime.date) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(meeting=meeting_id)
        .select_related("case__child", "contact_person")
        .annotate(consent_in_force=_valid_consent(day, "case_id"))
        .order_by("position")
    )


# The agenda's queries, compiled once per process (hlt.prepared).
_prepared_agenda_items = Prepared(_agenda_items, (int, datetime.date))
_prepared_agenda_items_with_guardians = Prepared(
    lambda meeting_id, day: _agenda_items(meeting_id, day).prefetch_related("case__guardians"),
    (int, datetime.date),
)
_prepared_waiting_cases = Prepared(
    lambda team_id, day: waiting_cases(team_id, day), (int, datetime.date)
)


def waiting_list(team: Team, day: datetime.date | None = None) -> list[Case]:
    """`waiting_cases` as a list (its SQL compiled once per process)."""
    return _prepared_waiting_cases(team.pk, day or timezone.localdate())


def agenda_items(
    meeting: Meeting, day: datetime.date | None = None, *, with_minutes: bool = False
) -> list[AgendaItem]:
    day = day or timezone.localdate()
    if with_minutes:
        return _prepared_agenda_items_with_guardians(meeting.pk, day)
    return _prepared_agenda_items(meeting.pk, day)


def _masked_notes(item: AgendaItem) -> str:
    """Minutes never name a protected child or guardian, as agendas never do."""
    child, protected = item.case.child_details, item.case.identity_is_protected
    names = {child.given_name, child.family_name} if protected else set()
    for guardian in item.case.guardians.all():
        if protected or guardian.protected_identity:
            names |= {guardian.given_name, guardian.family_name}
    names = sorted((n for n in names if n), key=len, reverse=True)
    if not names or not item.notes:
        return item.notes
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)
    return pattern.sub(MASK, item.notes)


@dataclass
class Label:
    text: str
    shows_name: bool  # the child's name is on the page: the read is logged
    shares_case: bool  # the user may see the case itself (its minutes, notes)


def child_labels(cases: list[Case], user, day: datetime.date | None = None) -> dict[int, Label]:
    """How each child is named for this user on an agenda or in minutes, in one query.

    The name is shown only to those who may see the case; others see a pseudonym (initials,
    age, school year). A child with protected identity is never named on an agenda, not even
    by initials, since they come from the protected name.
    """
    day = day or timezone.localdate()
    visible = visible_among(user, {c.pk for c in cases}, day)
    labels = {}
    for case in cases:
        shares = case.pk in visible
        if case.identity_is_protected:
            text = _("Protected identity (case %(number)s)") % {"number": case.pk}
            labels[case.pk] = Label(text, False, shares)
        elif shares:
            labels[case.pk] = Label(case.child_details.full_name, True, True)
        else:
            labels[case.pk] = Label(case.child_details.pseudonym(day), False, False)
    return labels


@dataclass
class AgendaRow:
    item: AgendaItem
    label: Label
    starts_at: datetime.time
    ends_at: datetime.time
    is_first: bool
    is_last: bool
    notes: str = ""


@dataclass
class Agenda:
    meeting: Meeting
    rows: list[AgendaRow]
    total_minutes: int
    overbooked_by: int
    labels: dict[int, Label] = field(default_factory=dict)  # also of the `also` cases

    @property
    def shown_cases(self) -> list[Case]:
        return [row.item.case for row in self.rows if row.label.shows_name]

    @property
    def shared_cases(self) -> list[Case]:
        return [row.item.case for row in self.rows if row.label.shares_case]


def agenda_for(
    meeting: Meeting,
    user,
    day: datetime.date | None = None,
    *,
    with_minutes: bool = False,
    also: list[Case] = (),
) -> Agenda:
    """The meeting's agenda as this user may see it, with each case's time slot; with the
    minutes' notes (masked as needed) for the cases the user may see. `also`: more cases
    (the waiting list) to label in the same query (`Agenda.labels`)."""
    items = agenda_items(meeting, day, with_minutes=with_minutes)
    labels = child_labels([i.case for i in items] + list(also), user, day)
    start = datetime.datetime.combine(meeting.date, meeting.starts_at)
    rows, total = [], 0
    for index, item in enumerate(items):
        label = labels[item.case_id]
        if not item.consent_in_force:
            label = Label(
                _("Case %(number)s (consent no longer in force)") % {"number": item.case_id},
                False,
                False,
            )
        begins = start + datetime.timedelta(minutes=total)
        total += item.minutes
        ends = start + datetime.timedelta(minutes=total)
        notes = _masked_notes(item) if with_minutes and label.shares_case else ""
        rows.append(
            AgendaRow(
                item, label, begins.time(), ends.time(), index == 0, index == len(items) - 1, notes
            )
        )
    return Agenda(meeting, rows, total, max(0, total - meeting.duration_minutes), labels)


def month_meetings(team: Team, year: int, month: int) -> QuerySet[Meeting]:
    first = datetime.date(year, month, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return team_meetings(team, first, last)
