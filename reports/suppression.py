"""Small-number suppression: no figure in a table may let a reader identify a child.

Counts from 1 to 4 are shown as "<5" (primary suppression). A total must not let a hidden
cell be worked out by subtraction, so in every row and column whose total is shown, a single
hidden cell takes a second one with it: the smallest other non-zero cell is hidden too, shown
as "..", until no row or column has exactly one hidden cell (secondary suppression).
Zeros stay visible: they reveal nobody.
"""

from dataclasses import dataclass

SMALL = "<5"
HIDDEN = ".."


def is_small(value: int) -> bool:
    return 1 <= value <= 4


def show(value: int) -> int | str:
    """One figure on its own (no total beside it)."""
    return SMALL if is_small(value) else value


@dataclass
class SuppressedTable:
    rows: list[str]
    columns: list[str]
    cells: list[list[int | str]]
    row_totals: list[int | str]
    column_totals: list[int | str]
    grand_total: int | str


def suppress_table(rows: list[str], columns: list[str], values: list[list[int]]) -> SuppressedTable:
    """Suppress a table of counts with row totals, column totals and a grand total."""
    row_totals = [sum(r) for r in values]
    column_totals = [sum(values[i][j] for i in range(len(rows))) for j in range(len(columns))]
    grand = sum(row_totals)
    # hidden[i][j]: None = shown, SMALL or HIDDEN. The totals are an extra row and column,
    # so the same rule protects them: a row of totals is a row like any other.
    n, m = len(rows), len(columns)
    grid = [row + [row_totals[i]] for i, row in enumerate(values)] + [column_totals + [grand]]
    hidden = [[SMALL if is_small(v) else None for v in row] for row in grid]

    changed = True
    while changed:
        changed = False
        lines = [[(i, j) for j in range(m + 1)] for i in range(n + 1)]
        lines += [[(i, j) for i in range(n + 1)] for j in range(m + 1)]
        for line in lines:
            hidden_cells = [(i, j) for i, j in line if hidden[i][j]]
            if len(hidden_cells) != 1:
                continue
            candidates = [
                (grid[i][j], i, j) for i, j in line if not hidden[i][j] and grid[i][j] > 0
            ]
            if not candidates:
                continue
            _value, i, j = min(candidates)
            hidden[i][j] = HIDDEN
            changed = True

    def cell(i, j):
        return hidden[i][j] or grid[i][j]

    return SuppressedTable(
        rows=rows,
        columns=columns,
        cells=[[cell(i, j) for j in range(m)] for i in range(n)],
        row_totals=[cell(i, m) for i in range(n)],
        column_totals=[cell(n, j) for j in range(m)],
        grand_total=cell(n, m),
    )
