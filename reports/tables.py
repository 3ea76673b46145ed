"""The protected figures as tables, in the one order the page, the charts, the CSV and Excel
exports and the frozen term report all use. Every figure comes from a disclosure.Published
cube: nothing here sees a raw count."""

import html
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sip.questionnaire import QUESTIONS, SCALE
from teams.models import Term

from .disclosure import HIDDEN_MARK, UNKNOWN_MARK, LeadTimeFigure, Published
from .measures import DISTRIBUTIONS, LEAD_TIMES, MENTIONS_LABEL, OVERVIEW, SCORE_COLUMNS, TOTAL


def escape(text) -> str:
    """Django's escape without its lazy-string wrapper (the same characters escaped: it is
    html.escape too); called for every cell."""
    return html.escape(str(text))


Value = int | str


@dataclass
class Selection:
    """What a reader chose: one node of the region's hierarchy (the region, a municipality,
    a team) or, for a local process leader, several municipalities."""

    published: Published
    nodes: list[int]
    term: Term

    @property
    def cube(self):
        return self.published.cube

    def teams(self) -> list[int]:
        found = []
        for n in self.nodes:
            found.extend(self.cube.leaves[n])
        return found

    def group_rows(self) -> list[int]:
        """Rows of the distribution tables: municipalities when the selection spans several,
        its teams when it is one municipality, the team itself for a team."""
        nodes = self.cube.nodes
        if len(self.nodes) > 1:
            return list(self.nodes)
        node = nodes[self.nodes[0]]
        if node.kind == "region":
            return list(node.children)
        if node.kind == "municipality":
            return list(node.children)
        return list(self.nodes)

    def value(self, group: str, column: str = TOTAL) -> Value:
        return self.published.value(self.nodes, group, column)


_MARK_CELLS = {mark: f"<td>{escape(mark)}</td>" for mark in (HIDDEN_MARK, UNKNOWN_MARK, "–")}


def _cell(value: Value) -> str:
    if isinstance(value, int):
        return f"<td>{value}</td>"
    return _MARK_CELLS.get(value) or f"<td>{escape(value)}</td>"


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Value]]]
    total: list[Value] | None  # None: the only row is the selection itself
    total_label: str = ""
    note: str = ""
    chart: list[tuple[str, Value]] = field(default_factory=list)
    row_label: str = ""

    def head_html(self) -> SafeString:
        cells = "".join(
            f'<th scope="col">{escape(c)}</th>' for c in [self.row_label, *self.columns]
        )
        return mark_safe(f"<tr>{cells}</tr>")  # noqa: S308 (escaped)

    def body_html(self) -> SafeString:
        """The rows as HTML at once: a region has hundreds of cells, and a template loop
        per cell is most of the page's time."""
        parts = []
        for name, cells in self.rows:
            parts.append(
                f'<tr><th scope="row">{escape(name)}</th>{"".join(map(_cell, cells))}</tr>'
            )
        return mark_safe("".join(parts))  # noqa: S308 (escaped above; cells are numbers or marks)

    def foot_html(self) -> SafeString:
        if self.total is None:
            return mark_safe("")
        cells = "".join(map(_cell, self.total))
        return mark_safe(  # noqa: S308 (escaped)
            f'<tr><th scope="row">{escape(self.total_label)}</th>{cells}</tr>'
        )


def overview_table(sel: Selection) -> Table:
    p = sel.published
    teams = sel.teams()
    rows = [(sel.cube.nodes[t].name, [p.value([t], key) for key, _l in OVERVIEW]) for t in teams]
    total = [sel.value(key) for key, _l in OVERVIEW]
    columns = [str(label) for _key, label in OVERVIEW]
    single = len(teams) == 1 and sel.nodes == teams
    return Table(
        "overview",
        _("Overview"),
        columns,
        rows,
        None if single else total,
        _("Total"),
        chart=list(zip(columns, total if not single else rows[0][1], strict=True)),
        row_label=_("Team"),
    )


def distribution_tables(sel: Selection) -> list[Table]:
    p = sel.published
    row_nodes = sel.group_rows()
    single = row_nodes == sel.nodes
    by_municipality = sel.cube.nodes[row_nodes[0]].kind == "municipality" if row_nodes else False
    row_label = _("Municipality") if by_municipality else _("Team")
    tables = []
    for group, part in DISTRIBUTIONS:
        codes = [code for code, _l in part.columns] + [TOTAL]
        columns = [str(label) for _c, label in part.columns] + [str(part.total_label)]
        rows = [
            (sel.cube.nodes[n].name, [p.value([n], group.key, c) for c in codes]) for n in row_nodes
        ]
        total = [sel.value(group.key, c) for c in codes]
        note = ""
        if part.total_label is MENTIONS_LABEL:
            note = _(
                "A child can be counted in several columns, so the total is not a number of "
                "children."
            )
        tables.append(
            Table(
                part.key,
                str(part.title),
                columns,
                rows,
                None if single else total,
                _("Total"),
                note,
                chart=list(zip(columns[:-1], total[:-1], strict=True)),
                row_label=row_label,
            )
        )
    return tables


