"""Disclosure control: the one step between the computed figures and anything published.

Every page, chart, CSV/Excel export, cached figure and frozen term report takes its figures
from a `Published` cube made here, never from reports.statistics directly.

**Method: a threshold with linked-table secondary suppression over a fixed hierarchy**
(the approach of τ-ARGUS's hypercube method, with an explicit proof per cell).

- The hierarchy is fixed: region → municipality → team. One cube holds every figure of a
  term for every team, municipality and the region, for every table (reports.measures).
  Every view – the region, a municipality filter, a team filter, a coordinator's own team,
  a trend point, the frozen term report – shows cells of this one cube, so filters and
  repeated requests can't be played against each other: they show the same cells.
- Primary suppression: every count below the threshold (settings.STATISTICS_THRESHOLD,
  default 5), zero included, is hidden. Zeros are hidden too: a hidden figure beside
  visible zeros would mean "1 to 4", never nobody.
- Primary and secondary suppressions carry the same mark, "..": with two marks ("<5" and
  ".."), ".." would say "5 or more", and a ".." municipality whose teams are all "<5"
  would tell that each of them has at least one case.
- Secondary suppression: a count from 1 to 4 is safe only if the published figures allow it
  to be 0. For every such cell we look for a *move*: a change of the hidden cells that takes
  the cell to 0, keeps every shown figure, every sum over the hierarchy and every table's
  total as it is, and keeps each hidden cell at 0 or more. Moves are rectangles: the small
  cell and another column of the same table in the same team, against a sibling team (or
  municipality) – or, for a small total, the whole group moved to a sibling. The cheapest
  move is chosen; shown cells it needs are hidden as "..". A move is a feasible point of the
  reader's linear programme in which the cell is 0, so the count can't be told from 0, nor
  pinned to one value (it is at least 1 in truth). Hiding more never breaks an earlier move,
  so one pass protects every cell.
- Totals of a selection that isn't a node of the hierarchy (a local process leader's
  municipalities) are the true sums of the municipality figures, shown only when all of
  them are shown ("–" otherwise: no new figure is made).
- Lead times (median, 90th percentile), means and shares are shown only over groups whose
  count is shown and at least the threshold; the feedback lead time only where the feedback
  table's cells are shown (a percentile bounds how many heard back within a week).
"""

import dataclasses
import hashlib
from collections import defaultdict

from django.conf import settings

from .figures import percentiles
from .measures import GROUPS, TOTAL

SHOWN, SMALL, HIDDEN = 0, 1, 2  # SMALL: under the threshold; HIDDEN: to protect a SMALL
# One mark for both: a reader can't tell a small figure from one hidden to protect it, so a
# hidden figure says nothing but "0 or more" (Eurostat's flag "c" works the same way).
HIDDEN_MARK = ".."
UNKNOWN_MARK = "–"  # a sum over several nodes with a hidden part: not worked out at all


@dataclasses.dataclass
class Node:
    kind: str  # "region", "municipality" or "team"
    pk: int
    name: str
    parent: int | None  # index in Cube.nodes
    children: list[int] = dataclasses.field(default_factory=list)


# Each group's columns, and which partition (its list of columns) a column belongs to.
_COLUMNS = {key: group.columns() for key, group in GROUPS.items()}
_PARTITION_OF = {
    key: {code: [c for c, _l in p.columns] for p in group.partitions for code, _l in p.columns}
    for key, group in GROUPS.items()
}


# What a reader knows beyond the sums: in every team, no column of a dependent group exceeds
# its parent group's total (a child with a concern area or reason, a case with a consent lead
# time, is one of the new cases; a family that heard back is one of the cases discussed).
# A move that empties a parent group empties its dependents too, and no move may break one.
PARENT_OF = {
    "area": "new",
    "reason": "new",
    "lead:consent_to_meeting": "new",
    "lead:meeting_to_feedback": "discussed",
}
DEPENDENTS: dict[str, list[str]] = defaultdict(list)
for _dependent, _parent in PARENT_OF.items():
    DEPENDENTS[_parent].append(_dependent)


def linked(groups: list[str] | None) -> set[str] | None:
    """The groups with every group linked to them: protecting these gives the same cells as
    protecting the whole cube."""
    if groups is None:
        return None
    found = set(groups)
    for group in list(found):
        parent = PARENT_OF.get(group, group)
        found |= {parent, *DEPENDENTS.get(parent, [])}
    return found


