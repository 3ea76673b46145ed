from reports.suppression import HIDDEN, SMALL, show, suppress_table


def test_counts_from_one_to_four_are_shown_as_under_five():
    assert [show(v) for v in [0, 1, 4, 5, 12]] == [0, SMALL, SMALL, 5, 12]


def test_a_single_hidden_cell_takes_the_next_smallest_with_it():
    table = suppress_table(["Team A"], ["girl", "boy", "other"], [[3, 10, 7]])
    # 3 is small; with the total 20 shown, 20 - 10 - 7 would give it away, so 7 goes too.
    assert table.cells == [[SMALL, 10, HIDDEN]]
    assert table.row_totals == [20]


def test_no_hidden_cell_can_be_worked_out_from_row_or_column_totals():
    values = [[3, 10, 7], [6, 8, 9], [12, 2, 15]]
    table = suppress_table(["A", "B", "C"], ["x", "y", "z"], values)
    full = [row + [t] for row, t in zip(table.cells, table.row_totals, strict=True)]
    full.append(table.column_totals + [table.grand_total])
    for line in full + [list(col) for col in zip(*full, strict=True)]:
        hidden = [v for v in line if v in (SMALL, HIDDEN)]
        assert len(hidden) != 1, line
    assert table.cells[0][0] == SMALL and table.cells[2][1] == SMALL


def test_zeros_and_large_numbers_stay_visible():
    table = suppress_table(["A"], ["x", "y"], [[0, 25]])
    assert table.cells == [[0, 25]]
    assert table.row_totals == [25]


def test_a_small_total_is_hidden_too():
    table = suppress_table(["A"], ["x", "y"], [[2, 1]])
    assert table.cells == [[SMALL, SMALL]]
    assert table.row_totals == [SMALL]
    assert table.grand_total == SMALL
