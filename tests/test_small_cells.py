"""The small-cell rule, checked from the reader's side.

The property tests do not reuse the module's own reasoning (rectangles). They take only what a reader
sees (shown counts, "<5" meaning 1-4, "x" meaning 5 or more, rows that are never shown meaning 0 or
more) and ask a linear-programming solver (scipy HiGHS) for the smallest and largest value each hidden
cell can have while every row and column still adds up. A hidden small count is safe when those differ.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from participation import small_cells
from participation.small_cells import (
    hide_small_groups,
    is_publishable,
    mask,
    mask_counts,
    protect_grid,
    protect_parts,
    protect_row,
    protect_table,
)

LT5, X = str(small_cells.HIDDEN_LABEL), str(small_cells.SECONDARY_LABEL)


def test_counts_one_to_four_are_masked():
    assert [mask(n) for n in range(7)] == [0, "<5", "<5", "<5", "<5", 5, 6]
    assert not is_publishable(4) and is_publishable(5) and is_publishable(0)


def test_mask_counts_and_hide_small_groups():
    assert mask_counts({"a": 3, "b": 12}) == {"a": "<5", "b": 12}
    assert hide_small_groups({"young": [1, 2, 3], "old": list(range(5))}) == {"old": [0, 1, 2, 3, 4]}


# --- the reader's view --------------------------------------------------------------------------------

UNSEEN = object()  # a cell the reader does not see at all (a row that is never shown)


def reader_bounds(seen):
    if seen is UNSEEN:
        return (0, None)
    if seen == LT5:
        return (1, 4)
    if seen == X:
        return (5, None)
    return (seen, seen)


def feasible_intervals(view):
    """For a grid of what the reader sees ((R+1) x (C+1), totals last), the (min, max) of every cell that
    is not shown as a number, given that every row and column adds up. Uses nothing but `view`."""
    rows, cols = len(view), len(view[0])
    unknown = [(i, j) for i in range(rows) for j in range(cols) if not isinstance(view[i][j], int)]
    index = {cell: k for k, cell in enumerate(unknown)}
    equations, rhs = [], []

    def add(line):  # line: [(cell, coefficient)], sum of coefficient * value = 0
        row, known = np.zeros(len(unknown)), 0.0
        for cell, coefficient in line:
            if cell in index:
                row[index[cell]] += coefficient
            else:
                known += coefficient * view[cell[0]][cell[1]]
        equations.append(row)
        rhs.append(-known)

    for i in range(rows):
        add([((i, j), 1) for j in range(cols - 1)] + [((i, cols - 1), -1)])
    for j in range(cols):
        add([((i, j), 1) for i in range(rows - 1)] + [((rows - 1, j), -1)])
    bounds = [reader_bounds(view[i][j]) for i, j in unknown]
    intervals = {}
    for cell, k in index.items():
        ends = []
        for sign in (1, -1):
            objective = np.zeros(len(unknown))
            objective[k] = sign
            result = linprog(objective, A_eq=np.array(equations), b_eq=np.array(rhs), bounds=bounds,
                             method="highs")
            if result.status == 3:  # unbounded: no largest value
                ends.append(float("inf"))
                continue
            assert result.status == 0, result.message  # the true table is always feasible
            ends.append(sign * result.fun)
        intervals[cell] = tuple(ends)
    return intervals


def assert_honest(view, truth):
    for i, row in enumerate(view):
        for j, seen in enumerate(row):
            value = truth[i][j]
            if seen is UNSEEN:
                continue
            if seen == LT5:
                assert 1 <= value <= 4
            elif seen == X:
                assert value >= 5
            else:
                assert seen == value


def assert_no_small_cell_derivable(view, truth, also=()):
    """Every "<5" cell, and every unseen cell listed in `also` that holds 1-4, has at least two possible
    values (the LP's min and max differ by at least 1; the grid's equations are totally unimodular,
    so the ends are whole numbers)."""
    intervals = feasible_intervals(view)
    for i, row in enumerate(view):
        for j, seen in enumerate(row):
            if seen == LT5 or ((i, j) in also and 1 <= truth[i][j] <= 4):
                low, high = intervals[(i, j)]
                assert high - low >= 1 - 1e-6, (i, j, truth, view, (low, high))


def full_grid(counts):
    grid = [row + [sum(row)] for row in counts]
    grid.append([sum(col) for col in zip(*grid, strict=True)])
    return grid


count = st.one_of(st.integers(0, 4), st.integers(0, 30))


@st.composite
def tables(draw, min_rows=1, max_rows=5, max_cols=5):
    rows = draw(st.integers(min_rows, max_rows))
    cols = draw(st.integers(1, max_cols))
    return [[draw(count) for _ in range(cols)] for _ in range(rows)]


WITHHELD = []
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SMALL = settings(SETTINGS, max_examples=100)


@SETTINGS
@given(tables())
def test_random_tables_with_all_totals_shown_hide_every_small_cell(counts):
    table = protect_table(counts)
    if table.withheld:
        WITHHELD.append(counts)
        return  # nothing of the table is shown
    view = [r + [t] for r, t in zip(table.rows, table.row_totals, strict=True)]
    view.append(table.column_totals + [table.grand_total])
    truth = full_grid(counts)
    assert_honest(view, truth)
    assert_no_small_cell_derivable(view, truth)
    # Nothing small is ever shown as a number.
    assert not any(isinstance(v, int) and 0 < v < 5 for row in view for v in row)


@SETTINGS
@given(tables(max_rows=4, max_cols=3), st.lists(st.integers(0, 6), min_size=3, max_size=3))
def test_random_splits_under_published_totals(counts, extra):
    """As in the statement game: the column totals (everyone online) are published elsewhere and stay;
    people in no shown row (did not say, or in a group under 5) form a row nobody sees."""
    width = len(counts[0])
    extra = (extra * width)[:width]
    totals = [sum(row[j] for row in counts) + extra[j] for j in range(width)]
    table = protect_table(counts, column_totals=totals, fixed_column_totals=True)
    truth, residual = small_cells.grid_with_totals(counts, totals)
    if table.withheld:
        return  # nothing of the split is shown
    view = [r + [t] for r, t in zip(table.rows, table.row_totals, strict=True)]
    view.append([UNSEEN] * (width + 1))
    view.append(totals + [sum(totals)])
    assert_honest(view, truth)
    assert_no_small_cell_derivable(view, truth, also={(residual, j) for j in range(width + 1)})


@SMALL
@given(st.lists(count, min_size=1, max_size=8), st.booleans())
def test_random_rows_with_a_total(counts, total_fixed):
    shown, total, ok = protect_row(counts, total_fixed=total_fixed)
    view = [shown + [total], [UNSEEN] * (len(counts) + 1)]
    truth = [counts + [sum(counts)], counts + [sum(counts)]]
    if ok:
        assert_honest(view, truth)
        assert_no_small_cell_derivable(view, truth)
    else:  # nothing shown
        assert shown == [] and total is None


@SMALL
@given(st.lists(count, min_size=1, max_size=6), st.integers(0, 6), st.sampled_from(["free", "shown", "hidden"]))
def test_random_parts_of_a_total_with_a_rest_nobody_sees(parts, rest, how):
    """Friends per link beside "through friends" (friends of friends are in no link)."""
    total = sum(parts) + rest
    if how == "free":
        label = None
    elif how == "shown" or total == 0:
        label = total
    else:  # another table already hides the total
        label = LT5 if total < 5 else X
    shown, shown_total, ok = protect_parts(parts, total, total_label=label)
    if not ok:
        assert shown == [] and shown_total is None
        return
    view = [shown + [UNSEEN, shown_total], [UNSEEN] * (len(parts) + 2)]
    truth = [parts + [rest, total], parts + [rest, total]]
    assert_honest(view, truth)
    assert_no_small_cell_derivable(view, truth, also={(0, len(parts))})


def test_the_reported_leak_is_closed():
    """Jongeren 9 | 5 | 1 | 15 beside another group: the 1 no longer follows from the row total."""
    table = protect_table([[9, 5, 1], [8, 7, 6]])
    assert table.rows[0][2] == LT5
    view = [r + [t] for r, t in zip(table.rows, table.row_totals, strict=True)]
    view.append(table.column_totals + [table.grand_total])
    low, high = feasible_intervals(view)[(0, 2)]
    assert high > low
    # And it needs only a rectangle: four cells hidden, the rest shown.
    hidden = sum(1 for row in view for v in row if v in (LT5, X))
    assert hidden == 4


def test_without_protection_the_1_is_derivable():
    """The check itself can fail: the old masking (only 1-4) leaves the 1 at exactly one value."""
    view = [[9, 5, LT5, 15], [8, 7, 6, 21], [17, 12, 7, 36]]
    assert feasible_intervals(view)[(0, 2)] == pytest.approx((1, 1))


def test_a_total_given_away_elsewhere_withholds_the_table():
    """Room total: 1 neutral, and the only other group said 0: the 1 must be the Jongeren's."""
    table = protect_table([[9, 5, 1], [8, 7, 0]], column_totals=[17, 12, 1], fixed_column_totals=True)
    assert table.withheld


def test_zeros_are_shown_and_never_hidden_as_x():
    table = protect_table([[0, 12, 3], [0, 20, 9]])
    assert [row[0] for row in table.rows] == [0, 0]


def test_protect_grid_is_deterministic():
    grid = full_grid([[1, 7, 9], [3, 12, 4], [6, 6, 6]])
    first = protect_grid(grid)
    assert first.status == protect_grid(grid).status and first.ok
