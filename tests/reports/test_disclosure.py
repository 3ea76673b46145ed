"""The disclosure step on hand-made cubes: corner cases the generated data may not reach."""

from reports.disclosure import HIDDEN_MARK, Cube, Node, protect
from reports.measures import GROUPS, TOTAL


def _region(*teams_per_municipality: int) -> list[Node]:
    nodes = [Node("region", 1, "Region", None)]
    pk = 0
    for m, count in enumerate(teams_per_municipality):
        nodes[0].children.append(len(nodes))
        nodes.append(Node("municipality", m + 1, f"Kommun {m}", 0))
        parent = len(nodes) - 1
        for _ in range(count):
            pk += 1
            nodes[parent].children.append(len(nodes))
            nodes.append(Node("team", pk, f"Team {pk}", parent))
    return nodes


def _never_small(published):
    for (node, group, column), value in published.cube.values.items():
        if 0 <= value < 5:
            assert published.value([node], group, column) == HIDDEN_MARK, (node, group, column)


def test_a_region_of_one_team_hides_its_small_counts_and_shows_the_large():
    figures = {1: {"counts": {"new": {TOTAL: 12, "6-9": 10, "0-5": 2, "girl": 12, "school": 12}}}}
    published = protect(Cube(_region(1), figures))
    _never_small(published)
    # 10 of 12 in 6–9 and 2 in 0–5: both large figures can stay, as the 2 hidden could as
    # well be in any other hidden band (the zeros are hidden too).
    assert [published.value([2], "new", c) for c in (TOTAL, "6-9", "0-5", "10-12")] == [
        12,
        10,
        HIDDEN_MARK,
        HIDDEN_MARK,
    ]


def test_figures_that_break_the_rules_do_not_stop_the_page():
    # More children with a concern area than new children (data entered wrongly).
    figures = {
        1: {
            "counts": {
                "new": {TOTAL: 2, "6-9": 2, "girl": 2, "school": 2},
                "area": {TOTAL: 9, "health": 3, "learning": 6},
            }
        },
        2: {
            "counts": {
                "new": {TOTAL: 1, "0-5": 1, "boy": 1, "health": 1},
                "area": {TOTAL: 7, "health": 7},
            }
        },
    }
    published = protect(Cube(_region(2), figures))
    _never_small(published)
    assert all(isinstance(published.value([n], g), (int, str)) for n in range(4) for g in GROUPS)