class Cube:
    """The raw figures of every node: the teams' as computed, the others as sums."""

    def __init__(
        self, nodes: list[Node], team_figures: dict[int, dict], groups: list[str] | None = None
    ):
        groups = linked(groups)
        self.nodes = nodes
        self.index = {(n.kind, n.pk): i for i, n in enumerate(nodes)}
        self.ancestors: list[list[int]] = []
        for node in nodes:
            chain, parent = [], node.parent
            while parent is not None:
                chain.append(parent)
                parent = nodes[parent].parent
            self.ancestors.append(chain)
        self._depth = [len(chain) for chain in self.ancestors]
        self._by_depth: dict[int, list[int]] = defaultdict(list)
        for i, d in enumerate(self._depth):
            self._by_depth[d].append(i)
        self.leaves: list[list[int]] = [[] for _ in nodes]
        for i, node in enumerate(nodes):
            if node.kind == "team":
                for j in [i, *self.ancestors[i]]:
                    self.leaves[j].append(i)
        self.values: dict[tuple[int, str, str], int] = defaultdict(int)
        self.days: list[dict[str, list[int]]] = [defaultdict(list) for _ in nodes]
        for i, node in enumerate(nodes):
            if node.kind != "team":
                continue
            figures = team_figures.get(node.pk, {})
            counts = figures.get("counts", {})
            for group, columns in _COLUMNS.items():
                if groups is not None and group not in groups:
                    continue
                got = counts.get(group, {})
                for column in columns:
                    v = int(got.get(column, 0))
                    if v:
                        for j in [i, *self.ancestors[i]]:
                            self.values[(j, group, column)] += v
            for key, values in figures.get("days", {}).items() if groups is None else ():
                for j in [i, *self.ancestors[i]]:
                    self.days[j][key].extend(values)

    def depth(self, i: int) -> int:
        return self._depth[i]

    def siblings(self, i: int) -> list[int]:
        parent = self.nodes[i].parent
        return [] if parent is None else [j for j in self.nodes[parent].children if j != i]

    def cousins(self, i: int, limit: int) -> list[int]:
        """Nodes at the same depth under other parents, nearest first."""
        parent = self.nodes[i].parent
        found = []
        for j in self._by_depth[self._depth[i]]:
            if self.nodes[j].parent != parent:
                found.append(j)
                if len(found) == limit:
                    break
        return found


