"""Statistics as suppressed tables: the same tables feed the page, the charts, CSV and Excel."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .statistics import TermStatistics
from .suppression import SuppressedTable, suppress_table

OVERVIEW_COLUMNS = [
    ("new", "Children actualised (new)"),
    ("active", "Active cases"),
    ("meetings_held", "HLT meetings held"),
    ("cases_discussed", "Cases discussed"),
    ("closed", "Cases closed"),
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
    columns = [_(label) for _key, label in OVERVIEW_COLUMNS]
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
