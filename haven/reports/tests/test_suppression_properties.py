"""Property-based tests: whatever the table, nobody can work a small count back out.

Three attackers try on every suppressed table: plain arithmetic along rows,
columns and margins (subtraction and interval bounds, repeated until nothing
changes), the LP auditor, and, on tiny tables, brute-force enumeration of
every table consistent with the output (which also checks the auditor).
"""

import itertools
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haven.reports.suppression import (
    CELL,
    COMPLEMENTARY,
    NUMBERS_AND_LABELS,
    PRIMARY,
    PUBLISHED_NUMBERS,
    SHOWN,
    CountTable,
    FeasibleRange,
    SuppressionPolicy,
    _exposed_keys_by_flow,
    choose_suppression_pattern,
    feasible_range,
    find_exposures,
    most_suppressed_pattern,
)

FAST = settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# Mostly small counts and zeros: that is where disclosure happens.
counts = st.one_of(st.just(0), st.integers(1, 12), st.integers(1, 40), st.integers(0, 300))
policies = st.builds(
    SuppressionPolicy,
    min_count=st.sampled_from([2, 3, 5, 11]),
    suppress_zeros=st.booleans(),
    min_range_width=st.one_of(st.none(), st.integers(0, 6)),
    primary_label=st.sampled_from([None, "suppressed"]),
)


@st.composite
def tables(draw, *, max_side=5, cell_counts=counts):
    if draw(st.booleans()):
        row = draw(st.lists(cell_counts, min_size=1, max_size=max_side + 3))
        return CountTable.from_counts(row, publish_total=draw(st.booleans()))
    n_rows = draw(st.integers(1, max_side))
    n_columns = draw(st.integers(1, max_side))
    rows = draw(
        st.lists(
            st.lists(cell_counts, min_size=n_columns, max_size=n_columns), min_size=n_rows, max_size=n_rows
        )
    )
    return CountTable.from_rows(
        rows,
        row_totals=draw(st.booleans()),
        column_totals=draw(st.booleans()),
        grand_total=draw(st.booleans()),
    )


def prior(table, pattern, key, policy, attacker):
    """What the reader knows before arithmetic; written independently of the engine."""
    if not table.is_published(key) or attacker == PUBLISHED_NUMBERS:
        return 0, math.inf
    if policy.small_label == policy.complementary_label:
        return policy.smallest_small_count, math.inf
    if pattern[key] == PRIMARY:
        return policy.smallest_small_count, policy.min_count - 1
    return policy.min_count, math.inf


def bounds_by_arithmetic(table, pattern, policy, attacker):
    """Interval propagation along every row, column and margin until nothing changes."""
    hidden = [key for key in table.values if not table.is_published(key) or pattern[key] != SHOWN]
    low = {key: table.values[key] for key in table.values}
    high = dict(low)
    for key in hidden:
        low[key], high[key] = prior(table, pattern, key, policy, attacker)
    for _ in range(50):
        changed = False
        for total, members in table.lines:
            # total = sum(members): bound each term by the others.
            terms = [(total, 1)] + [(member, -1) for member in members]
            for key, sign in terms:
                others = [(k, s) for k, s in terms if k != key]
                # sign*key = -sum(s*k) over others
                lo_sum = sum(-s * (high[k] if s > 0 else low[k]) for k, s in others)
                hi_sum = sum(-s * (low[k] if s > 0 else high[k]) for k, s in others)
                new_low, new_high = (lo_sum, hi_sum) if sign > 0 else (-hi_sum, -lo_sum)
                if new_low > low[key] and not math.isnan(new_low):
                    low[key], changed = new_low, True
                if new_high < high[key] and not math.isnan(new_high):
                    high[key], changed = new_high, True
        if not changed:
            break
    return {key: (low[key], high[key]) for key in hidden if table.is_published(key)}


def assert_displays_follow_the_rule(table, pattern, policy):
    for key in table.published_keys:
        count, reason = table.values[key], pattern[key]
        if policy.is_small(count):
            assert reason == PRIMARY, (key, count)
        else:
            assert reason in (SHOWN, COMPLEMENTARY), (key, count)
        if reason == COMPLEMENTARY:
            assert count >= policy.min_count


def assert_nothing_recoverable(table, pattern, policy):
    # With labels, a small count may be pinned no tighter than this; it is 0
    # only when the label itself already says everything ("<2" = 1).
    required = policy.required_range_width
    assert required >= 1 or policy.largest_small_count == policy.smallest_small_count
    # ...and no tighter than what the labels alone leave once every count that
    # may be hidden is hidden (with zeros shown, a "<11" total over many
    # non-zero "<11" cells bounds each of them whatever else is hidden).
    widest = feasible_range(
        table,
        most_suppressed_pattern(table, pattern, policy=policy),
        policy=policy,
        attacker=NUMBERS_AND_LABELS,
    )
    for attacker in (PUBLISHED_NUMBERS, NUMBERS_AND_LABELS):
        for key, (low, high) in bounds_by_arithmetic(table, pattern, policy, attacker).items():
            if not (pattern[key] == PRIMARY and attacker == NUMBERS_AND_LABELS):
                assert high > low, f"{key} recovered exactly by arithmetic"
            if pattern[key] == PRIMARY and attacker == PUBLISHED_NUMBERS:
                assert high >= policy.min_count, f"{key} shown to be small by arithmetic"
            if pattern[key] == PRIMARY and attacker == NUMBERS_AND_LABELS:
                assert high - low >= min(required, widest[key].width), f"{key} narrowed to [{low}, {high}]"
    for attacker in (PUBLISHED_NUMBERS, NUMBERS_AND_LABELS):
        for key, feasible in feasible_range(table, pattern, policy=policy, attacker=attacker).items():
            if not (pattern[key] == PRIMARY and attacker == NUMBERS_AND_LABELS):
                assert not feasible.is_exact, f"{key} recovered exactly by LP ({attacker})"
            if pattern[key] == PRIMARY and attacker == PUBLISHED_NUMBERS:
                assert feasible.high is None or feasible.high >= policy.min_count
            if pattern[key] == PRIMARY and attacker == NUMBERS_AND_LABELS:
                assert feasible.width >= min(required, widest[key].width)
    assert find_exposures(table, pattern, policy=policy) == []


