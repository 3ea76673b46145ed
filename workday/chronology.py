"""One readable case chronology: what happened to the case, in time order and plain words.

Consent, actualisation, HLT meetings and their decisions, feedback to the family, SIP
meetings, plan versions and follow-ups, read in a fixed number of queries (one per kind) and
told in the reader's language; times are shown in local time by the template. Free text is
passed through the case page's redactor, so a protected family's names stay masked. The
field-by-field change history stays available, folded below it (cases:history).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatusChange
from cases.workflow import ClosingReason, Status
from consent.models import Consent
from consent.selectors import consents_of
from hlt.prepared import prepared
from meetings.models import AgendaItem, Meeting
from sip.models import (
    FollowUp,
    Goal,
    GoalEvaluation,
    Intervention,
    Plan,
    PlanSignature,
    SipMeeting,
)
from teams.models import Sector


@dataclass
class Event:
    when: datetime.date | datetime.datetime
    title: str
    text: str
    who: str = ""
    quote: str = ""  # free text (minutes' notes, the family's words), already masked
    upcoming: bool = False
    link: str = ""

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime.datetime)

    def _local(self):
        when = self.when
        return timezone.localtime(when) if timezone.is_aware(when) else when

    @property
    def when_iso(self) -> str:
        """For <time datetime>: as the template's date:'Y-m-d\\TH:i:sO' wrote it."""
        if self.has_time:
            return self._local().strftime("%Y-%m-%dT%H:%M:%S%z")
        return f"{self.when:%Y-%m-%d}"

    @property
    def when_text(self) -> str:
        if self.has_time:
            return self._local().strftime("%Y-%m-%d %H:%M")
        return f"{self.when:%Y-%m-%d}"

    @property
    def sort_key(self) -> tuple:
        if isinstance(self.when, datetime.datetime):
            local = timezone.localtime(self.when)
            return (local.date(), local.time())
        # A day without a time (a feedback call, a signature) comes after that day's
        # timed events: it is recorded after them.
        return (self.when, datetime.time.max)


def _at(day: datetime.date, time: datetime.time | None) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time or datetime.time(12, 0)))


def _sectors(consent: Consent) -> str:
    labels = dict(Sector.choices)
    return get_text_list([str(labels[s]).lower() for s in consent.sectors], _("and"))


# --- the queries: one per kind of event, each compiled once per process (hlt.prepared) ----


@prepared(int)
def _status_changes(case_id):
    return CaseStatusChange.objects.filter(case=case_id).select_related("changed_by")


@prepared(int)
def _agenda_items(case_id):
    return (
        AgendaItem.objects.filter(case=case_id)
        .select_related(
            "meeting__team", "contact_person", "family_feedback__recorded_by", "minutes_recorded_by"
        )
        .order_by("meeting__date", "pk")
    )


@prepared(int)
def _sip_meetings(case_id):
    return (
        SipMeeting.objects.filter(case=case_id)
        .select_related("created_by")
        .prefetch_related("professionals")
        .order_by("date", "starts_at")
    )


@prepared(int)
def _plans(case_id):
    return (
        Plan.objects.filter(case=case_id)
        .select_related("created_by", "finalised_by", "overall_person", "overall_organisation")
        .annotate(
            # Each a subquery, not three joins under one GROUP BY: with the four users and
            # organisations joined too, PostgreSQL spent 3–10 ms planning a 0.5 ms query.
            goal_count=_per_plan(Goal, Count("pk"), 0),
            intervention_count=_per_plan(Intervention, Count("pk"), 0),
            signed_on=_per_plan(PlanSignature, Max("signed_on")),
        )
        .order_by("version")
    )


def _per_plan(model, aggregate, default=None):
    """`aggregate` over the plan's rows of `model`, as a subquery."""
    rows = model.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
    value = Subquery(rows.annotate(value=aggregate).values("value")[:1])
    return value if default is None else Coalesce(value, default)


@prepared(int)
def _follow_ups(case_id):
    result = GoalEvaluation.Result
    return (
        FollowUp.objects.filter(plan__case=case_id)
        .select_related("plan", "recorded_by")
        .annotate(
            reached=Count("goals", filter=Q(goals__result=result.REACHED)),
            partly=Count("goals", filter=Q(goals__result=result.PARTLY)),
            not_reached=Count("goals", filter=Q(goals__result=result.NOT_REACHED)),
        )
        .order_by("held_on", "pk")
    )


