"""Term statistics, computed by the database: one aggregate query per kind of figure,
grouped by team, whatever the number of cases.

Figures come only from fields that survive retention (team, dates, status, closing reason,
concern areas and reasons, initiating organisation, age at actualisation, sex), so purging old
cases never changes a term's statistics.
"""

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from cases.models import Case, ConcernReason, Sex
from cases.workflow import ClosingReason
from consent.models import Consent
from meetings.models import AgendaItem, Meeting
from sip.models import SipMeeting
from teams.models import Sector, Team, Term

from . import sip_statistics
from .figures import Distribution, LeadTime, as_days, counts_per_team, percentiles

AGE_BANDS = [
    ("0-5", "0–5", 0, 5),
    ("6-9", "6–9", 6, 9),
    ("10-12", "10–12", 10, 12),
    ("13-15", "13–15", 13, 15),
    ("16+", "16+", 16, 200),
]
AREAS = [("health", _("Health")), ("learning", _("Learning")), ("safety", _("Safety"))]


@dataclass
class TermStatistics:
    term: Term
    teams: list[Team]
    overview: dict[int, dict[str, int]]
    distributions: list[Distribution]
    lead_times: dict[str, LeadTime]
    answers: list[sip_statistics.QuestionAnswers]


# The overview's counts from the meeting and SIP tables, in the order they are shown.
COUNTED_PER_TEAM = ("meetings_held", "cases_discussed", "sip_meetings", "follow_ups")


def _period(term: Term) -> tuple[datetime.date, datetime.date]:
    return term.half_year


def _distribution_specs(start, end):
    new = Q(actualised_at__date__gte=start, actualised_at__date__lte=end)
    closed = Q(closed_at__date__gte=start, closed_at__date__lte=end)
    return [
        (
            "age",
            _("Age"),
            [(code, label) for code, label, _lo, _hi in AGE_BANDS],
            [
                new & Q(age_at_actualisation__gte=lo, age_at_actualisation__lte=hi)
                for _c, _l, lo, hi in AGE_BANDS
            ],
        ),
        ("sex", _("Sex"), list(Sex.choices), [new & Q(child__sex=v) for v, _l in Sex.choices]),
        (
            "sector",
            _("Initiating sector"),
            list(Sector.choices),
            [new & Q(initiating_organisation__sector=v) for v, _l in Sector.choices],
        ),
        (
            "area",
            _("Concern area"),
            AREAS,
            [new & Q(**{f"concern_{code}": True}) for code, _l in AREAS],
        ),
        (
            "reason",
            _("Concern reason"),
            list(ConcernReason.choices),
            [new & Q(concern_reasons__icontains=f'"{v}"') for v, _l in ConcernReason.choices],
        ),
        (
            "closed",
            _("Cases closed, by reason"),
            list(ClosingReason.choices),
            [closed & Q(closing_reason=v) for v, _l in ClosingReason.choices],
        ),
    ]


def term_statistics(*, teams, term: Term) -> TermStatistics:
    start, end = _period(term)
    teams = list(teams.select_related("municipality").order_by("municipality__name", "name"))
    team_ids = [t.pk for t in teams]
    held = Meeting.objects.filter(
        team_id__in=team_ids, state=Meeting.State.HELD, date__gte=start, date__lte=end
    )
    discussed = AgendaItem.objects.filter(
        meeting__in=held.values("pk"), minutes_recorded_at__isnull=False
    )
    # Meeting and SIP counts per team, one query.
    team_counts = counts_per_team(
        {
            "meetings_held": (held, "team_id"),
            "cases_discussed": (discussed, "meeting__team_id"),
            **sip_statistics.team_counts(team_ids=team_ids, start=start, end=end),
        }
    )
    cases = Case.objects.filter(team_id__in=team_ids)
    specs = _distribution_specs(start, end)

    # One query: every case-based count, per team.
    annotations = {
        "new": Count("pk", filter=Q(actualised_at__date__gte=start, actualised_at__date__lte=end)),
        "active": Count(
            "pk",
            filter=Q(actualised_at__date__lte=end)
            & (Q(closed_at__isnull=True) | Q(closed_at__date__gte=start)),
        ),
        "closed": Count("pk", filter=Q(closed_at__date__gte=start, closed_at__date__lte=end)),
    }
    for key, _title, columns, conditions in specs:
        for (code, _label), condition in zip(columns, conditions, strict=True):
            annotations[f"{key}:{code}"] = Count("pk", filter=condition)
    # Every counted case was open at some time in the period: read only those.
    in_period = Q(actualised_at__date__lte=end) & (
        Q(closed_at__isnull=True) | Q(closed_at__date__gte=start)
    )
    rows = {
        r["team_id"]: r for r in cases.filter(in_period).values("team_id").annotate(**annotations)
    }

    overview = {}
    for team in teams:
        row = rows.get(team.pk, {})
        overview[team.pk] = {
            "new": row.get("new", 0),
            "active": row.get("active", 0),
            **{key: team_counts[key].get(team.pk, 0) for key in COUNTED_PER_TEAM},
            "closed": row.get("closed", 0),
        }
    distributions = []
    for key, title, columns, _conditions in specs:
        dist = Distribution(
            key=key, title=str(title), columns=[(c, str(lbl)) for c, lbl in columns]
        )
        for team_id in team_ids:
            row = rows.get(team_id, {})
            dist.by_team[team_id] = [row.get(f"{key}:{code}", 0) for code, _lbl in columns]
        distributions.append(dist)

    lead_times = _case_lead_times(cases, start, end)
    sip = sip_statistics.sip_figures(team_ids=team_ids, start=start, end=end)
    distributions[-1:-1] = sip.distributions  # before "cases closed, by reason"
    lead_times.update(sip.lead_times)  # HLT meeting → feedback
    return TermStatistics(term, teams, overview, distributions, lead_times, sip.answers)