def assert_no_line_leaves_a_small_cell_alone(table, pattern):
    for total, members in table.lines:
        if not table.is_published(total) or pattern[total] != SHOWN:
            continue
        if not all(table.is_published(member) for member in members):
            continue
        hidden = [member for member in members if pattern[member] != SHOWN]
        assert len(hidden) != 1, f"line of {total} has a single suppressed cell"


@FAST
@given(table=tables(), policy=policies)
def test_no_suppressed_count_can_be_recovered_from_any_suppressed_table(table, policy):
    pattern = choose_suppression_pattern(table, policy=policy)
    assert_displays_follow_the_rule(table, pattern, policy)
    assert_no_line_leaves_a_small_cell_alone(table, pattern)
    assert_nothing_recoverable(table, pattern, policy)


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(max_side=4, cell_counts=st.integers(0, 14)), policy=policies)
def test_tables_made_mostly_of_small_counts_are_still_protected(table, policy):
    pattern = choose_suppression_pattern(table, policy=policy)
    assert_displays_follow_the_rule(table, pattern, policy)
    assert_nothing_recoverable(table, pattern, policy)


@st.composite
def tables_with_any_valid_pattern(draw, *, cell_counts=counts, max_side=4):
    """A table, a policy and an arbitrary (often unsafe) suppression pattern."""
    table = draw(tables(max_side=max_side, cell_counts=cell_counts))
    policy = draw(policies)
    pattern = {}
    for key in table.published_keys:
        count = table.values[key]
        if policy.is_small(count):
            pattern[key] = PRIMARY
        elif count >= policy.min_count and draw(st.booleans()):
            pattern[key] = COMPLEMENTARY
        else:
            pattern[key] = SHOWN
    return table, pattern, policy


@FAST
@given(case=tables_with_any_valid_pattern())
def test_the_fast_flow_check_and_the_lp_auditor_always_agree(case):
    table, pattern, policy = case
    by_flow = set(_exposed_keys_by_flow(table, pattern, policy))
    by_lp = {exposure.key for exposure in find_exposures(table, pattern, policy=policy)}
    assert by_flow == by_lp


def brute_force_ranges(table, pattern, policy, attacker, cap):
    """Enumerate every table of interior counts in [0, cap] consistent with the output."""
    hidden_cells = [key for key in table.values if key.kind == CELL and pattern[key] != SHOWN]
    found = {}
    for guess in itertools.product(range(cap + 1), repeat=len(hidden_cells)):
        cells = [list(row) for row in table.cells]
        for key, value in zip(hidden_cells, guess, strict=True):
            cells[key.row][key.column] = value
        candidate = (
            CountTable.from_counts(cells[0], publish_total=table.publish_row_totals)
            if table.one_dimensional
            else CountTable.from_rows(
                cells,
                row_totals=table.publish_row_totals,
                column_totals=table.publish_column_totals,
                grand_total=table.publish_grand_total,
            )
        )
        consistent = True
        for key in table.published_keys:
            value = candidate.values[key]
            if pattern[key] == SHOWN:
                consistent = value == table.values[key]
            else:
                low, high = prior(table, pattern, key, policy, attacker)
                consistent = low <= value <= high
            if not consistent:
                break
        if consistent:
            for key in table.published_keys:
                if pattern[key] != SHOWN:
                    low, high = found.get(key, (math.inf, -math.inf))
                    found[key] = (min(low, candidate.values[key]), max(high, candidate.values[key]))
    return found


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=tables_with_any_valid_pattern(cell_counts=st.integers(0, 7), max_side=2))
def test_the_lp_auditor_matches_brute_force_enumeration_on_tiny_tables(case):
    table, pattern, policy = case
    hidden_cells = [key for key in table.values if key.kind == CELL and pattern[key] != SHOWN]
    if len(hidden_cells) > 3:
        return  # enumeration would be too slow; other examples cover it
    # No count can exceed the grand total plus the threshold in a table whose
    # margins are fixed; beyond that the LP must say "unbounded".
    cap = sum(map(sum, table.cells)) + policy.min_count + 2
    for attacker in (PUBLISHED_NUMBERS, NUMBERS_AND_LABELS):
        by_lp = feasible_range(table, pattern, policy=policy, attacker=attacker)
        by_enumeration = brute_force_ranges(table, pattern, policy, attacker, cap)
        assert set(by_lp) == set(by_enumeration)
        for key, (low, high) in by_enumeration.items():
            assert by_lp[key].low == low
            if by_lp[key].high is None:
                assert high >= cap - 1 or key.is_margin  # only a cap stops it
            else:
                assert by_lp[key] == FeasibleRange(low, high)


@FAST
@given(table=tables(), policy=policies)
def test_suppressing_is_deterministic(table, policy):
    assert choose_suppression_pattern(table, policy=policy) == choose_suppression_pattern(
        table, policy=policy
    )