@dataclass
class LeadTimeRow:
    key: str
    title: str
    median: float | None  # None when too few cases to show
    p90: float | None
    cases: Value


def lead_time_rows(sel: Selection) -> list[LeadTimeRow]:
    """Median and 90th percentile (nearest rank) in days, only over a shown count of at least
    the threshold."""
    rows = []
    for key, title in LEAD_TIMES:
        figure: LeadTimeFigure = sel.published.lead_time(sel.nodes, key)
        rows.append(LeadTimeRow(key, str(title), figure.median, figure.p90, figure.cases))
    return rows


def feedback_share(sel: Selection) -> int | None:
    """Per cent of the discussed cases whose family heard back within a week, when both
    counts are shown."""
    return sel.published.share(sel.nodes, "discussed", "within_week")


@dataclass
class AnswersRow:
    question: str
    cells: list[Value]
    total: Value
    mean: float | str | None  # None: no answers; HIDDEN_MARK: a count behind it is hidden

    @property
    def mean_shown(self) -> str:
        if self.mean is None:
            return "–"
        return number_format(self.mean, 1) if isinstance(self.mean, float) else self.mean


def answers_rows(sel: Selection) -> list[AnswersRow]:
    """The families' answers, one row per question. A mean is shown only when every count
    of its row and the number of answers are shown: it is then worked out from them."""
    rows = []
    for code, text in QUESTIONS:
        group = f"answers:{code}"
        cells = [sel.value(group, c) for c, _l in SCORE_COLUMNS]
        total = sel.value(group)
        if all(isinstance(v, int) for v in [*cells, total]):
            mean = (
                round(sum(s * n for s, n in zip(SCALE, cells, strict=True)) / total, 1)
                if total
                else None
            )
        else:
            mean = HIDDEN_MARK
        rows.append(AnswersRow(str(text), cells, total, mean))
    return rows


def answers_table(rows: list[AnswersRow]) -> Table:
    return Table(
        "answers",
        _("The families' answers at follow-up"),
        [*(str(s) for s in SCALE), _("Answers"), _("Mean")],
        [(row.question, [*row.cells, row.total, row.mean_shown]) for row in rows],
        None,
        row_label=_("Question"),
    )


def trend_table(key: str, title: str, points: list[tuple[str, Value]]) -> Table:
    return Table(
        key,
        title,
        [label for label, _v in points],
        [(_("Count"), [value for _label, value in points])],
        None,
        row_label=_("Term"),
    )


def answers_chart(rows: list[AnswersRow]) -> list[tuple[str, float | str]]:
    return [(row.question, row.mean if row.mean is not None else "–") for row in rows]


TRENDS = [
    ("new", gettext_lazy("New cases per term")),
    ("discussed", gettext_lazy("Cases discussed at HLT meetings per term")),
    ("sip_meetings", gettext_lazy("SIP meetings held per term")),
]


def trend_points(sel: Selection, earlier: list[tuple[Term, Published]]) -> dict[str, list]:
    """The selection's totals in earlier terms, from each term's own protected cube: the
    same figures as that term's page shows."""
    keys = [(sel.cube.nodes[n].kind, sel.cube.nodes[n].pk) for n in sel.nodes]
    points: dict[str, list] = {key: [] for key, _t in TRENDS}
    for term, published in earlier:
        nodes = [published.cube.index.get(k) for k in keys]
        for key, _title in TRENDS:
            if any(n is None for n in nodes):
                value: Value = published.small
            else:
                value = published.value(nodes, key)
            points[key].append((str(term), value))
    return points


def frozen(sel: Selection) -> list[dict]:
    """The figures a coordinator's term report keeps, in the page's order: a list (a JSON
    object's keys would come back in another order)."""
    sections = []
    overview = overview_table(sel)
    cells = overview.total if overview.total is not None else overview.rows[0][1]
    sections.append(
        {"key": "overview", "title": overview.title, "columns": overview.columns, "cells": cells}
    )
    columns = [_("Median"), _("90th percentile"), _("Cases")]
    for row in lead_time_rows(sel):
        hidden = row.median is None
        sections.append(
            {
                "key": f"lead:{row.key}",
                "title": _("Lead time: %(what)s (days)") % {"what": row.title},
                "columns": [str(c) for c in columns],
                "cells": ["–" if hidden else row.median, "–" if hidden else row.p90, row.cases],
            }
        )
    for table in distribution_tables(sel):
        cells = table.total if table.total is not None else table.rows[0][1]
        sections.append(
            {"key": table.key, "title": table.title, "columns": table.columns, "cells": cells}
        )
    for row in answers_rows(sel):
        sections.append(
            {
                "key": "answers",
                "title": row.question,
                "columns": [*(str(s) for s in SCALE), _("Answers"), _("Mean")],
                "cells": [*row.cells, row.total, row.mean_shown],
            }
        )
    return sections


# The order of the page's sections, for reports frozen before the figures were a list.
SECTION_ORDER = [
    "overview",
    *(f"lead:{k}" for k, _t in LEAD_TIMES),
    *(p.key for _g, p in DISTRIBUTIONS),
]
