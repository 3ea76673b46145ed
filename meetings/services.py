"""Writes to meetings, agendas and minutes. Each function is the only road to its change.

Agenda and meeting changes carry the `version` the user's page was built from; the row is
locked (select_for_update) and a different version raises `EditConflict`, so two people
never silently overwrite each other.
"""

import datetime
import smtplib
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Case
from cases.services import case_transition
from cases.workflow import ClosingReason, Status
from consent.models import Consent
from teams.models import Sector, Team, Term

from . import selectors
from .models import AgendaItem, Attendance, CalendarFeed, Meeting, new_feed_token
from .schedule import holiday_name, months_outside, rule_dates

MIN_SLOT, MAX_SLOT = 5, 240
# What the minutes may decide: the case has been discussed (IN_MEETING) and then …
NEXT_STATUSES = (Status.IN_MEETING, Status.SIP_PLANNED, Status.ACTUALISED, Status.CLOSED)


class EditConflict(Exception):
    """Someone saved a newer version while the user was editing. `current` is their version."""

    def __init__(self, message: str, *, current):
        super().__init__(message)
        self.message = message
        self.current = current


def _ensure_coordinator(user, team: Team) -> None:
    if not selectors.is_coordinator(user, team):
        raise PermissionDenied(_("Only the team's coordinator can do this."))


def _conflict_message(who, when) -> str:
    return _(
        "%(person)s saved a change at %(time)s while you were working. Your change was not "
        "saved. The page now shows the current version: check it and make your change again "
        "if it is still needed."
    ) % {
        "person": who or _("Someone else"),
        "time": timezone.localtime(when).strftime("%H:%M") if when else "–",
    }


def _lock(meeting: Meeting, version: int | None) -> Meeting:
    """The meeting row, locked for this transaction; EditConflict if it changed meanwhile."""
    current = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("team", "updated_by")
        .get(pk=meeting.pk)
    )
    if version is not None and current.version != version:
        raise EditConflict(
            _conflict_message(current.updated_by, current.updated_at), current=current
        )
    return current


def _save(meeting: Meeting, by, fields: list[str]) -> Meeting:
    meeting.version += 1
    meeting.updated_by = by
    meeting.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
    return meeting


def _ensure_open(meeting: Meeting) -> None:
    if not meeting.is_open:
        raise ValidationError(
            _("The meeting is %(state)s: its agenda can no longer change.")
            % {"state": meeting.get_state_display().lower()}
        )


# --- the schedule ----------------------------------------------------------------------------


@dataclass
class Generated:
    created: list[Meeting] = field(default_factory=list)
    already: int = 0
    skipped: list[tuple[datetime.date, str]] = field(default_factory=list)
    # Months with no meeting because the rule's day is outside the days generated for:
    # [(the rule's day, "before_term" | "past" | "after_term")].
    outside: list[tuple[datetime.date, str]] = field(default_factory=list)


def _before_why(day: datetime.date, term: Term) -> str:
    return "before_term" if day < term.starts_on else "past"


@transaction.atomic
def meetings_generate(
    *, team: Team, term: Term, by, from_day: datetime.date | None = None
) -> Generated:
    """Create the term's meetings from the team's rule, skipping public holidays and the
    breaks (days outside the term's teaching dates). Running it again creates nothing twice,
    and a meeting that was moved or cancelled stays as the coordinator left it."""
    _ensure_coordinator(by, team)
    # One generation per team at a time: the team row is the lock.
    team = Team.objects.select_for_update().get(pk=team.pk)
    first = max(term.starts_on, from_day) if from_day else term.starts_on
    days, skipped = rule_dates(
        week_of_month=team.meeting_week_of_month,
        weekday=team.meeting_weekday,
        first=first,
        last=term.ends_on,
    )
    existing = set(
        Meeting.objects.filter(team=team, rule_date__in=days).values_list("rule_date", flat=True)
    )
    # A day that already has a meeting (one added by hand, or moved there) gets no second.
    existing |= set(
        Meeting.objects.filter(team=team, date__in=days)
        .exclude(state=Meeting.State.CANCELLED)
        .values_list("date", flat=True)
    )
    new = [
        Meeting(
            team=team,
            term=term,
            date=day,
            rule_date=day,
            starts_at=team.meeting_starts_at,
            ends_at=team.meeting_ends_at,
            place=team.meeting_place,
            updated_by=by,
        )
        for day in days
        if day not in existing
    ]
    Meeting.objects.bulk_create(new)
    outside = [
        (
            day,
            "after_term" if side == "after" else "before_term" if day < term.starts_on else "past",
        )
        for day, side in months_outside(
            week_of_month=team.meeting_week_of_month,
            weekday=team.meeting_weekday,
            first=first,
            last=term.ends_on,
        )
    ]
    return Generated(created=new, already=len(existing), skipped=skipped, outside=outside)