def _case_lead_times(cases, start, end) -> dict[str, LeadTime]:
    """Consent → first HLT meeting (for the period's new cases) and first HLT meeting → first
    SIP meeting (for the cases first discussed in the period), from one query that gives the
    dates per case; the percentiles are taken here.

    Only the period's new or discussed cases are read, and each date is an indexed subquery
    per case: joining consents and agenda items and grouping would multiply the rows of
    every case in the region."""
    new = Q(actualised_at__date__gte=start, actualised_at__date__lte=end)
    held_with_minutes = AgendaItem.objects.filter(
        minutes_recorded_at__isnull=False, meeting__state=Meeting.State.HELD
    )
    discussed_in_period = held_with_minutes.filter(
        meeting__date__gte=start, meeting__date__lte=end
    ).values("case_id")

    def first(queryset, field):
        return Subquery(queryset.filter(case=OuterRef("pk")).order_by(field).values(field)[:1])

    rows = (
        cases.filter(new | Q(pk__in=discussed_in_period))
        .annotate(
            consent_on=first(Consent.objects.all(), "signed_on"),
            first_meeting=first(held_with_minutes, "meeting__date"),
            first_sip=first(SipMeeting.objects.all(), "date"),
        )
        .annotate(
            is_new=ExpressionWrapper(new, output_field=BooleanField()),
            to_meeting=F("first_meeting") - F("consent_on"),
            to_sip=F("first_sip") - F("first_meeting"),
        )
        .values_list("is_new", "first_meeting", "to_meeting", "to_sip")
    )
    to_meeting, to_sip = [], []
    for is_new, first_meeting, days_to_meeting, days_to_sip in rows:
        if is_new and days_to_meeting is not None:
            to_meeting.append(as_days(days_to_meeting))
        if first_meeting and start <= first_meeting <= end and days_to_sip is not None:
            to_sip.append(as_days(days_to_sip))
    return {"consent_to_meeting": percentiles(to_meeting), "meeting_to_sip": percentiles(to_sip)}


def terms_back(term: Term, count: int) -> list[Term]:
    """The `count` terms up to and including `term`, oldest first."""
    return Term.objects.back_from(term, count)


TRENDS = [
    ("new", _("New cases per term")),
    ("discussed", _("Cases discussed at HLT meetings per term")),
    ("sip_meetings", _("SIP meetings held per term")),
]


def trends(*, team_ids: list[int], terms: list[Term]) -> dict[str, list[tuple[Term, int]]]:
    """A few measures over several terms, for the selection as a whole: one query each."""

    def per_term(queryset, day_field: str) -> list[tuple[Term, int]]:
        def within(term):
            first, last = term.half_year
            return Q(**{f"{day_field}__gte": first, f"{day_field}__lte": last})

        counts = queryset.aggregate(**{f"t{t.pk}": Count("pk", filter=within(t)) for t in terms})
        return [(t, counts[f"t{t.pk}"]) for t in terms]

    return {
        "new": per_term(Case.objects.filter(team_id__in=team_ids), "actualised_at__date"),
        "discussed": per_term(
            AgendaItem.objects.filter(
                meeting__team_id__in=team_ids,
                meeting__state=Meeting.State.HELD,
                minutes_recorded_at__isnull=False,
            ),
            "meeting__date",
        ),
        "sip_meetings": per_term(sip_statistics.held_sip_meetings(team_ids=team_ids), "date"),
    }
