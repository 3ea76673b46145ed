"""Term statistics, computed by the database: one aggregate query per kind of figure,
grouped by team, whatever the number of cases.

Figures come only from fields that survive retention (team, dates, status, closing reason,
concern areas and reasons, initiating organisation, age at actualisation, sex), so purging old
cases never changes a term's statistics.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from cases.models import Case, ConcernReason, Sex
from cases.workflow import ClosingReason
from consent.models import Consent
from meetings.models import AgendaItem, Meeting
from sip.models import SipMeeting
from teams.models import Sector, Team, Term

from . import sip_statistics
from .figures import Distribution, LeadTime, counts_per_team, percentiles
from .measures import AGE_BANDS, AREAS, NOT_RECORDED, TOTAL


@dataclass
class TermStatistics:
    """The raw (unprotected) figures of a term, per team. Never shown as they are: every
    published figure passes reports.disclosure first."""

    term: Term
    teams: list[Team]
    overview: dict[int, dict[str, int]]
    distributions: list[Distribution]
    lead_times: dict[str, LeadTime]  # over all the teams together
    answers: list[sip_statistics.QuestionAnswers]  # over all the teams together
    days: dict[str, dict[int, list[int]]]  # lead time → team → days, one per case
    answers_by_team: dict[int, dict[str, list[int]]]  # team → question → counts per score


# The overview's counts from the meeting and SIP tables, in the order they are shown.
COUNTED_PER_TEAM = ("meetings_held", "cases_discussed", "sip_meetings", "follow_ups")


def _bounds(
    term: Term,
) -> tuple[datetime.date, datetime.date, datetime.datetime, datetime.datetime]:
    """The term's first and last day, and the same as timestamps [from, to): comparing a
    timestamp column with plain bounds uses its index, where `__date` converts every row."""
    start, end = term.half_year
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end, since, until


def _distribution_specs(since, until):
    new = Q(actualised_at__gte=since, actualised_at__lt=until)
    closed = Q(closed_at__gte=since, closed_at__lt=until)
    known_age = Q()
    for _c, _l, lo, hi in AGE_BANDS:
        known_age |= Q(age_at_actualisation__gte=lo, age_at_actualisation__lte=hi)
    known_reason = Q(closing_reason__in=[v for v, _l in ClosingReason.choices])
    return [
        (
            "age",
            [code for code, _label, _lo, _hi in AGE_BANDS] + [NOT_RECORDED],
            [
                new & Q(age_at_actualisation__gte=lo, age_at_actualisation__lte=hi)
                for _c, _l, lo, hi in AGE_BANDS
            ]
            + [new & ~known_age],
        ),
        ("sex", [v for v, _l in Sex.choices], [new & Q(child__sex=v) for v, _l in Sex.choices]),
        (
            "sector",
            [v for v, _l in Sector.choices],
            [new & Q(initiating_organisation__sector=v) for v, _l in Sector.choices],
        ),
        ("area", [c for c, _l in AREAS], [new & Q(**{f"concern_{c}": True}) for c, _l in AREAS]),
        (
            "reason",
            [v for v, _l in ConcernReason.choices],
            [new & Q(concern_reasons__icontains=f'"{v}"') for v, _l in ConcernReason.choices],
        ),
        (
            "closed",
            [v for v, _l in ClosingReason.choices] + [NOT_RECORDED],
            [closed & Q(closing_reason=v) for v, _l in ClosingReason.choices]
            + [closed & ~known_reason],
        ),
    ]


def term_statistics(*, teams, term: Term) -> TermStatistics:
    start, end, since, until = _bounds(term)
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
    specs = _distribution_specs(since, until)

    # One query: every case-based count, per team.
    open_in_period = Q(actualised_at__lt=until) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=since)
    )
    annotations = {
        "new": Count("pk", filter=Q(actualised_at__gte=since, actualised_at__lt=until)),
        "active": Count("pk", filter=open_in_period),
        "closed": Count("pk", filter=Q(closed_at__gte=since, closed_at__lt=until)),
    }
    for key, codes, conditions in specs:
        for code, condition in zip(codes, conditions, strict=True):
            annotations[f"{key}:{code}"] = Count("pk", filter=condition)
    # Every counted case was open at some time in the period: read only those.
    rows = {
        r["team_id"]: r
        for r in cases.filter(open_in_period).values("team_id").annotate(**annotations).order_by()
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
    for key, codes, _conditions in specs:
        dist = Distribution(key=key, title=key, columns=[(c, c) for c in codes])
        for team_id in team_ids:
            row = rows.get(team_id, {})
            dist.by_team[team_id] = [row.get(f"{key}:{code}", 0) for code in codes]
        distributions.append(dist)

    days = _case_lead_days(cases, start, end, since, until)
    sip = sip_statistics.sip_figures(team_ids=team_ids, start=start, end=end)
    distributions[-1:-1] = sip.distributions  # before "cases closed, by reason"
    days.update(sip.days)  # HLT meeting → feedback
    lead_times = {
        key: percentiles([d for per_team in by_team.values() for d in per_team])
        for key, by_team in days.items()
    }
    return TermStatistics(
        term, teams, overview, distributions, lead_times, sip.answers, days, sip.answers_by_team
    )


def _case_lead_days(cases, start, end, since, until) -> dict[str, dict[int, list[int]]]:
    """Consent → first HLT meeting (for the period's new cases) and first HLT meeting → first
    SIP meeting (for the cases first discussed in the period), in days per case and team.

    Only the period's new or discussed cases are read, and each date is an indexed subquery
    per case, selected once (the differences are taken here, so no subquery runs twice):
    joining consents and agenda items and grouping would multiply the rows of every case in
    the region."""
    new = Q(actualised_at__gte=since, actualised_at__lt=until)
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
        .values_list("team_id", "actualised_at", "consent_on", "first_meeting", "first_sip")
        .order_by()
    )
    to_meeting: dict[int, list[int]] = {}
    to_sip: dict[int, list[int]] = {}
    for team_id, actualised_at, consent_on, first_meeting, first_sip in rows:
        is_new = actualised_at is not None and since <= actualised_at < until
        if is_new and first_meeting and consent_on:
            to_meeting.setdefault(team_id, []).append((first_meeting - consent_on).days)
        if first_meeting and start <= first_meeting <= end and first_sip:
            to_sip.setdefault(team_id, []).append((first_sip - first_meeting).days)
    return {"consent_to_meeting": to_meeting, "meeting_to_sip": to_sip}


def team_figures(stats: TermStatistics) -> dict[int, dict]:
    """The raw figures of each team as stored in TeamTermFigures: {"counts": {group: {column:
    n}}, "days": {lead time: [days]}}. Every group's total is stored with its columns, so
    the disclosure step sees the relations between them."""
    by_key = {d.key: d for d in stats.distributions}
    result = {}
    for team in stats.teams:
        t = team.pk
        o = stats.overview[t]

        def cols(key, t=t):
            dist = by_key[key]
            values = dict(zip([c for c, _l in dist.columns], dist.by_team[t], strict=True))
            return values, sum(values.values())

        counts: dict[str, dict[str, int]] = {}
        new = {TOTAL: o["new"]}
        for key in ("age", "sex", "sector"):
            new.update(cols(key)[0])
        counts["new"] = new
        for key in ("active", "meetings_held", "sip_meetings", "follow_ups"):
            counts[key] = {TOTAL: o[key]}
        within, _later = by_key["feedback"].by_team[t]
        counts["discussed"] = {
            TOTAL: o["cases_discussed"],
            "within_week": within,
            "later": o["cases_discussed"] - within,
        }
        closed, _n = cols("closed")
        counts["closed"] = {TOTAL: o["closed"], **closed}
        for key in ("area", "reason", "goals"):
            values, total = cols(key)
            counts[key] = {TOTAL: total, **values}
        kinds, n_interventions = cols("intervention_kind")
        counts["interventions"] = {
            TOTAL: n_interventions,
            **kinds,
            **cols("intervention_sector")[0],
        }
        for code, scores in stats.answers_by_team.get(t, {}).items():
            counts[f"answers:{code}"] = {
                TOTAL: sum(scores),
                **{f"s{i + 1}": n for i, n in enumerate(scores)},
            }
        days = {key: sorted(by_team.get(t, [])) for key, by_team in stats.days.items()}
        for key, values in days.items():
            counts[f"lead:{key}"] = {TOTAL: len(values)}
        result[t] = {"counts": counts, "days": days}
    return result


def terms_back(term: Term, count: int) -> list[Term]:
    """The `count` terms up to and including `term`, oldest first."""
    return Term.objects.back_from(term, count, ensure=True)  # figures are stored per term row


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