def _check_slot(
    *,
    team: Team,
    day: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    exclude_pk: int | None = None,
) -> Term:
    """The rules for one meeting's date and time; returns the term it falls in."""
    errors: dict[str, list[str]] = {}
    term = Term.objects.ensure_for_day(day)  # the meeting is saved with its term
    if day < timezone.localdate():
        errors.setdefault("date", []).append(_("A meeting cannot be placed in the past."))
    elif day.weekday() >= 5:
        errors.setdefault("date", []).append(_("HLT meetings are held on weekdays."))
    elif name := holiday_name(day, translation.get_language()):
        errors.setdefault("date", []).append(
            _("%(day)s is a public holiday (%(name)s).") % {"day": day, "name": name}
        )
    elif not term.contains(day):
        errors.setdefault("date", []).append(
            _(
                "The day is outside the term's teaching days (%(first)s – %(last)s): "
                "there are no meetings in the breaks."
            )
            % {"first": term.starts_on, "last": term.ends_on}
        )
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("The meeting must end after it starts."))
    clash = Meeting.objects.filter(team=team, date=day).exclude(state=Meeting.State.CANCELLED)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if "date" not in errors and clash.exists():
        errors.setdefault("date", []).append(_("The team already has a meeting on this day."))
    if errors:
        raise ValidationError(errors)
    return term


@transaction.atomic
def meeting_add(
    *,
    team: Team,
    by,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    place: str,
) -> Meeting:
    """An extra meeting outside the rule. Two tabs adding the same day make one meeting: the
    team row serialises adds, moves and generation, and the unique index
    `meeting_one_per_team_day` holds whatever the route."""
    _ensure_coordinator(by, team)
    Team.objects.select_for_update().filter(pk=team.pk).first()
    term = _check_slot(team=team, day=date, starts_at=starts_at, ends_at=ends_at)
    with _one_meeting_a_day():
        return Meeting.objects.create(
            team=team,
            term=term,
            date=date,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            updated_by=by,
        )