def _status_events(case: Case) -> list[Event]:
    events = []
    for change in _status_changes(case.pk):
        text = ""
        title = str(Status(change.to_status).label)
        if change.to_status == Status.AWAITING_CONSENT:
            title = _("Consent form printed")
            text = _("The consent form was printed for the guardians to sign.")
        elif change.to_status == Status.ACTUALISED and change.from_status == Status.IN_MEETING:
            title = _("Back on the waiting list")
            text = _("The case waits for a later HLT meeting.")
        elif change.to_status == Status.ACTUALISED:
            title = _("Actualised")
            text = _("Actualised to %(team)s. Concern: %(areas)s.") % {
                "team": case.team or change.note,
                "areas": ", ".join(case.concern_areas) or "–",
            }
            reasons = case.get_concern_reasons_display()
            if reasons:
                text += " " + "; ".join(reasons) + "."
        elif change.to_status == Status.SIP_PLANNED and change.from_status == Status.PLAN_ACTIVE:
            title = _("Plan revised")
            text = _("A new version of the plan is being written.")
        elif change.to_status == Status.CLOSED:
            title = _("Closed")
            reason = ClosingReason(case.closing_reason).label if case.closing_reason else "–"
            text = _("The case was closed: %(reason)s.") % {"reason": reason}
        else:
            # In the HLT meeting, SIP planned, plan in force: told by the meeting, the SIP
            # meeting and the plan below, with more to say.
            continue
        events.append(Event(change.changed_at, title, text, str(change.changed_by)))
    return events


def _consent_events(case: Case, today: datetime.date, redact) -> list[Event]:
    events = []
    consents = sorted(consents_of(case), key=lambda c: c.signed_on)
    for consent in consents:
        text = _(
            "The guardians%(child)s signed the consent on %(signed)s: %(sectors)s may share "
            "information until %(until)s."
        ) % {
            "child": _(" and the child") if consent.child_signed else "",
            "signed": f"{consent.signed_on:%Y-%m-%d}",
            "sectors": _sectors(consent),
            "until": f"{consent.valid_until:%Y-%m-%d}",
        }
        events.append(
            Event(consent.registered_at, _("Consent registered"), text, str(consent.registered_by))
        )
        if consent.withdrawn_on:
            text = _("The consent was withdrawn. Sharing stopped that day.")
            if consent.withdrawal_told_by:
                text = _("%(who)s withdrew the consent. Sharing stopped that day.") % {
                    "who": redact(consent.withdrawal_told_by)
                }
            events.append(Event(consent.withdrawn_on, _("Consent withdrawn"), text))
    if consents:
        last = max(consents, key=lambda c: c.valid_until)
        if not last.withdrawn_on and last.valid_until < today:
            events.append(
                Event(
                    last.valid_until + datetime.timedelta(days=1),
                    _("Consent ran out"),
                    _("The consent ran out. Nothing may be shared until the family signs anew."),
                )
            )
    return events


def _meeting_events(case: Case, today: datetime.date, redact) -> list[Event]:
    events = []
    items = _agenda_items(case.pk)
    sector_labels = dict(Sector.choices)
    for item in items:
        meeting = item.meeting
        when = _at(meeting.date, meeting.starts_at)
        link = reverse("meetings:detail", args=[meeting.pk])
        if not item.has_minutes:
            if meeting.state == Meeting.State.PLANNED:
                events.append(
                    Event(
                        when,
                        _("On the agenda"),
                        _("On the agenda of the HLT meeting of %(team)s, %(place)s.")
                        % {"team": meeting.team, "place": meeting.place},
                        upcoming=meeting.date >= today,
                        link=link,
                    )
                )
            continue
        parts = [_("Discussed at the HLT meeting of %(team)s.") % {"team": meeting.team}]
        if item.meeting_sectors:
            agencies = get_text_list(
                [str(sector_labels.get(s, s)).lower() for s in item.meeting_sectors], _("and")
            )
            parts.append(capfirst(_("%(agencies)s will meet the family.") % {"agencies": agencies}))
        if item.contact_person:
            if item.contact_by:
                parts.append(
                    _("%(person)s contacts the family by %(day)s.")
                    % {"person": item.contact_person, "day": f"{item.contact_by:%Y-%m-%d}"}
                )
            else:
                parts.append(_("%(person)s contacts the family.") % {"person": item.contact_person})
        if item.planning_meeting_on:
            parts.append(
                _("Planning meeting %(day)s.") % {"day": f"{item.planning_meeting_on:%Y-%m-%d}"}
            )
        if item.sip_meeting_on:
            parts.append(
                _("SIP meeting planned for %(day)s.") % {"day": f"{item.sip_meeting_on:%Y-%m-%d}"}
            )
        if item.next_status:
            decision = str(Status(item.next_status).label)
            if item.closing_reason:
                decision += f" ({ClosingReason(item.closing_reason).label})"
            parts.append(_("Decided: %(decision)s.") % {"decision": decision})
        events.append(
            Event(
                when,
                _("HLT meeting"),
                " ".join(str(p) for p in parts),
                str(item.minutes_recorded_by or ""),
                quote=redact(item.notes),
                link=link,
            )
        )
        feedback = getattr(item, "family_feedback", None)
        if feedback is not None:
            events.append(
                Event(
                    feedback.contacted_on,
                    _("Feedback to the family"),
                    _("The family heard what the HLT meeting decided (%(how)s).")
                    % {"how": feedback.get_method_display().lower()},
                    str(feedback.recorded_by),
                    quote=redact(feedback.note),
                )
            )
    return events


