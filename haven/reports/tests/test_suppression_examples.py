"""Worked examples of the small-cell suppression rule (no Django needed)."""

import pytest

from haven.reports.suppression import (
    CELL,
    COMPLEMENTARY,
    NUMBERS_AND_LABELS,
    PRIMARY,
    PUBLISHED_NUMBERS,
    SHOWN,
    CellKey,
    CountTable,
    FeasibleRange,
    SuppressionPolicy,
    feasible_range,
    find_exposures,
    suppress_counts,
    suppress_table,
)


def reasons_of(result):
    return [[outcome.reason for outcome in row] for row in result.cells]


def test_counts_of_eleven_or_more_are_shown_unchanged():
    result = suppress_counts([11, 25, 300])
    assert result.display_values() == [11, 25, 300]
    assert result.total.display == 336


def test_counts_from_one_to_ten_are_shown_as_less_than_eleven():
    result = suppress_table([[1, 10], [11, 12]], row_totals=False, column_totals=False, grand_total=False)
    assert result.display_rows() == [["<11", "<11"], [11, 12]]
    assert reasons_of(result) == [[PRIMARY, PRIMARY], [SHOWN, SHOWN]]


def test_zero_is_shown_as_zero_by_default():
    result = suppress_counts([0, 40, 50])
    assert result.display_values() == [0, 40, 50]


def test_zero_is_suppressed_when_the_policy_says_so():
    policy = SuppressionPolicy(suppress_zeros=True)
    result = suppress_counts([0, 40, 50], policy=policy)
    assert result.cells[0].display == "<11"
    assert result.cells[0].reason == PRIMARY
    assert find_exposures(result.table, result.pattern, policy=policy) == []


def test_a_single_small_cell_with_a_published_total_gets_one_complementary_partner():
    result = suppress_counts([3, 40, 25, 0, 12])
    # 12 alone would leave 3 + 12 = 15 known, and "suppressed" means >= 11, so
    # the small cell would be at most 4; 25 is the smallest partner that hides it.
    assert result.display_values() == ["<11", 40, "suppressed", 0, 12]
    assert result.total.display == 80
    assert find_exposures(result.table, result.pattern) == []


def test_a_single_small_cell_without_a_published_total_needs_no_partner():
    result = suppress_counts([3, 40, 12], publish_total=False)
    assert result.display_values() == ["<11", 40, 12]
    assert result.total is None


def test_two_small_cells_whose_sum_is_small_are_not_left_alone_in_a_line():
    result = suppress_counts([3, 4, 50, 60])
    assert [outcome.reason for outcome in result.cells].count(COMPLEMENTARY) >= 1
    assert find_exposures(result.table, result.pattern) == []


def test_a_two_by_two_table_with_one_small_cell_hides_all_four_cells_but_keeps_the_margins():
    result = suppress_table([[5, 20], [30, 40]])
    assert result.display_rows() == [["<11", "suppressed"], ["suppressed", "suppressed"]]
    assert [outcome.display for outcome in result.row_totals] == [25, 70]
    assert [outcome.display for outcome in result.column_totals] == [35, 60]
    assert result.grand_total.display == 95


def test_a_row_whose_cells_are_all_small_also_hides_its_small_row_total():
    rows = [[3, 4, 2], [50, 60, 70], [40, 30, 20]]
    result = suppress_table(rows)
    assert reasons_of(result)[0] == [PRIMARY, PRIMARY, PRIMARY]
    assert result.row_totals[0].display == "<11"
    assert find_exposures(result.table, result.pattern) == []


def test_a_row_whose_cells_are_all_small_but_whose_total_is_large_stays_protected():
    rows = [[3, 4, 9, 8], [50, 60, 70, 80], [40, 30, 20, 90]]
    result = suppress_table(rows)
    assert result.row_totals[0].display == 24
    assert reasons_of(result)[0] == [PRIMARY] * 4
    assert find_exposures(result.table, result.pattern) == []


def test_a_table_where_every_number_is_small_is_all_labels():
    result = suppress_table([[1, 2], [3, 4]])
    assert result.display_rows() == [["<11", "<11"], ["<11", "<11"]]
    assert result.grand_total.display == "<11"
    assert COMPLEMENTARY not in result.pattern.values()


def test_a_table_without_margins_needs_only_primary_suppression():
    result = suppress_table([[3, 40], [50, 60]], row_totals=False, column_totals=False, grand_total=False)
    assert result.display_rows() == [["<11", 40], [50, 60]]
    assert result.row_totals is None and result.column_totals is None and result.grand_total is None


def test_a_table_with_no_small_counts_is_published_unchanged():
    result = suppress_table([[30, 40], [50, 60]])
    assert set(result.pattern.values()) == {SHOWN}