@contextmanager
def _one_meeting_a_day():
    """Turn a violation of the one-meeting-a-day index into the form's message."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if "meeting_one_per_team_day" not in str(exc):
            raise
        raise ValidationError(
            {"date": [_("The team already has a meeting on this day.")]}
        ) from None


@transaction.atomic
def meeting_move(
    *,
    meeting: Meeting,
    by,
    version: int,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    place: str,
) -> Meeting:
    _ensure_coordinator(by, meeting.team)
    Team.objects.select_for_update().filter(pk=meeting.team_id).first()
    meeting = _lock(meeting, version)
    _ensure_open(meeting)
    meeting.term = _check_slot(
        team=meeting.team, day=date, starts_at=starts_at, ends_at=ends_at, exclude_pk=meeting.pk
    )
    meeting.date, meeting.starts_at, meeting.ends_at, meeting.place = (
        date,
        starts_at,
        ends_at,
        place,
    )
    with _one_meeting_a_day():
        return _save(meeting, by, ["term", "date", "starts_at", "ends_at", "place"])


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by, version: int, note: str = "") -> Meeting:
    """Cancel a meeting: its cases go back to the waiting list."""
    _ensure_coordinator(by, meeting.team)
    meeting = _lock(meeting, version)
    _ensure_open(meeting)
    if meeting.items.filter(minutes_recorded_at__isnull=False).exists():
        raise ValidationError(_("Minutes have been recorded for this meeting: it was held."))
    meeting.items.all().delete()
    was_published = meeting.published_at is not None
    meeting.state = Meeting.State.CANCELLED
    meeting.cancel_note = note
    meeting = _save(meeting, by, ["state", "cancel_note"])
    if was_published:
        # Those told the agenda was ready are told the meeting is off; if the mail server
        # fails, the meeting stays on rather than people turning up to a cancelled one.
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("HLT meeting %(date)s is cancelled") % {"date": meeting.date}
            body = render_to_string(
                "meetings/email/meeting_cancelled.txt",
                {
                    "meeting": meeting,
                    "team": meeting.team,
                    "day": date_format(meeting.date, "l j F Y"),
                    "coordinator": by,
                },
            )
        _mail_team_members(
            meeting.team,
            subject,
            body,
            failure=_(
                "The e-mail could not be sent, so the meeting was not cancelled. Try again later."
            ),
        )
    return meeting


def _mail_team_members(team, subject: str, body: str, *, failure: str) -> int:
    """One e-mail to each current key person of the team; a ValidationError with `failure`
    (which rolls the caller's transaction back) if the mail server fails."""
    members = [m for m in selectors.team_members(team) if m.email]
    messages = [EmailMessage(subject, body, to=[member.email]) for member in members]
    try:
        mailers.default.send_messages(messages)
    except (OSError, smtplib.SMTPException):
        raise ValidationError(failure) from None
    return len(messages)


@transaction.atomic
def meeting_set_slot(*, meeting: Meeting, by, version: int, slot_minutes: int) -> Meeting:
    """The default time per case for this meeting (cases already on it keep theirs)."""
    _ensure_coordinator(by, meeting.team)
    meeting = _lock(meeting, version)
    _ensure_open(meeting)
    if not MIN_SLOT <= slot_minutes <= MAX_SLOT:
        raise ValidationError(
            {
                "slot_minutes": _("Give between %(min)d and %(max)d minutes.")
                % {"min": MIN_SLOT, "max": MAX_SLOT}
            }
        )
    meeting.slot_minutes = slot_minutes
    return _save(meeting, by, ["slot_minutes"])


@transaction.atomic
def meeting_close(*, meeting: Meeting, by, version: int) -> Meeting:
    """Mark the meeting as held. Cases not discussed go back to the waiting list."""
    _ensure_coordinator(by, meeting.team)
    meeting = _lock(meeting, version)
    _ensure_open(meeting)
    if meeting.date > timezone.localdate():
        raise ValidationError(_("A meeting can be marked as held from its day on."))
    meeting.items.filter(is_open=True).update(is_open=False)
    meeting.state = Meeting.State.HELD
    return _save(meeting, by, ["state"])


# --- the agenda ------------------------------------------------------------------------------


@transaction.atomic
def agenda_add(
    *, meeting: Meeting, case: Case, by, version: int, minutes: int | None = None
) -> AgendaItem:
    """Put a waiting case on the meeting with a time slot. A case is on one open meeting at
    most: checked here, and guaranteed by a unique index on open items."""
    _ensure_coordinator(by, meeting.team)
    meeting = _lock(meeting, version)
    _ensure_open(meeting)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.team_id != meeting.team_id or case.status != Status.ACTUALISED:
        raise ValidationError(_("The case is not waiting for a meeting of this team."))
    if not Consent.objects.in_force(timezone.localdate()).filter(case=case).exists():
        raise ValidationError(_("The case has no consent in force: it cannot be discussed."))
    other = AgendaItem.objects.filter(case=case, is_open=True).select_related("meeting").first()
    if other is not None:
        raise ValidationError(
            _("The case is already on the meeting of %(date)s. Take it off there first.")
            % {"date": other.meeting.date}
        )
    minutes = minutes or meeting.slot_minutes
    if not MIN_SLOT <= minutes <= MAX_SLOT:
        raise ValidationError(
            {
                "minutes": _("Give between %(min)d and %(max)d minutes.")
                % {"min": MIN_SLOT, "max": MAX_SLOT}
            }
        )
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    try:
        with transaction.atomic():
            item = AgendaItem.objects.create(
                meeting=meeting, case=case, position=last + 1, minutes=minutes, added_by=by
            )
    except IntegrityError:  # a concurrent request put the case on another meeting
        raise ValidationError(_("The case is already on an open meeting.")) from None
    _save(meeting, by, [])
    return item


@transaction.atomic
def agenda_remove(*, item: AgendaItem, by, version: int) -> Meeting:
    """Take a case off the agenda: it goes back to the waiting list."""
    _ensure_coordinator(by, item.meeting.team)
    meeting = _lock(item.meeting, version)
    _ensure_open(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    if item.has_minutes:
        raise ValidationError(_("Minutes are recorded for this case: it stays on the agenda."))
    position = item.position
    item.delete()
    meeting.items.filter(position__gt=position).update(position=F("position") - 1)
    return _save(meeting, by, [])


@transaction.atomic
def agenda_move(*, item: AgendaItem, direction: str, by, version: int) -> Meeting:
    """Swap a case with the one before ("up") or after ("down") it."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Unknown direction."))
    _ensure_coordinator(by, item.meeting.team)
    meeting = _lock(item.meeting, version)
    _ensure_open(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    others = meeting.items.exclude(pk=item.pk)
    neighbour = (
        others.filter(position__lt=item.position).order_by("-position").first()
        if direction == "up"
        else others.filter(position__gt=item.position).order_by("position").first()
    )
    if neighbour is None:
        return meeting  # already first or last: nothing changes
    item.position, neighbour.position = neighbour.position, item.position
    AgendaItem.objects.bulk_update([item, neighbour], ["position"])
    return _save(meeting, by, [])


@transaction.atomic
def agenda_publish(*, meeting: Meeting, by, version: int, meeting_url: str) -> int:
    """Send every current key person of the team the meeting and the number of cases.

    The e-mail never names a child: who comes up is seen on the agenda page, behind the
    login and the consent. Returns how many e-mails were sent. If the mail server fails,
    nothing is recorded and the coordinator is told.
    """
    _ensure_coordinator(by, meeting.team)
    meeting = _lock(meeting, version)
    _ensure_open(meeting)
    count = meeting.items.count()
    if not count:
        raise ValidationError(_("Put at least one case on the agenda before publishing it."))
    meeting.published_at = timezone.now()
    meeting.published_version = meeting.version + 1  # the version _save is about to write
    _save(meeting, by, ["published_at", "published_version"])
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "meeting": meeting,
            "team": meeting.team,
            "day": date_format(meeting.date, "l j F Y"),
            "count": count,
            "url": meeting_url,
            "coordinator": by,
        }
        subject = _("HLT meeting %(date)s: the agenda is ready (%(count)d cases)") % {
            "date": meeting.date,
            "count": count,
        }
        body = render_to_string("meetings/email/agenda_published.txt", context)
    return _mail_team_members(
        meeting.team,
        subject,
        body,
        failure=_(
            "The e-mail could not be sent, so the agenda was not published. Try again later."
        ),
    )


# --- minutes ---------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, meeting: Meeting, by, version: int, present_user_ids: set[int]) -> Meeting:
    """Who of the team's key persons attended; everyone else is recorded as absent."""
    _ensure_coordinator(by, meeting.team)
    meeting = _lock(meeting, version)
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."))
    if meeting.date > timezone.localdate():
        raise ValidationError(_("Attendance is recorded from the meeting's day on."))
    members = selectors.team_members(meeting.team, meeting.date)
    member_ids = {m.pk for m in members}
    if unknown := set(present_user_ids) - member_ids:
        raise ValidationError(
            _("Only the team's key persons can be marked present (%(n)d unknown).")
            % {"n": len(unknown)}
        )
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, user_id=pk, present=pk in present_user_ids) for pk in member_ids
    )
    return _save(meeting, by, [])


