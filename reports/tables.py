"""Statistics as suppressed tables: the same tables feed the page, the charts, CSV and Excel."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sip.questionnaire import SCALE

from .statistics import TermStatistics
from .suppression import HIDDEN, SMALL, SuppressedTable, show, suppress_table

OVERVIEW_COLUMNS = [
    ("new", gettext_lazy("Children actualised (new)")),
    ("active", gettext_lazy("Active cases")),
    ("meetings_held", gettext_lazy("HLT meetings held")),
    ("cases_discussed", gettext_lazy("Cases discussed")),
    ("sip_meetings", gettext_lazy("SIP meetings held")),
    ("follow_ups", gettext_lazy("Follow-up SIP meetings held")),
    ("closed", gettext_lazy("Cases closed")),
]


@dataclass
class Table:
    key: str
    title: str
    table: SuppressedTable
    chart: list[tuple[str, int | str]]  # (label, total or suppression mark) for the bar chart

    @property
    def rows_with_totals(self):
        return zip(self.table.rows, self.table.cells, self.table.row_totals, strict=True)


def overview_table(stats: TermStatistics) -> Table:
    # Each measure is its own column over the teams; the total row is the selection's sum.
    rows = [team.name for team in stats.teams]
    columns = [str(label) for _key, label in OVERVIEW_COLUMNS]
    per_measure = [
        suppress_table(rows, [col], [[stats.overview[t.pk][key]] for t in stats.teams])
        for (key, _label), col in zip(OVERVIEW_COLUMNS, columns, strict=True)
    ]
    cells = [[m.cells[i][0] for m in per_measure] for i in range(len(rows))]
    totals = [m.grand_total for m in per_measure]
    table = SuppressedTable(rows, columns, cells, [""] * len(rows), totals, "")
    return Table("overview", _("Overview"), table, list(zip(columns, totals, strict=True)))


def distribution_tables(stats: TermStatistics) -> list[Table]:
    tables = []
    for dist in stats.distributions:
        rows = [team.name for team in stats.teams]
        columns = [label for _code, label in dist.columns]
        values = [dist.by_team[t.pk] for t in stats.teams]
        table = suppress_table(rows, columns, values)
        chart = list(zip(columns, table.column_totals, strict=True))
        tables.append(Table(dist.key, dist.title, table, chart))
    return tables


LEAD_TIMES = [
    ("consent_to_meeting", gettext_lazy("Consent → first HLT meeting")),
    ("meeting_to_feedback", gettext_lazy("HLT meeting → feedback to the family")),
    ("meeting_to_sip", gettext_lazy("HLT meeting → SIP meeting")),
]
MIN_CASES_FOR_LEAD_TIME = 5


@dataclass
class LeadTimeRow:
    title: str
    median: float | None  # None when too few cases to show
    p90: float | None
    cases: int | str


def lead_time_rows(stats: TermStatistics) -> list[LeadTimeRow]:
    """Median and 90th percentile in days; with fewer than five cases a percentile would be
    one child's own dates, so only the (suppressed) number of cases is shown."""
    rows = []
    for key, title in LEAD_TIMES:
        median, p90, n = stats.lead_times[key]
        if n < MIN_CASES_FOR_LEAD_TIME:
            median = p90 = None
        rows.append(LeadTimeRow(str(title), median, p90, show(n)))
    return rows


def feedback_share(all_tables: list[Table]) -> int | None:
    """Per cent of the discussed cases whose family heard back within a week, or None when
    either count is hidden (the share and the total would give it away)."""
    table = next(t.table for t in all_tables if t.key == "feedback")
    within, _later = table.column_totals
    total = table.grand_total
    if not all(isinstance(v, int) for v in table.column_totals) or not total:
        return None
    return round(100 * within / total)


@dataclass
class AnswersRow:
    question: str
    cells: list[int | str]
    total: int | str
    mean: float | str | None  # None: no answers; HIDDEN: the mean would reveal a small cell

    @property
    def mean_shown(self) -> str:
        if self.mean is None:
            return "–"
        return number_format(self.mean, 1) if isinstance(self.mean, float) else self.mean


def answers_rows(stats: TermStatistics) -> list[AnswersRow]:
    """The families' answers, one row per question. Each question is suppressed on its own
    (the same families answer every question, so a sum over questions means nothing). A mean
    is shown only when every count of its row is: with two hidden cells, the number of
    answers and the mean together would give both away."""
    rows = []
    for question in stats.answers:
        table = suppress_table([question.text], [str(s) for s in SCALE], [question.counts])
        cells = table.cells[0]
        if not question.total:
            mean = None
        elif any(v in (SMALL, HIDDEN) for v in [*cells, table.row_totals[0]]):
            mean = HIDDEN
        else:
            mean = round(question.mean, 1)
        rows.append(AnswersRow(question.text, cells, table.row_totals[0], mean))
    return rows


def answers_chart(rows: list[AnswersRow]) -> list[tuple[str, float | str]]:
    return [(row.question, row.mean if row.mean is not None else "–") for row in rows]