class _Protector:
    """Primary and secondary suppression of one cube (see the module's docstring)."""

    MAX_COUSINS = 24

    def __init__(self, cube: Cube, threshold: int, groups: list[str] | None = None):
        groups = linked(groups)
        self.cube = cube
        self.t = threshold
        self.status: dict[tuple[int, str, str], int] = {}
        self._dependents: dict[tuple[int, str], list] = {}
        # Groups are protected independently of each other (a move stays in its group), so
        # protecting some of them gives exactly the cells a whole cube would.
        for i in range(len(cube.nodes)):
            for group, columns in _COLUMNS.items():
                if groups is not None and group not in groups:
                    continue
                for column in columns:
                    v = cube.values.get((i, group, column), 0)
                    self.status[(i, group, column)] = SMALL if v < threshold else SHOWN

    def run(self) -> dict:
        cube = self.cube
        cells = [
            key for key, st in self.status.items() if st == SMALL and cube.values.get(key, 0) > 0
        ]
        # Teams first: their moves often protect the municipality's cells on the way.
        cells.sort(key=lambda key: (-cube.depth(key[0]), key[0], key[1], key[2]))
        for key in cells:
            self._protect(*key)
        return self.status

    def _aggregate(self, moves: dict) -> dict:
        """The teams' changes and what they change in every node above them."""
        ancestors = self.cube.ancestors
        changed: dict[tuple[int, str, str], int] = defaultdict(int)
        for (leaf, group, column), d in moves.items():
            if d:
                changed[(leaf, group, column)] += d
                for a in ancestors[leaf]:
                    changed[(a, group, column)] += d
        return changed

    def _evaluate(self, base: dict, extra: dict) -> tuple | None:
        """Cost of a move (cells it must newly hide, their sum), or None if it would take a
        cell below 0. `base` is already aggregated; `extra` are a partner's team changes."""
        values, status, ancestors = self.cube.values, self.status, self.cube.ancestors
        if extra:
            changed = dict(base)
            for (leaf, group, column), d in extra.items():
                for node in (leaf, *ancestors[leaf]):
                    key = (node, group, column)
                    changed[key] = changed.get(key, 0) + d
        else:
            changed = base
        to_hide = []
        hidden_value = 0
        touched = set()
        moved_dependents = []
        for key, d in changed.items():
            if d:
                v = values.get(key, 0)
                if v + d < 0:
                    return None
                if status[key] == SHOWN:
                    to_hide.append(key)
                    hidden_value += v
                node, group, column = key
                if group in PARENT_OF:
                    touched.add((node, PARENT_OF[group]))
                    if column != TOTAL or len(_COLUMNS[group]) == 1:
                        moved_dependents.append((key, v + d))
                elif group in DEPENDENTS:
                    touched.add((node, group))
        if not touched:
            return (len(to_hide), hidden_value), to_hide
        limits = {}
        for node, parent in touched:
            total = (node, parent, TOTAL)
            d_total = changed.get(total, 0)
            limit = values.get(total, 0) + d_total
            limits[(node, parent)] = limit
            if d_total < 0:
                # A dependent column the move leaves as it is may now exceed its parent's
                # total (figures that exceeded it already constrain no reader's answer).
                for key, v in self._dependent_values(node, parent):
                    if limit < v <= limit - d_total and not changed.get(key, 0):
                        return None
        for (node, group, _column), after in moved_dependents:
            # Only a break the move makes counts (figures that break the rule already, from
            # data entered wrongly, constrain no reader's answer).
            if after > limits[(node, PARENT_OF[group])]:
                return None
        return (len(to_hide), hidden_value), to_hide

    def _dependent_values(self, node: int, parent: str) -> list:
        """The node's non-zero columns of the groups that can't exceed `parent`'s total."""
        found = self._dependents.get((node, parent))
        if found is None:
            values = self.cube.values
            found = []
            for dependent in DEPENDENTS[parent]:
                columns = _COLUMNS[dependent]
                for column in columns:
                    if column != TOTAL or len(columns) == 1:
                        v = values.get((node, dependent, column), 0)
                        if v:
                            found.append(((node, dependent, column), v))
            self._dependents[(node, parent)] = found
        return found

    def _moves(self, u: int, group: str, column: str, x: int, partners: list[int]):
        cube = self.cube
        values = cube.values
        leaves = cube.leaves[u]
        columns = _COLUMNS[group]
        if column == TOTAL:
            # The whole group of u goes to 0 and, if u has a parent, to one team of a partner;
            # its dependent groups (which can't exceed it) go with it.
            moved = [(group, columns)] + [(d, _COLUMNS[d]) for d in DEPENDENTS.get(group, [])]
            base = {}
            for leaf in leaves:
                for g, cols in moved:
                    for col in cols:
                        v = values.get((leaf, g, col), 0)
                        if v:
                            base[(leaf, g, col)] = -v
            if not partners:
                yield base, {}
            for p in partners:
                for leaf in cube.leaves[p]:
                    extra = {}
                    for g, cols in moved:
                        for col in cols:
                            v = values.get((u, g, col), 0)
                            if v:
                                extra[(leaf, g, col)] = v
                    yield base, extra
            return
        for other in _PARTITION_OF[group][column]:
            if other == column:
                continue
            # In u: the column's cases move to another column, team by team (each team's
            # total stays); in a partner: the other way round, in one of its teams.
            base = {}
            for leaf in leaves:
                v = values.get((leaf, group, column), 0)
                if v:
                    base[(leaf, group, column)] = -v
                    base[(leaf, group, other)] = v
            if not partners:
                yield base, {}
            for p in partners:
                for leaf in cube.leaves[p]:
                    if values.get((leaf, group, other), 0) < x:
                        continue
                    yield base, {(leaf, group, column): x, (leaf, group, other): -x}
        if group in PARENT_OF and len(GROUPS[group].partitions) == 1 and partners:
            # Concern areas and reasons: moving marks to another column of the same team can
            # give it more marks than children, so they can also move to a partner's same
            # column, the total of marks with them.
            base = {}
            for leaf in leaves:
                v = values.get((leaf, group, column), 0)
                if v:
                    base[(leaf, group, column)] = -v
                    base[(leaf, group, TOTAL)] = base.get((leaf, group, TOTAL), 0) - v
            for p in partners:
                for leaf in cube.leaves[p]:
                    yield base, {(leaf, group, column): x, (leaf, group, TOTAL): x}

    def _protect(self, u: int, group: str, column: str) -> None:
        x = self.cube.values[(u, group, column)]
        best = None
        # Siblings first, then the nearest nodes under other parents, and last no partner at
        # all (the ancestors' cells then change, so they must be hidden).
        cube = self.cube
        rounds = [lambda: []]
        if cube.nodes[u].parent is not None:
            rounds = [
                lambda: cube.siblings(u),
                lambda: cube.cousins(u, self.MAX_COUSINS),
                lambda: [],
            ]
        aggregated: dict[int, dict] = {}  # id(base) → the base move aggregated once
        for round_partners in rounds:
            partners = round_partners()
            if not partners and round_partners is not rounds[-1]:
                continue
            for partner in partners or [None]:
                for base, extra in self._moves(
                    u, group, column, x, [partner] if partner is not None else []
                ):
                    if id(base) not in aggregated:
                        aggregated[id(base)] = (base, self._aggregate(base))
                    result = self._evaluate(aggregated[id(base)][1], extra)
                    if result is None:
                        continue
                    if best is None or result[0] < best[0]:
                        best = result
                        if result[0] == (0, 0):
                            return
            if best is not None:
                break
        if best is None:
            # Figures that break the rules above (data entered wrongly) can leave no move:
            # then the group is hidden at this node and every node above it.
            for node in (u, *cube.ancestors[u]):
                for group_key in (group, *DEPENDENTS.get(group, [])):
                    for col in _COLUMNS[group_key]:
                        if self.status.get((node, group_key, col)) == SHOWN:
                            self.status[(node, group_key, col)] = HIDDEN
            return
        for key in best[1]:
            self.status[key] = HIDDEN


