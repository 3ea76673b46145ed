"""What the term statistics count, as groups of additive counts.

A *group* is one kind of thing counted (new cases, interventions, follow-up answers to one
question …) with a total and zero or more *partitions*: sets of columns that split the total
exactly (every counted thing falls in exactly one column of each partition). Age, sex and
initiating sector are three partitions of the same group, "new": their rows add up to the
overview's "children actualised", and the disclosure step knows it (reports.disclosure).

The same definitions give the page's tables, the exports, the frozen term report and the
relations the attacker test assumes a reader knows.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from cases.models import ConcernReason, Sex
from cases.workflow import ClosingReason
from sip.models import GoalEvaluation, Intervention
from sip.questionnaire import QUESTIONS, SCALE
from teams.models import Sector

TOTAL = "total"
NOT_RECORDED = "not_recorded"

AGE_BANDS = [
    ("0-5", "0–5", 0, 5),
    ("6-9", "6–9", 6, 9),
    ("10-12", "10–12", 10, 12),
    ("13-15", "13–15", 13, 15),
    ("16+", "16+", 16, 200),
]
AREAS = [("health", _("Health")), ("learning", _("Learning")), ("safety", _("Safety"))]
FEEDBACK_COLUMNS = [
    ("within_week", _("Within one week")),
    ("later", _("Later, or not yet")),
]


@dataclass(frozen=True)
class Partition:
    """One table of the page: a group's total split into columns."""

    key: str
    title: object  # lazy text
    columns: tuple[tuple[str, object], ...]  # (code, lazy label)
    total_label: object = _("Total")


@dataclass(frozen=True)
class Group:
    key: str
    partitions: tuple[Partition, ...] = field(default_factory=tuple)

    def columns(self) -> list[str]:
        return [TOTAL] + [code for p in self.partitions for code, _label in p.columns]


def _choices(choices) -> tuple:
    return tuple((value, label) for value, label in choices)


NEW = Group(
    "new",
    (
        Partition(
            "age",
            _("Age"),
            (
                *((code, label) for code, label, _lo, _hi in AGE_BANDS),
                (NOT_RECORDED, _("Not recorded")),
            ),
        ),
        Partition("sex", _("Sex"), _choices(Sex.choices)),
        Partition("sector", _("Initiating sector"), _choices(Sector.choices)),
    ),
)
MENTIONS_LABEL = _("Marked in all (a child can have several)")
AREA = Group(
    "area",
    (Partition("area", _("Concern area"), tuple(AREAS), MENTIONS_LABEL),),
)
REASON = Group(
    "reason",
    (Partition("reason", _("Concern reason"), _choices(ConcernReason.choices), MENTIONS_LABEL),),
)
DISCUSSED = Group(
    "discussed",
    (
        Partition(
            "feedback",
            _("Feedback to the family after the HLT meeting"),
            tuple(FEEDBACK_COLUMNS),
        ),
    ),
)
INTERVENTIONS = Group(
    "interventions",
    (
        Partition(
            "intervention_kind", _("Interventions by kind"), _choices(Intervention.Kind.choices)
        ),
        Partition(
            "intervention_sector",
            _("Interventions by responsible sector"),
            _choices(Sector.choices),
        ),
    ),
)
GOALS = Group(
    "goals",
    (Partition("goals", _("Goals at follow-up"), _choices(GoalEvaluation.Result.choices)),),
)
CLOSED = Group(
    "closed",
    (
        Partition(
            "closed",
            _("Cases closed, by reason"),
            (*_choices(ClosingReason.choices), (NOT_RECORDED, _("Not recorded"))),
        ),
    ),
)
SCORE_COLUMNS = tuple((f"s{score}", str(score)) for score in SCALE)
ANSWER_GROUPS = [
    Group(f"answers:{code}", (Partition(f"answers:{code}", text, SCORE_COLUMNS, _("Answers")),))
    for code, text in QUESTIONS
]
LEAD_TIMES = [
    ("consent_to_meeting", _("Consent → first HLT meeting")),
    ("meeting_to_feedback", _("HLT meeting → feedback to the family")),
    ("meeting_to_sip", _("HLT meeting → SIP meeting")),
]
LEAD_GROUPS = [Group(f"lead:{key}") for key, _title in LEAD_TIMES]

# The overview: one column per group total, in the order shown.
OVERVIEW = [
    ("new", _("Children actualised (new)")),
    ("active", _("Active cases")),
    ("meetings_held", _("HLT meetings held")),
    ("discussed", _("Cases discussed")),
    ("sip_meetings", _("SIP meetings held")),
    ("follow_ups", _("Follow-up SIP meetings held")),
    ("closed", _("Cases closed")),
]

GROUPS: dict[str, Group] = {
    g.key: g
    for g in [
        NEW,
        Group("active"),
        Group("meetings_held"),
        DISCUSSED,
        Group("sip_meetings"),
        Group("follow_ups"),
        CLOSED,
        AREA,
        REASON,
        INTERVENTIONS,
        GOALS,
        *ANSWER_GROUPS,
        *LEAD_GROUPS,
    ]
}

# The distribution tables in the order the page, the exports and the term report show them.
DISTRIBUTIONS: list[tuple[Group, Partition]] = [
    (g, p)
    for g in [NEW, AREA, REASON, DISCUSSED, INTERVENTIONS, GOALS, CLOSED]
    for p in g.partitions
]