def _sip_meeting_events(case: Case, today: datetime.date) -> list[Event]:
    events = []
    meetings = _sip_meetings(case.pk)
    for meeting in meetings:
        invited = []
        if meeting.invite_child:
            invited.append(_("the child"))
        if meeting.invite_guardians:
            invited.append(_("the guardians"))
        if meeting.interpreter_language:
            invited.append(
                _("an interpreter (%(language)s)")
                % {"language": meeting.get_interpreter_language_display()}
            )
        invited += [str(p) for p in meeting.professionals.all()]
        text = _("SIP meeting at %(place)s with %(invited)s.") % {
            "place": meeting.place,
            "invited": get_text_list([str(i) for i in invited], _("and")) or "–",
        }
        events.append(
            Event(
                _at(meeting.date, meeting.starts_at),
                _("SIP meeting"),
                text,
                str(meeting.created_by),
                upcoming=meeting.date >= today,
                link=reverse("sip:case", args=[case.pk]),
            )
        )
    return events


def _plan_events(case: Case) -> list[Event]:
    events = []
    plans = _plans(case.pk)
    for plan in plans:
        link = reverse("sip:plan", args=[plan.pk])
        started = _("Version %(version)s of the plan was started.") % {"version": plan.version}
        events.append(
            Event(plan.created_at, _("Plan started"), started, str(plan.created_by), link=link)
        )
        if plan.finalised_at:
            text = _(
                "Version %(version)s of the plan was finalised: %(goals)s goal(s), "
                "%(interventions)s intervention(s). Overall responsibility: %(person)s "
                "(%(organisation)s)."
            ) % {
                "version": plan.version,
                "goals": plan.goal_count,
                "interventions": plan.intervention_count,
                "person": plan.overall_person or "–",
                "organisation": plan.overall_organisation or "–",
            }
            if plan.follow_up_on:
                text += " " + _("Follow-up planned for %(day)s.") % {
                    "day": f"{plan.follow_up_on:%Y-%m-%d}"
                }
            events.append(
                Event(
                    plan.finalised_at, _("Plan finalised"), text, str(plan.finalised_by), link=link
                )
            )
        if plan.signed_on:
            events.append(
                Event(
                    plan.signed_on,
                    _("Plan signed"),
                    _("The family signed version %(version)s of the plan.")
                    % {"version": plan.version},
                    link=link,
                )
            )
    return events


def _follow_up_events(case: Case, redact) -> list[Event]:
    events = []
    follow_ups = _follow_ups(case.pk)
    for follow_up in follow_ups:
        text = _(
            "Follow-up of version %(version)s of the plan with the family. Goals: %(reached)s "
            "reached, %(partly)s partly, %(not_reached)s not reached. Decided: %(decision)s."
        ) % {
            "version": follow_up.plan.version,
            "reached": follow_up.reached,
            "partly": follow_up.partly,
            "not_reached": follow_up.not_reached,
            "decision": follow_up.get_decision_display(),
        }
        if follow_up.next_follow_up_on:
            text += " " + _("Next follow-up %(day)s.") % {
                "day": f"{follow_up.next_follow_up_on:%Y-%m-%d}"
            }
        events.append(
            Event(
                follow_up.held_on,
                _("Follow-up"),
                text,
                str(follow_up.recorded_by),
                quote=redact(follow_up.family_comment),
                link=reverse("sip:plan", args=[follow_up.plan_id]),
            )
        )
    return events


def case_chronology(
    case: Case, *, redact: Callable[[str], str] = lambda text: text, today=None
) -> list[Event]:
    """Everything that happened to the case, oldest first, in a fixed number of queries."""
    today = today or timezone.localdate()
    started = Event(
        case.created_at,
        _("Case started"),
        _("%(person)s started the case after talking with the family.")
        % {"person": case.initiated_by},
    )
    events = [started]
    events += _consent_events(case, today, redact)
    events += _status_events(case)
    events += _meeting_events(case, today, redact)
    events += _sip_meeting_events(case, today)
    events += _plan_events(case)
    events += _follow_up_events(case, redact)
    return sorted(events, key=lambda e: e.sort_key)


def chronology_section(request, case: Case, *, redact) -> dict:
    """The case page's chronology (registered with cases.sections)."""
    return {"chronology": case_chronology(case, redact=redact)}