def _minutes_errors(
    *,
    meeting: Meeting,
    first: bool,
    item: AgendaItem,
    meeting_sectors: list[str],
    contact_person,
    contact_by,
    planning_meeting_on,
    sip_meeting_on,
    next_status: str,
    closing_reason: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if first and next_status not in NEXT_STATUSES:
        add("next_status", _("Choose what happens next with the case."))
    if not first and next_status and next_status != item.next_status:
        add(
            "next_status",
            _("The case's status was moved when the minutes were first recorded."),
        )
    if next_status in (Status.IN_MEETING, Status.SIP_PLANNED):
        if contact_person is None:
            add("contact_person", _("Say who contacts the family."))
        if contact_by is None:
            add("contact_by", _("Say by when the family is contacted."))
    if next_status == Status.SIP_PLANNED and sip_meeting_on is None:
        add("sip_meeting_on", _("Give the date planned for the SIP meeting."))
    if next_status == Status.CLOSED and closing_reason not in ClosingReason.values:
        add("closing_reason", _("Give the reason for closing the case."))
    if set(meeting_sectors) - set(Sector.values):
        add("meeting_sectors", _("Unknown agency."))
    for name, day in (
        ("contact_by", contact_by),
        ("planning_meeting_on", planning_meeting_on),
        ("sip_meeting_on", sip_meeting_on),
    ):
        if day and day < meeting.date:
            add(name, _("The date cannot be before the meeting."))
    if planning_meeting_on and sip_meeting_on and sip_meeting_on < planning_meeting_on:
        add("sip_meeting_on", _("The SIP meeting comes after the planning meeting."))
    if contact_person is not None and not selectors.is_member(
        contact_person, meeting.team, meeting.date
    ):
        add("contact_person", _("Choose one of the team's key persons."))
    return errors


@transaction.atomic
def minutes_record(
    *,
    item: AgendaItem,
    by,
    version: int,
    notes: str,
    meeting_sectors: list[str],
    contact_person=None,
    contact_by: datetime.date | None = None,
    planning_meeting_on: datetime.date | None = None,
    sip_meeting_on: datetime.date | None = None,
    next_status: str = "",
    closing_reason: str = "",
) -> AgendaItem:
    """Record (or correct) the minutes for one case. The first time, the case moves on:
    from actualised to "in HLT meeting" (it was discussed), then to the decided status."""
    meeting = item.meeting
    _ensure_coordinator(by, meeting.team)
    current = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("minutes_recorded_by", "contact_person", "case__child")
        .get(pk=item.pk)
    )
    if current.version != version:
        raise EditConflict(
            _conflict_message(current.minutes_recorded_by, current.minutes_recorded_at),
            current=current,
        )
    item = current
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."))
    if meeting.date > timezone.localdate():
        raise ValidationError(_("Minutes are recorded from the meeting's day on."))
    first = not item.has_minutes
    errors = _minutes_errors(
        meeting=meeting,
        first=first,
        item=item,
        meeting_sectors=meeting_sectors,
        contact_person=contact_person,
        contact_by=contact_by,
        planning_meeting_on=planning_meeting_on,
        sip_meeting_on=sip_meeting_on,
        next_status=next_status,
        closing_reason=closing_reason,
    )
    if errors:
        raise ValidationError(errors)
    if first:
        case = Case.objects.select_for_update().get(pk=item.case_id)
        note = _("HLT meeting %(date)s") % {"date": meeting.date}
        if case.status == Status.ACTUALISED:
            case_transition(case=case, to_status=Status.IN_MEETING, by=by, note=note)
        elif case.status != Status.IN_MEETING:
            raise ValidationError(
                _("The case is now “%(status)s”: its status was changed elsewhere.")
                % {"status": Status(case.status).label}
            )
        if next_status != Status.IN_MEETING:
            reason = dict(ClosingReason.choices).get(closing_reason, "")
            case_transition(
                case=case,
                to_status=next_status,
                by=by,
                note=f"{note} {reason}".strip(),
                closing_reason=closing_reason if next_status == Status.CLOSED else "",
            )
        item.next_status = next_status
        item.closing_reason = closing_reason if next_status == Status.CLOSED else ""
    item.notes = notes
    item.meeting_sectors = sorted(set(meeting_sectors))
    item.contact_person = contact_person
    item.contact_by = contact_by
    item.planning_meeting_on = planning_meeting_on
    item.sip_meeting_on = sip_meeting_on
    item.minutes_recorded_at = timezone.now()
    item.minutes_recorded_by = by
    item.is_open = False
    item.version += 1
    item.save()
    return item


# --- calendar --------------------------------------------------------------------------------


def calendar_feed_for(*, user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user) -> CalendarFeed:
    """A new secret address; the old one answers 404 from now on."""
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token", "created_at"])
    return feed