@dataclasses.dataclass
class LeadTimeFigure:
    median: float | None  # None: not shown
    p90: float | None
    cases: int | str


class Published:
    """What may be shown of one cube: each figure is a number, "<5" or ".."."""

    def __init__(self, cube: Cube, status: dict, threshold: int):
        self.cube = cube
        self.status = status
        self.threshold = threshold
        self.small = HIDDEN_MARK

    def node(self, kind: str, pk: int) -> int:
        return self.cube.index[(kind, pk)]

    def value(self, nodes: list[int], group: str, column: str = TOTAL) -> int | str:
        """A figure of one node, or the true sum over several nodes (shown only when every
        part is: a sum of hidden parts would be a new figure)."""
        if len(nodes) == 1:
            key = (nodes[0], group, column)
            if self.status[key] == SHOWN:
                return self.cube.values.get(key, 0)
            return HIDDEN_MARK
        parts = [self.value([n], group, column) for n in nodes]
        if all(isinstance(p, int) for p in parts):
            return sum(parts)
        return UNKNOWN_MARK

    def is_shown(self, nodes: list[int], group: str, column: str = TOTAL) -> bool:
        return isinstance(self.value(nodes, group, column), int)

    def lead_time(self, nodes: list[int], key: str) -> LeadTimeFigure:
        cases = self.value(nodes, f"lead:{key}")
        guards = [f"lead:{key}"]
        shown = isinstance(cases, int) and cases >= self.threshold
        if key == "meeting_to_feedback":
            shown = shown and all(
                self.is_shown(nodes, "discussed", c) for c in ("within_week", "later")
            )
        if not shown:
            return LeadTimeFigure(None, None, cases)
        days = [d for n in nodes for d in self.cube.days[n][key]]
        median, p90, _n = percentiles(days)
        del guards
        return LeadTimeFigure(median, p90, cases)

    def share(self, nodes: list[int], group: str, column: str) -> int | None:
        """Per cent of a group's total in one column, when both are shown."""
        part, whole = self.value(nodes, group, column), self.value(nodes, group)
        if not (isinstance(part, int) and isinstance(whole, int)) or whole < self.threshold:
            return None
        return round(100 * part / whole)


def protect(cube: Cube, threshold: int | None = None, groups: list[str] | None = None) -> Published:
    """The cube's publishable figures; `groups` limits the work to some groups (the page's
    trends need three of an earlier term's)."""
    threshold = threshold or settings.STATISTICS_THRESHOLD
    return Published(cube, _Protector(cube, threshold, groups).run(), threshold)


def fingerprint(stamps: list) -> str:
    return hashlib.sha256(repr(stamps).encode()).hexdigest()[:24]