def test_the_threshold_and_labels_are_configurable():
    policy = SuppressionPolicy(min_count=5, complementary_label="*")
    result = suppress_counts([4, 5, 30], policy=policy)
    assert result.cells[0].display == "<5"
    assert "*" in result.display_values()
    assert find_exposures(result.table, result.pattern, policy=policy) == []


def test_using_the_same_label_for_both_kinds_of_suppression_is_allowed_and_safe():
    policy = SuppressionPolicy(primary_label="suppressed", complementary_label="suppressed")
    result = suppress_table([[5, 20, 31], [30, 40, 2], [12, 13, 14]], policy=policy)
    hidden = [outcome.display for row in result.cells for outcome in row if outcome.reason != SHOWN]
    assert set(hidden) == {"suppressed"}
    assert find_exposures(result.table, result.pattern, policy=policy) == []


def test_the_auditor_gives_exact_ranges_for_a_two_by_two_table():
    table = CountTable.from_rows([[5, 20], [30, 40]])
    pattern = {key: SHOWN for key in table.published_keys}
    for i in range(2):
        for j in range(2):
            pattern[CellKey(CELL, i, j)] = COMPLEMENTARY
    pattern[CellKey(CELL, 0, 0)] = PRIMARY
    by_numbers = feasible_range(table, pattern, attacker=PUBLISHED_NUMBERS)
    assert by_numbers[CellKey(CELL, 0, 0)] == FeasibleRange(0, 25)
    with_labels = feasible_range(table, pattern, attacker=NUMBERS_AND_LABELS)
    # 25 - x >= 11 ("suppressed" means at least 11) and x <= 10 ("<11").
    assert with_labels[CellKey(CELL, 0, 0)] == FeasibleRange(1, 10)
    assert with_labels[CellKey(CELL, 0, 1)] == FeasibleRange(15, 24)


def test_the_auditor_catches_a_small_cell_recovered_by_subtracting_from_the_total():
    table = CountTable.from_counts([3, 40])
    pattern = {key: SHOWN for key in table.published_keys}
    pattern[CellKey(CELL, 0, 0)] = PRIMARY
    assert feasible_range(table, pattern)[CellKey(CELL, 0, 0)] == FeasibleRange(3, 3)
    assert find_exposures(table, pattern)


def test_the_auditor_catches_a_small_cell_paired_with_a_partner_that_is_too_small():
    table = CountTable.from_counts([1, 11, 60])
    pattern = {key: SHOWN for key in table.published_keys}
    pattern[CellKey(CELL, 0, 0)] = PRIMARY
    pattern[CellKey(CELL, 0, 1)] = COMPLEMENTARY
    # 1 + 11 = 12 is known and "suppressed" means >= 11, so the small cell is 1.
    ranges = feasible_range(table, pattern, attacker=NUMBERS_AND_LABELS)
    assert ranges[CellKey(CELL, 0, 0)] == FeasibleRange(1, 1)
    assert find_exposures(table, pattern)


def test_the_auditor_sees_relations_implied_by_margins_even_without_a_grand_total():
    # Row totals and column totals both published: their sums must agree, so a
    # hidden row total is recovered from the column totals.
    table = CountTable.from_rows([[3, 40], [50, 60]], grand_total=False)
    pattern = {key: SHOWN for key in table.published_keys}
    pattern[CellKey("row_total", 0)] = PRIMARY  # pretend, to test the auditor
    assert feasible_range(table, pattern)[CellKey("row_total", 0)].is_exact


def test_negative_or_non_integer_counts_are_rejected():
    with pytest.raises(ValueError):
        suppress_counts([3, -1])
    with pytest.raises(TypeError):
        suppress_counts([3, 2.5])
    with pytest.raises(ValueError):
        suppress_table([[1, 2], [3]])


def test_a_threshold_below_two_is_rejected():
    with pytest.raises(ValueError):
        SuppressionPolicy(min_count=1)


def test_a_small_total_over_many_small_cells_is_protected_as_far_as_the_labels_allow():
    # "<11" total over six non-zero "<11" cells: whatever else is hidden, each
    # is at most 5.  The engine must not give up (or hide the whole table) over
    # what the labels alone say; it still hides enough that nothing narrows further.
    site = [2, 0, 1, 0, 2, 0, 1, 0, 0, 1, 1, 0]
    rows = [
        site,
        [30, 41, 25, 33, 12, 19, 44, 27, 31, 22, 18, 40],
        [15, 22, 13, 40, 35, 26, 17, 11, 29, 33, 20, 24],
    ]
    result = suppress_table(rows)
    assert result.row_totals[0].display == "<11"
    assert find_exposures(result.table, result.pattern) == []
    hidden = sum(1 for reason in result.pattern.values() if reason == COMPLEMENTARY)
    assert hidden < 20
