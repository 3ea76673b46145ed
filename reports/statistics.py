"""Term statistics, computed by the database: one aggregate query per kind of figure,
grouped by team, whatever the number of cases.

Figures come only from fields that survive retention (team, dates, status, closing reason,
concern areas and reasons, initiating organisation, age at actualisation, sex), so purging old
cases never changes a term's statistics.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q
from django.utils.translation import gettext_lazy as _

from cases.models import Case, ConcernReason, Sex
from cases.workflow import ClosingReason
from meetings.models import AgendaItem, Meeting
from teams.models import Sector, Team, Term

from . import sip_statistics
from .figures import Distribution, LeadTime, as_days, percentiles

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
    teams = list(teams.select_related("municipality").order_by("municipality__name", "name"))
    team_ids = [t.pk for t in teams]
    start, end = _period(term)
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
    rows = {r["team_id"]: r for r in cases.values("team_id").annotate(**annotations)}

    held = Meeting.objects.filter(
        team_id__in=team_ids, state=Meeting.State.HELD, date__gte=start, date__lte=end
    )
    meetings = dict(held.values("team_id").annotate(n=Count("pk")).values_list("team_id", "n"))
    discussed = dict(
        AgendaItem.objects.filter(meeting__in=held, minutes_recorded_at__isnull=False)
        .values("meeting__team_id")
        .annotate(n=Count("pk"))
        .values_list("meeting__team_id", "n")
    )

    overview = {}
    for team_id in team_ids:
        row = rows.get(team_id, {})
        overview[team_id] = {
            "new": row.get("new", 0),
            "active": row.get("active", 0),
            "meetings_held": meetings.get(team_id, 0),
            "cases_discussed": discussed.get(team_id, 0),
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

    # Lead time consent → first HLT meeting where the case was discussed, for the term's new
    # cases: the database gives one pair of dates per case; the median is taken here.
    pairs = (
        cases.filter(actualised_at__date__gte=start, actualised_at__date__lte=end)
        .annotate(
            consent_on=Min("consents__signed_on"),
            first_meeting=Min(
                "agenda_items__meeting__date",
                filter=Q(agenda_items__minutes_recorded_at__isnull=False),
            ),
        )
        .filter(first_meeting__isnull=False, consent_on__isnull=False)
        .annotate(days=F("first_meeting") - F("consent_on"))
        .values_list("days", flat=True)
    )
    days = [as_days(d) for d in pairs]
    lead_times = {"consent_to_meeting": percentiles(days)}

    sip = sip_statistics.sip_figures(team_ids=team_ids, start=start, end=end)
    for team_id in team_ids:
        # Closed cases come last, as the end of the path.
        overview[team_id] = {
            **{k: v for k, v in overview[team_id].items() if k != "closed"},
            **sip.overview[team_id],
            "closed": overview[team_id]["closed"],
        }
    distributions[-1:-1] = sip.distributions  # before "cases closed, by reason"
    lead_times.update(sip.lead_times)
    return TermStatistics(term, teams, overview, distributions, lead_times, sip.answers)


def terms_back(term: Term, count: int) -> list[Term]:
    """The `count` terms up to and including `term`, oldest first."""
    result = [term]
    day = term.half_year[0]
    while len(result) < count:
        day = day - datetime.timedelta(days=1)
        result.append(Term.objects.for_day(day))
        day = result[-1].half_year[0]
    return list(reversed(result))


TRENDS = [
    ("new", _("New cases per term")),
    ("discussed", _("Cases discussed at HLT meetings per term")),
    ("sip_meetings", _("SIP meetings held per term")),
]


def trends(*, teams, terms: list[Term]) -> dict[str, list[tuple[Term, int]]]:
    """A few measures over several terms, for the selection as a whole: one query each."""
    team_ids = list(teams.values_list("pk", flat=True))

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
