"""Small-cell suppression for counts of people that leave the program.

Plain Python (numpy and scipy only, no Django) so that every exporter, report
and API can share one engine and one guarantee.  docs/SUPPRESSION.md explains
the rule, the algorithm and the limits of the guarantee.

Vocabulary used throughout:

* a *table* is a 1-D list of counts with an optional total, or a 2-D grid of
  counts with optional row totals, column totals and grand total ("margins");
* a *key* (``CellKey``) names one number of the table: an interior cell or a
  margin, published or not;
* a *pattern* maps every published key to why it is displayed the way it is:
  ``SHOWN``, ``PRIMARY`` (a small count) or ``COMPLEMENTARY`` (hidden only so
  that a small count cannot be worked out from the rest of the table);
* an *attacker model* is what somebody reading the output is assumed to know:
  the published numbers only, or the published numbers plus what the labels
  mean ("<11" means 1..10, "suppressed" means 11 or more).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np
from scipy.optimize import linprog

SHOWN = "shown"
PRIMARY = "primary"
COMPLEMENTARY = "complementary"

CELL = "cell"
ROW_TOTAL = "row_total"
COLUMN_TOTAL = "column_total"
GRAND_TOTAL = "grand_total"

# Attacker models, see module docstring.
PUBLISHED_NUMBERS = "published numbers"
NUMBERS_AND_LABELS = "numbers and labels"


class SuppressionError(ValueError):
    """Raised rather than returning a table that would still expose a count."""


class CellKey(NamedTuple):
    kind: str
    row: int = -1
    column: int = -1

    @property
    def is_margin(self) -> bool:
        return self.kind != CELL


GRAND_TOTAL_KEY = CellKey(GRAND_TOTAL)


@dataclass(frozen=True)
class SuppressionPolicy:
    """The configurable part of the rule.

    min_count: the smallest count that may be displayed; counts from
        ``1`` (or ``0`` with ``suppress_zeros``) to ``min_count - 1`` are small.
        The default 11 is the CMS / NCHS convention (1..10 hidden).
    suppress_zeros: zero is shown by default because "nobody" identifies no
        one; hide it when a zero is itself sensitive (e.g. it proves that
        everybody in a group had an outcome).
    min_range_width: how wide (high - low) the range that a reader who knows
        the labels can still deduce for a small count must stay.  ``None``
        means half of what the label itself leaves, e.g. 5 for "<11".
    """

    min_count: int = 11
    suppress_zeros: bool = False
    primary_label: str | None = None
    complementary_label: str = "suppressed"
    min_range_width: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.min_count, bool) or not isinstance(self.min_count, int):
            raise TypeError("min_count must be an int")
        if self.min_count < 2:
            raise ValueError("min_count must be at least 2 (1 would suppress nothing)")
        if self.min_range_width is not None and self.min_range_width < 0:
            raise ValueError("min_range_width must be >= 0")

    @property
    def small_label(self) -> str:
        return self.primary_label if self.primary_label is not None else f"<{self.min_count}"

    @property
    def smallest_small_count(self) -> int:
        return 0 if self.suppress_zeros else 1

    @property
    def largest_small_count(self) -> int:
        return self.min_count - 1

    def is_small(self, count: int) -> bool:
        return self.smallest_small_count <= count <= self.largest_small_count

    @property
    def required_range_width(self) -> int:
        # The label already narrows a small count to its own range; we can't
        # ask the table to leave more doubt than the label does (with "<2" and
        # zeros shown the label itself says "1": that policy protects nothing).
        label_width = self.largest_small_count - self.smallest_small_count
        wanted = (self.min_count - 1) // 2 if self.min_range_width is None else self.min_range_width
        return min(max(1, wanted), label_width)

    @property
    def labels_are_distinct(self) -> bool:
        return self.small_label != self.complementary_label

    def label_for(self, reason: str) -> str:
        return self.small_label if reason == PRIMARY else self.complementary_label


DEFAULT_POLICY = SuppressionPolicy()


def _checked_count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"counts must be integers, got {value!r}")
    if value < 0:
        raise ValueError(f"counts of people cannot be negative, got {value}")
    return int(value)


@dataclass(frozen=True)
class CountTable:
    """The numbers of one table and which margins are published.

    A 1-D table is stored as one row whose row total is "the total"; its
    column totals would just repeat the cells, so they don't exist.
    """

    cells: tuple[tuple[int, ...], ...]
    publish_row_totals: bool = True
    publish_column_totals: bool = True
    publish_grand_total: bool = True
    one_dimensional: bool = False

    @classmethod
    def from_counts(cls, counts: Sequence[int], *, publish_total: bool = True) -> CountTable:
        row = tuple(_checked_count(value) for value in counts)
        if not row:
            raise ValueError("a table needs at least one count")
        return cls(
            cells=(row,),
            publish_row_totals=publish_total,
            publish_column_totals=False,
            publish_grand_total=False,
            one_dimensional=True,
        )

    @classmethod
    def from_rows(
        cls,
        rows: Sequence[Sequence[int]],
        *,
        row_totals: bool = True,
        column_totals: bool = True,
        grand_total: bool = True,
    ) -> CountTable:
        cells = tuple(tuple(_checked_count(value) for value in row) for row in rows)
        if not cells or not cells[0]:
            raise ValueError("a table needs at least one row and one column")
        if any(len(row) != len(cells[0]) for row in cells):
            raise ValueError("all rows must have the same number of columns")
        return cls(
            cells=cells,
            publish_row_totals=row_totals,
            publish_column_totals=column_totals,
            publish_grand_total=grand_total,
        )

    @property
    def n_rows(self) -> int:
        return len(self.cells)

    @property
    def n_columns(self) -> int:
        return len(self.cells[0])

    @cached_property
    def values(self) -> dict[CellKey, int]:
        """Every number of the table, margins included, published or not."""
        values: dict[CellKey, int] = {}
        for i, row in enumerate(self.cells):
            for j, count in enumerate(row):
                values[CellKey(CELL, i, j)] = count
            values[CellKey(ROW_TOTAL, i)] = sum(row)
        if not self.one_dimensional:
            for j in range(self.n_columns):
                values[CellKey(COLUMN_TOTAL, -1, j)] = sum(row[j] for row in self.cells)
            values[GRAND_TOTAL_KEY] = sum(map(sum, self.cells))
        return values

    def is_published(self, key: CellKey) -> bool:
        if key.kind == CELL:
            return True
        if key.kind == ROW_TOTAL:
            return self.publish_row_totals
        if key.kind == COLUMN_TOTAL:
            return self.publish_column_totals
        return self.publish_grand_total

    @cached_property
    def published_keys(self) -> tuple[CellKey, ...]:
        return tuple(key for key in self.values if self.is_published(key))

    @cached_property
    def lines(self) -> tuple[tuple[CellKey, tuple[CellKey, ...]], ...]:
        """Every additive relation "total = sum of members" the table obeys.

        Unpublished margins take part as unknowns: that keeps relations that
        are still implied (e.g. sum of row totals = sum of column totals when
        the grand total itself is not printed) visible to the auditor.
        """
        lines = []
        for i in range(self.n_rows):
            lines.append((CellKey(ROW_TOTAL, i), tuple(CellKey(CELL, i, j) for j in range(self.n_columns))))
        if not self.one_dimensional:
            for j in range(self.n_columns):
                lines.append(
                    (CellKey(COLUMN_TOTAL, -1, j), tuple(CellKey(CELL, i, j) for i in range(self.n_rows)))
                )
            lines.append((GRAND_TOTAL_KEY, tuple(CellKey(ROW_TOTAL, i) for i in range(self.n_rows))))
            lines.append(
                (GRAND_TOTAL_KEY, tuple(CellKey(COLUMN_TOTAL, -1, j) for j in range(self.n_columns)))
            )
        return tuple(lines)

    @cached_property
    def lines_of(self) -> dict[CellKey, tuple[int, ...]]:
        index: dict[CellKey, list[int]] = {key: [] for key in self.values}
        for line_number, (total, members) in enumerate(self.lines):
            index[total].append(line_number)
            for member in members:
                index[member].append(line_number)
        return {key: tuple(numbers) for key, numbers in index.items()}


Pattern = Mapping[CellKey, str]


@dataclass(frozen=True)
class FeasibleRange:
    """Smallest and largest value a hidden number can take (high None: no upper bound)."""

    low: int
    high: int | None

    @property
    def width(self) -> float:
        return math.inf if self.high is None else self.high - self.low

    @property
    def is_exact(self) -> bool:
        return self.high == self.low


@dataclass(frozen=True)
class Exposure:
    key: CellKey
    reason: str
    attacker: str
    feasible: FeasibleRange
    problem: str


def _is_hidden(table: CountTable, pattern: Pattern, key: CellKey) -> bool:
    return not table.is_published(key) or pattern[key] != SHOWN


def _prior_bounds(
    table: CountTable, pattern: Pattern, key: CellKey, attacker: str, policy: SuppressionPolicy
) -> tuple[int, float]:
    """What a reader knows about a hidden number before doing any arithmetic."""
    if attacker == PUBLISHED_NUMBERS or not table.is_published(key):
        return 0, math.inf
    reason = pattern[key]
    small = (policy.smallest_small_count, policy.largest_small_count)
    if not policy.labels_are_distinct:
        # Same label for both kinds: the reader only learns "hidden".
        return min(small[0], policy.min_count), math.inf
    if reason == PRIMARY:
        return small[0], small[1]
    # Complementary cells are only ever chosen among counts >= min_count, so
    # the distinct label tells the reader exactly that.
    return policy.min_count, math.inf


def _problems(
    reason: str,
    low: float,
    high: float,
    attacker: str,
    policy: SuppressionPolicy,
    *,
    required_width: int | None = None,
) -> list[str]:
    """The guarantee, one hidden number at a time (see docs/SUPPRESSION.md, "Guarantee")."""
    if reason != PRIMARY:
        # A complementary count is not sensitive, but pinning it exactly is
        # usually the first step of pinning its neighbours.
        return ["value is determined exactly"] if high <= low else []
    if attacker == PUBLISHED_NUMBERS:
        # Implies "not exact" too: low <= count < min_count <= high.
        if high < policy.min_count:
            return [f"the published numbers alone prove it is below {policy.min_count}"]
        return []
    required = policy.required_range_width if required_width is None else required_width
    if high - low < required:
        return [f"narrowed to a range of width {high - low} < {required}"]
    return []


def most_suppressed_pattern(
    table: CountTable, pattern: Pattern, *, policy: SuppressionPolicy
) -> dict[CellKey, str]:
    """The pattern the engine would reach by hiding every count it is allowed to hide."""
    return {
        key: COMPLEMENTARY if _can_be_complementary(table, pattern, key, policy) else reason
        for key, reason in pattern.items()
    }


def _achievable_widths_by_lp(
    table: CountTable, pattern: Pattern, policy: SuppressionPolicy
) -> dict[CellKey, int]:
    # With zeros shown, the labels alone can pin a small count: a "<11" row
    # total over six non-zero "<11" cells makes each of them at most 5 however
    # much else is hidden.  No suppression can undo what the labels say, so
    # the width asked of a cell is capped by what hiding everything leaves.
    widest = feasible_range(
        table,
        most_suppressed_pattern(table, pattern, policy=policy),
        policy=policy,
        attacker=NUMBERS_AND_LABELS,
    )
    return {
        key: int(min(policy.required_range_width, widest[key].width))
        for key, reason in pattern.items()
        if reason == PRIMARY
    }


# ---------------------------------------------------------------------------
# Auditor: exact feasible ranges by linear programming.
# ---------------------------------------------------------------------------


def feasible_range(
    table: CountTable,
    pattern: Pattern,
    *,
    policy: SuppressionPolicy = DEFAULT_POLICY,
    attacker: str = PUBLISHED_NUMBERS,
) -> dict[CellKey, FeasibleRange]:
    """Min and max of every suppressed cell over all tables consistent with the output.

    Consistent means: non-negative integers, equal to every displayed number,
    satisfying every row/column/grand total relation, and (for the
    ``NUMBERS_AND_LABELS`` attacker) within what each label says.

    The relations form a network matrix (each unknown appears in at most two
    lines, with opposite signs once column relations are negated), which is
    totally unimodular: the LP optimum is an integer and every integer in
    between is attainable, so these LP ranges are exact integer ranges.
    """
    unknowns = [key for key in table.values if _is_hidden(table, pattern, key)]
    suppressed = {key for key in unknowns if table.is_published(key)}
    if not suppressed:
        return {}
    ranges: dict[CellKey, FeasibleRange] = {}
    for component in _connected_unknowns(table, unknowns):
        if not suppressed.intersection(component):
            continue
        ranges.update(_solve_component(table, pattern, component, suppressed, attacker, policy))
    return ranges


def _connected_unknowns(table: CountTable, unknowns: list[CellKey]) -> list[list[CellKey]]:
    # Unknowns linked by no relation vary independently; splitting them keeps
    # each LP tiny, which is what makes auditing a 50x12 table cheap.
    parent = {key: key for key in unknowns}

    def find(key: CellKey) -> CellKey:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for total, members in table.lines:
        hidden = [key for key in (total, *members) if key in parent]
        for other in hidden[1:]:
            parent[find(other)] = find(hidden[0])
    groups: dict[CellKey, list[CellKey]] = {}
    for key in unknowns:
        groups.setdefault(find(key), []).append(key)
    return list(groups.values())


def _solve_component(
    table: CountTable,
    pattern: Pattern,
    component: list[CellKey],
    suppressed: set[CellKey],
    attacker: str,
    policy: SuppressionPolicy,
) -> dict[CellKey, FeasibleRange]:
    column_of = {key: index for index, key in enumerate(component)}
    rows, rhs = [], []
    for total, members in table.lines:
        coefficients = np.zeros(len(component))
        constant = 0
        touches = False
        for key, sign in ((total, 1), *((member, -1) for member in members)):
            if key in column_of:
                coefficients[column_of[key]] += sign
                touches = True
            elif key in table.values and not _is_hidden(table, pattern, key):
                constant += sign * table.values[key]
            elif _is_hidden(table, pattern, key):
                break  # the line involves another component's unknown: not ours
        else:
            if touches:
                rows.append(coefficients)
                rhs.append(-constant)
    bounds = []
    for key in component:
        low, high = _prior_bounds(table, pattern, key, attacker, policy)
        bounds.append((low, None if high == math.inf else high))
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs, dtype=float) if rows else None

    ranges = {}
    for key in component:
        if key not in suppressed:
            continue
        objective = np.zeros(len(component))
        objective[column_of[key]] = 1.0
        low = _optimise(objective, a_eq, b_eq, bounds)
        high = _optimise(-objective, a_eq, b_eq, bounds)
        ranges[key] = FeasibleRange(low=int(low), high=None if high is None else int(-high))
    return ranges


def _optimise(objective, a_eq, b_eq, bounds) -> int | None:
    result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if result.status == 3:
        return None  # unbounded: no finite maximum
    if result.status != 0:
        # The true table always satisfies the constraints, so this is a bug.
        raise RuntimeError(f"suppression audit LP failed: {result.message}")
    return round(result.fun)


def find_exposures(
    table: CountTable, pattern: Pattern, *, policy: SuppressionPolicy = DEFAULT_POLICY
) -> list[Exposure]:
    """Every way the pattern falls short of the guarantee in docs/SUPPRESSION.md."""
    exposures = []
    achievable = _achievable_widths_by_lp(table, pattern, policy)
    for attacker in (PUBLISHED_NUMBERS, NUMBERS_AND_LABELS):
        for key, feasible in feasible_range(table, pattern, policy=policy, attacker=attacker).items():
            high = math.inf if feasible.high is None else feasible.high
            required = achievable.get(key)
            for problem in _problems(
                pattern[key], feasible.low, high, attacker, policy, required_width=required
            ):
                exposures.append(Exposure(key, pattern[key], attacker, feasible, problem))
    return exposures


# ---------------------------------------------------------------------------
# Fast exact check by max-flow, used inside the engine's loop.
#
# The table's relations are flow conservation in a small directed graph
# (rows -> columns -> grand total -> rows), each number being the flow on one
# arc.  Any other table consistent with the output differs from the true one
# by a circulation on the arcs of hidden numbers, so how far a hidden number
# can move up (down) is a max-flow between the ends of its arc in the residual
# graph.  We only need to know whether it can move "enough", so each max-flow
# stops after a few units: far cheaper than two LPs per cell.  The LP auditor
# above stays the reference; the tests check that both always agree.
# ---------------------------------------------------------------------------

_UNBOUNDED = 1 << 60


def _arc_ends(table: CountTable, key: CellKey) -> tuple[str, str]:
    if table.one_dimensional:
        return ("members", "total") if key.kind == CELL else ("total", "members")
    if key.kind == CELL:
        return (f"row{key.row}", f"column{key.column}")
    if key.kind == ROW_TOTAL:
        return ("rows", f"row{key.row}")
    if key.kind == COLUMN_TOTAL:
        return (f"column{key.column}", "columns")
    return ("columns", "rows")


class _ResidualGraph:
    def __init__(self) -> None:
        self.node_index: dict[str, int] = {}
        self.adjacency: list[list[int]] = []
        self.arc_head: list[int] = []
        self.capacity: list[int] = []

    def node(self, name: str) -> int:
        if name not in self.node_index:
            self.node_index[name] = len(self.adjacency)
            self.adjacency.append([])
        return self.node_index[name]

    def add_arc(self, tail: str, head: str, room_up: int, room_down: int) -> int:
        """Arc pair 2k (can carry room_up more) and 2k+1 (can give back room_down)."""
        t, h = self.node(tail), self.node(head)
        arc = len(self.arc_head)
        self.arc_head += [h, t]
        self.capacity += [room_up, room_down]
        self.adjacency[t].append(arc)
        self.adjacency[h].append(arc + 1)
        return arc

    def max_flow(self, source: int, sink: int, *, limit: int, without_arc: int) -> int:
        if limit <= 0:
            return 0
        capacity = self.capacity.copy()
        capacity[without_arc] = capacity[without_arc ^ 1] = 0
        flow = 0
        while flow < limit:
            came_by = {source: -1}
            queue = [source]
            for node in queue:  # BFS; the list grows while we walk it
                if sink in came_by:
                    break
                for arc in self.adjacency[node]:
                    head = self.arc_head[arc]
                    if capacity[arc] > 0 and head not in came_by:
                        came_by[head] = arc
                        queue.append(head)
            if sink not in came_by:
                break
            path, node = [], sink
            while node != source:
                arc = came_by[node]
                path.append(arc)
                node = self.arc_head[arc ^ 1]
            push = min(limit - flow, min(capacity[arc] for arc in path))
            for arc in path:
                capacity[arc] -= push
                capacity[arc ^ 1] += push
            flow += push
        return flow


def _build_residual_graph(
    table: CountTable, pattern: Pattern, attacker: str, policy: SuppressionPolicy
) -> tuple[_ResidualGraph, dict[CellKey, int]]:
    graph = _ResidualGraph()
    arcs: dict[CellKey, int] = {}
    for key, count in table.values.items():
        if not _is_hidden(table, pattern, key):
            continue
        low, high = _prior_bounds(table, pattern, key, attacker, policy)
        room_up = _UNBOUNDED if high == math.inf else int(high) - count
        arcs[key] = graph.add_arc(*_arc_ends(table, key), room_up, count - low)
    return graph, arcs


def _room_to_move(graph: _ResidualGraph, arc: int, *, needed: int, downwards: bool = True) -> int:
    """How far (up to ``needed``) the number on ``arc`` can move up, then down."""
    tail, head = graph.arc_head[arc ^ 1], graph.arc_head[arc]
    up = graph.max_flow(head, tail, limit=min(needed, graph.capacity[arc]), without_arc=arc)
    if not downwards or up >= needed:
        return up
    return up + graph.max_flow(tail, head, limit=min(needed - up, graph.capacity[arc ^ 1]), without_arc=arc)


class _AchievableWidths:
    """Width asked of each small count: the policy's, unless the labels alone forbid it.

    With zeros shown, the labels alone can pin a small count: a "<11" row
    total over six non-zero "<11" cells makes each of them at most 5 however
    much else is hidden.  No suppression can undo what the labels say, so the
    width asked is capped by what hiding every hideable count leaves.  Worked
    out lazily, only for cells that fall short, because it is the costly part.
    """

    def __init__(self, table: CountTable, pattern: Pattern, policy: SuppressionPolicy) -> None:
        self.policy = policy
        self.widest = most_suppressed_pattern(table, pattern, policy=policy)
        self.table = table
        self.cache: dict[CellKey, int] = {}
        self.graph: tuple[_ResidualGraph, dict[CellKey, int]] | None = None

    def get(self, key: CellKey, default: int | None = None) -> int:
        if key not in self.cache:
            if self.graph is None:
                self.graph = _build_residual_graph(self.table, self.widest, NUMBERS_AND_LABELS, self.policy)
            graph, arcs = self.graph
            self.cache[key] = _room_to_move(graph, arcs[key], needed=self.policy.required_range_width)
        return self.cache[key]


def _exposed_keys_by_flow(
    table: CountTable,
    pattern: Pattern,
    policy: SuppressionPolicy,
    *,
    achievable: _AchievableWidths | None = None,
) -> list[CellKey]:
    """Keys that break the guarantee; same verdict as ``find_exposures``, much faster."""
    suppressed = [key for key in table.published_keys if pattern[key] != SHOWN]
    if not suppressed:
        return []
    if achievable is None:
        achievable = _AchievableWidths(table, pattern, policy)
    exposed: list[CellKey] = []
    for attacker in (PUBLISHED_NUMBERS, NUMBERS_AND_LABELS):
        graph, arcs = _build_residual_graph(table, pattern, attacker, policy)
        for key in suppressed:
            if key in exposed:
                continue
            arc, count, reason = arcs[key], table.values[key], pattern[key]
            if reason == PRIMARY and attacker == PUBLISHED_NUMBERS:
                need = policy.min_count - count
                if _room_to_move(graph, arc, needed=need, downwards=False) < need:
                    exposed.append(key)
            elif reason == PRIMARY:
                width = _room_to_move(graph, arc, needed=policy.required_range_width)
                if width < policy.required_range_width and width < achievable.get(key):
                    exposed.append(key)
            elif _room_to_move(graph, arc, needed=1) < 1:
                exposed.append(key)
    return exposed


# ---------------------------------------------------------------------------
# Engine: primary suppression, cheap line-by-line protection, audited repair.
# ---------------------------------------------------------------------------


def choose_suppression_pattern(
    table: CountTable, *, policy: SuppressionPolicy = DEFAULT_POLICY
) -> dict[CellKey, str]:
    """Decide, for every published number, whether it is shown or suppressed and why."""
    pattern = {key: PRIMARY if policy.is_small(table.values[key]) else SHOWN for key in table.published_keys}
    if PRIMARY not in pattern.values():
        return pattern
    # Primary cells never change below, so neither does what is achievable.
    achievable = _AchievableWidths(table, pattern, policy)
    while True:
        _protect_each_line(table, pattern, policy, achievable)
        exposed = _exposed_keys_by_flow(table, pattern, policy, achievable=achievable)
        if not exposed:
            return pattern
        touched_lines: set[int] = set()
        added = False
        for key in exposed:
            if touched_lines.intersection(table.lines_of[key]):
                continue  # a cell added this round may already fix it; re-check first
            candidate = _repair_candidate(table, pattern, key, policy)
            if candidate is None:
                continue
            pattern[candidate] = COMPLEMENTARY
            touched_lines.update(table.lines_of[candidate])
            added = True
        if not added:
            raise SuppressionError(f"cannot protect {exposed[0]}; refusing to publish")


def _can_be_complementary(
    table: CountTable, pattern: Pattern, key: CellKey, policy: SuppressionPolicy
) -> bool:
    # Only counts >= min_count: then the complementary label tells a reader no
    # more than "at least min_count", which the auditor accounts for.
    return table.is_published(key) and pattern[key] == SHOWN and table.values[key] >= policy.min_count


def _line_problems(
    table: CountTable,
    pattern: Pattern,
    line_number: int,
    policy: SuppressionPolicy,
    achievable: _AchievableWidths,
) -> bool:
    """Whether a single line, read on its own, exposes one of its suppressed members.

    Within one line the exact range of a member is an interval sum, so this
    is cheap; it is a necessary condition the LP audit then completes.
    """
    total, members = table.lines[line_number]
    if _is_hidden(table, pattern, total):
        return False
    hidden = [key for key in members if _is_hidden(table, pattern, key)]
    if not any(table.is_published(key) for key in hidden):
        return False
    remaining = table.values[total] - sum(
        table.values[key] for key in members if not _is_hidden(table, pattern, key)
    )
    for attacker in (PUBLISHED_NUMBERS, NUMBERS_AND_LABELS):
        priors = [_prior_bounds(table, pattern, key, attacker, policy) for key in hidden]
        sum_low = sum(low for low, _ in priors)
        finite_high = sum(high for _, high in priors if high != math.inf)
        unbounded = sum(1 for _, high in priors if high == math.inf)
        for key, (low, high) in zip(hidden, priors, strict=True):
            if not table.is_published(key):
                continue
            others_unbounded = unbounded - (high == math.inf)
            others_high = math.inf if others_unbounded else finite_high - (0 if high == math.inf else high)
            lowest = max(low, remaining - others_high)
            highest = min(high, remaining - (sum_low - low))
            if _problems(pattern[key], lowest, highest, attacker, policy) and _problems(
                pattern[key], lowest, highest, attacker, policy, required_width=achievable.get(key)
            ):
                return True
    return False


def _protect_each_line(
    table: CountTable, pattern: dict[CellKey, str], policy: SuppressionPolicy, achievable: _AchievableWidths
) -> None:
    changed = True
    while changed:
        changed = False
        for line_number in range(len(table.lines)):
            while _line_problems(table, pattern, line_number, policy, achievable):
                candidate = _line_candidate(table, pattern, line_number, policy, achievable)
                if candidate is None:
                    break  # left to the audited repair, which can look further
                pattern[candidate] = COMPLEMENTARY
                changed = True


def _line_candidate(
    table: CountTable,
    pattern: dict[CellKey, str],
    line_number: int,
    policy: SuppressionPolicy,
    achievable: _AchievableWidths,
) -> CellKey | None:
    total, members = table.lines[line_number]
    candidates = sorted(
        (key for key in members if _can_be_complementary(table, pattern, key, policy)),
        key=lambda key: table.values[key],
    )
    # Smallest member that alone makes the line safe loses least information.
    for key in candidates:
        pattern[key] = COMPLEMENTARY
        still_exposed = _line_problems(table, pattern, line_number, policy, achievable)
        pattern[key] = SHOWN
        if not still_exposed:
            return key
    if candidates:
        return candidates[-1]  # none suffices alone: take the most protective, then look again
    if _can_be_complementary(table, pattern, total, policy):
        return total
    return None


def _protection_of(
    table: CountTable, pattern: Pattern, key: CellKey, policy: SuppressionPolicy
) -> tuple[int, int]:
    """How well a suppressed cell is hidden, for both readers, capped at what the rule needs."""
    scores = []
    for attacker, needed in (
        (PUBLISHED_NUMBERS, policy.min_count),
        (NUMBERS_AND_LABELS, max(1, policy.required_range_width)),
    ):
        graph, arcs = _build_residual_graph(table, pattern, attacker, policy)
        scores.append(_room_to_move(graph, arcs[key], needed=needed))
    return scores[0], scores[1]


_MAX_REPAIR_TRIES = 6


def _repair_candidate(
    table: CountTable, pattern: dict[CellKey, str], exposed: CellKey, policy: SuppressionPolicy
) -> CellKey | None:
    """The cheapest shown count whose suppression actually widens the exposed cell's range.

    "Cheapest" alone is not enough: a partner of exactly min_count, read as
    "at least min_count", cannot move down at all and so hides nothing.
    """

    def eligible(keys: Iterable[CellKey]) -> list[CellKey]:
        found = [key for key in set(keys) if _can_be_complementary(table, pattern, key, policy)]
        # Interior cells before margins: totals are the most used numbers.
        return sorted(found, key=lambda key: (key.is_margin, table.values[key], key))

    def keys_of_lines(line_numbers: Iterable[int]) -> list[CellKey]:
        keys = []
        for number in line_numbers:
            total, members = table.lines[number]
            keys.extend((total, *members))
        return keys

    def first_that_helps(candidates: list[CellKey]) -> CellKey | None:
        before = _protection_of(table, pattern, exposed, policy)
        # A count of exactly min_count gives a label-aware reader no room
        # downwards, so try those last; and bound the tries (each one is a
        # max-flow) since the fallback below also converges.
        # Margins are tried too, after the cells: sometimes only hiding a
        # total helps (a total of 11 over eight "<11" cells pins each of them).
        interior = sorted(
            (key for key in candidates if not key.is_margin),
            key=lambda key: table.values[key] <= policy.min_count,
        )
        margins = [key for key in candidates if key.is_margin]
        for key in interior[:_MAX_REPAIR_TRIES] + margins[:_MAX_REPAIR_TRIES]:
            pattern[key] = COMPLEMENTARY
            after = _protection_of(table, pattern, exposed, policy)
            pattern[key] = SHOWN
            if after > before and all(a >= b for a, b in zip(after, before, strict=True)):
                return key
        return None

    nearby = eligible(keys_of_lines(table.lines_of[exposed]))
    candidate = first_that_helps(nearby)
    if candidate is not None:
        return candidate
    # Look along the chain of hidden numbers the exposed cell is tied to.
    seen, frontier = {exposed}, [exposed]
    while frontier:
        next_frontier = []
        for key in frontier:
            for neighbour in keys_of_lines(table.lines_of[key]):
                if neighbour not in seen and _is_hidden(table, pattern, neighbour):
                    seen.add(neighbour)
                    next_frontier.append(neighbour)
        frontier = next_frontier
    connected = eligible(keys_of_lines(number for key in seen for number in table.lines_of[key]))
    candidate = first_that_helps(connected)
    if candidate is not None:
        return candidate
    # Nothing helps alone: hide the largest nearby count (most room) and look again.
    for group in (nearby, connected, eligible(table.published_keys)):
        if group:
            return max(group, key=lambda key: (table.values[key], key))
    return None


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CellOutcome:
    """One published number: what to display and why.  ``count`` never leaves the program."""

    count: int = field(repr=False)
    display: int | str
    reason: str


@dataclass(frozen=True)
class SuppressedTable:
    table: CountTable
    pattern: Mapping[CellKey, str] = field(repr=False)
    policy: SuppressionPolicy
    cells: tuple[tuple[CellOutcome, ...], ...]
    row_totals: tuple[CellOutcome, ...] | None
    column_totals: tuple[CellOutcome, ...] | None
    grand_total: CellOutcome | None

    def display_rows(self) -> list[list[int | str]]:
        return [[outcome.display for outcome in row] for row in self.cells]


@dataclass(frozen=True)
class SuppressedCounts:
    table: CountTable
    pattern: Mapping[CellKey, str] = field(repr=False)
    policy: SuppressionPolicy
    cells: tuple[CellOutcome, ...]
    total: CellOutcome | None

    def display_values(self) -> list[int | str]:
        return [outcome.display for outcome in self.cells]


def _outcome(table: CountTable, pattern: Pattern, key: CellKey, policy: SuppressionPolicy) -> CellOutcome:
    count, reason = table.values[key], pattern[key]
    return CellOutcome(
        count=count, display=count if reason == SHOWN else policy.label_for(reason), reason=reason
    )


def suppress_counts(
    counts: Sequence[int], *, publish_total: bool = True, policy: SuppressionPolicy = DEFAULT_POLICY
) -> SuppressedCounts:
    """Suppress a 1-D list of counts (e.g. people served per site) and its total."""
    table = CountTable.from_counts(counts, publish_total=publish_total)
    pattern = choose_suppression_pattern(table, policy=policy)
    return SuppressedCounts(
        table=table,
        pattern=pattern,
        policy=policy,
        cells=tuple(_outcome(table, pattern, CellKey(CELL, 0, j), policy) for j in range(table.n_columns)),
        total=_outcome(table, pattern, CellKey(ROW_TOTAL, 0), policy) if publish_total else None,
    )


def suppress_table(
    rows: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    grand_total: bool = True,
    policy: SuppressionPolicy = DEFAULT_POLICY,
) -> SuppressedTable:
    """Suppress a 2-D table of counts (e.g. sites x months) and whichever margins are published."""
    table = CountTable.from_rows(
        rows, row_totals=row_totals, column_totals=column_totals, grand_total=grand_total
    )
    pattern = choose_suppression_pattern(table, policy=policy)

    def outcome(key: CellKey) -> CellOutcome:
        return _outcome(table, pattern, key, policy)

    return SuppressedTable(
        table=table,
        pattern=pattern,
        policy=policy,
        cells=tuple(
            tuple(outcome(CellKey(CELL, i, j)) for j in range(table.n_columns)) for i in range(table.n_rows)
        ),
        row_totals=tuple(outcome(CellKey(ROW_TOTAL, i)) for i in range(table.n_rows)) if row_totals else None,
        column_totals=(
            tuple(outcome(CellKey(COLUMN_TOTAL, -1, j)) for j in range(table.n_columns))
            if column_totals
            else None
        ),
        grand_total=outcome(GRAND_TOTAL_KEY) if grand_total else None,
    )
