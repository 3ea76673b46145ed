"""The SIP part of the term statistics: what happened after the HLT meeting.

Every figure is one aggregate query grouped by team, whatever the number of cases. The
figures read only structured fields (dates, kinds, results, scores), which retention keeps,
so purging old cases' free text never changes a term's statistics.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import AgendaItem, Meeting
from sip.models import FamilyFeedback, FollowUp, GoalEvaluation, Intervention, Plan, SipMeeting
from sip.questionnaire import QUESTIONS, SCALE
from teams.models import Sector

from .figures import Distribution

FEEDBACK_DEADLINE = datetime.timedelta(days=7)
FEEDBACK_COLUMNS = [
    ("within_week", _("Within one week")),
    ("later", _("Later, or not yet")),
]


@dataclass
class QuestionAnswers:
    """How many families gave each score on the scale to one question."""

    code: str
    text: str
    counts: list[int]  # one per score in SCALE

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float | None:
        if not self.total:
            return None
        return sum(s * c for s, c in zip(SCALE, self.counts, strict=True)) / self.total


@dataclass
class SipFigures:
    distributions: list[Distribution]
    days: dict[str, dict[int, list[int]]]  # lead time → team → days
    answers: list[QuestionAnswers]
    answers_by_team: dict[int, dict[str, list[int]]]


def _distribution(key, title, columns, rows, team_field, team_ids) -> Distribution:
    """A Distribution from `rows` of one grouped query whose annotations are named by the
    column codes."""
    dist = Distribution(key=key, title=str(title), columns=[(c, str(lbl)) for c, lbl in columns])
    by_team = {row[team_field]: row for row in rows}
    for team_id in team_ids:
        row = by_team.get(team_id, {})
        dist.by_team[team_id] = [row.get(code, 0) for code, _label in columns]
    return dist


def held_sip_meetings(*, team_ids: list[int] | None = None):
    """A SIP meeting has no state of its own: one dated up to today has been held."""
    held = SipMeeting.objects.filter(date__lte=timezone.localdate())
    return held if team_ids is None else held.filter(case__team_id__in=team_ids)


def team_counts(*, team_ids: list[int], start: datetime.date, end: datetime.date) -> dict:
    """SIP meetings and follow-ups held per team: querysets for figures.counts_per_team."""
    return {
        "sip_meetings": (
            held_sip_meetings(team_ids=team_ids).filter(date__gte=start, date__lte=end),
            "case__team_id",
        ),
        "follow_ups": (
            FollowUp.objects.filter(
                plan__case__team_id__in=team_ids, held_on__gte=start, held_on__lte=end
            ),
            "plan__case__team_id",
        ),
    }


def sip_figures(*, team_ids: list[int], start: datetime.date, end: datetime.date) -> SipFigures:
    """Feedback to the families and its lead time, interventions, goals
    reached and the families' answers, for the period."""
    follow_ups = FollowUp.objects.filter(
        plan__case__team_id__in=team_ids, held_on__gte=start, held_on__lte=end
    )

    # Feedback: every case discussed at a held HLT meeting of the period should have heard
    # back within a week of that meeting.
    discussed = AgendaItem.objects.filter(
        meeting__team_id__in=team_ids,
        meeting__state=Meeting.State.HELD,
        meeting__date__gte=start,
        meeting__date__lte=end,
        minutes_recorded_at__isnull=False,
    )
    in_time = Q(family_feedback__contacted_on__lte=F("meeting__date") + FEEDBACK_DEADLINE)
    feedback_rows = (
        discussed.values("meeting__team_id")
        .annotate(within_week=Count("pk", filter=in_time), later=Count("pk", filter=~in_time))
        .order_by()
    )
    feedback = _distribution(
        "feedback",
        _("Feedback to the family after the HLT meeting"),
        FEEDBACK_COLUMNS,
        feedback_rows,
        "meeting__team_id",
        team_ids,
    )
    feedback_days: dict[int, list[int]] = {}
    for team_id, contacted_on, meeting_on in FamilyFeedback.objects.filter(
        agenda_item__in=discussed
    ).values_list("agenda_item__meeting__team_id", "contacted_on", "agenda_item__meeting__date"):
        feedback_days.setdefault(team_id, []).append((contacted_on - meeting_on).days)

    # Interventions of each case's current plan (a finalised version no later version has
    # replaced) that run during the period; a revision does not count them twice.
    interventions = Intervention.objects.filter(
        plan__case__team_id__in=team_ids,
        plan__state=Plan.State.FINAL,
        starts_on__lte=end,
        ends_on__gte=start,
    ).exclude(plan__next_version__state=Plan.State.FINAL)
    kinds = list(Intervention.Kind.choices)
    sectors = list(Sector.choices)
    intervention_rows = list(
        interventions.values("plan__case__team_id")
        .annotate(
            **{f"kind:{v}": Count("pk", filter=Q(kind=v)) for v, _l in kinds},
            **{f"sector:{v}": Count("pk", filter=Q(organisation__sector=v)) for v, _l in sectors},
        )
        .order_by()
    )
    by_kind = _distribution(
        "intervention_kind",
        _("Interventions by kind"),
        [(f"kind:{v}", label) for v, label in kinds],
        intervention_rows,
        "plan__case__team_id",
        team_ids,
    )
    by_sector = _distribution(
        "intervention_sector",
        _("Interventions by responsible sector"),
        [(f"sector:{v}", label) for v, label in sectors],
        intervention_rows,
        "plan__case__team_id",
        team_ids,
    )
    # Strip the prefixes the shared query needed: the codes are the choice values.
    for dist in (by_kind, by_sector):
        dist.columns = [(code.split(":", 1)[1], label) for code, label in dist.columns]

    results = list(GoalEvaluation.Result.choices)
    goals = _distribution(
        "goals",
        _("Goals at follow-up"),
        results,
        GoalEvaluation.objects.filter(follow_up__in=follow_ups)
        .values("follow_up__plan__case__team_id")
        .annotate(**{v: Count("pk", filter=Q(result=v)) for v, _l in results})
        .order_by(),
        "follow_up__plan__case__team_id",
        team_ids,
    )

    # The families' answers: how many gave each score to each question, per team, in one
    # query.
    answer_rows = (
        follow_ups.values("plan__case__team_id")
        .annotate(
            **{
                f"{code}:{score}": Count("pk", filter=Q(**{f"family_answers__{code}": score}))
                for code, _text in QUESTIONS
                for score in SCALE
            }
        )
        .order_by()
    )
    answers_by_team = {
        row["plan__case__team_id"]: {
            code: [row[f"{code}:{score}"] for score in SCALE] for code, _text in QUESTIONS
        }
        for row in answer_rows
    }
    answers = [
        QuestionAnswers(
            code,
            str(text),
            [sum(team[code][i] for team in answers_by_team.values()) for i in range(len(SCALE))],
        )
        for code, text in QUESTIONS
    ]

    return SipFigures(
        distributions=[feedback, by_kind, by_sector, goals],
        days={"meeting_to_feedback": feedback_days},
        answers=answers,
        answers_by_team=answers_by_team,
    )
