"""The small-cell rule, in one place: published figures never show a group of fewer than 5 people, and
no such group can be worked out from what is shown.

Anything shown outside a coordinator's own screen (public pages, exports, an intermediary's dashboard)
passes its counts through here. Coordinators see exact counts.

Two steps, as statistical offices do it (CBS and its tool tau-ARGUS, "primary and secondary cell
suppression"; see Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, ch. 4, and CBS's
"Statistische beveiliging" guidelines):

1. **Primary suppression.** A count of 1-4 is not shown; it reads "<5" (`HIDDEN_LABEL`).
   A count of 0 is shown, as CBS does: an empty cell is information, but hiding every 0 would hide most
   of a small table, and a 0 cannot point at a person. Because 0 and 5+ are shown, "<5" tells a reader
   that the value is 1, 2, 3 or 4, and the checks below assume the reader knows that.
2. **Secondary suppression.** A table with totals lets a reader subtract: in `9 | 5 | <5 | 15` the
   hidden cell is 1. So, for every hidden count, we make sure that at least two values fit everything
   that is shown. The tool is the 2 x 2 "rectangle" (the hypercube method of tau-ARGUS, in two
   dimensions): four hidden cells at the corners of a rectangle in the table *with its totals* can move
   by +1 and -1 around the rectangle and every row and column still adds up. We add, for each hidden
   count that no rectangle protects yet, the cheapest rectangle (the smallest sum of newly hidden counts,
   totals included, because they count too), and only one whose corners stay within what the reader knows
   of them after the move: "<5" stays 1-4, another hidden count stays 5 or more, a row that is never
   shown stays 0 or more. Such a cell is shown as "x" (`SECONDARY_LABEL`): it is not small, it is hidden
   so that a small one cannot be worked out. Zeros are never used for this (a hidden 0 next to "x = 5 or
   more" would be a contradiction a reader could use).

   When no rectangle exists (for example because a total is published elsewhere and must stay, and it
   already gives the cell away), `Protection.ok` is False and the caller withholds the whole table
   ("not shown for this group split").

Why suppression and not CBS's other tool, rounding every count to a multiple of 5: the statement game
shows how many people agreed, and a facilitator or resident who counted 12 cards would see 10; rounded
totals no longer add up, which confuses a B1 reader more than an "x". Suppression keeps every shown
number true. Rounding stays the better choice for very large tables; none is published here.

Why rectangles and not an exact optimiser: published tables here have at most a few dozen cells, the
rectangle rule is explainable ("we hid four numbers that could swap"), and a rectangle that moves within
the reader's bounds is a *proof* that the cell has at least two possible values. tests/test_small_cells.py
checks this independently with linear programming (scipy HiGHS): for random tables it computes the
smallest and largest value each hidden cell can have given only what is shown, and asserts they differ.

Which function for which table:
- `mask(count)`: a count that stands alone (no total shown, nothing to add it up with);
- `protect_table(counts, column_totals=..., fixed_column_totals=...)`: a table with row totals, whose
  column totals are shown here or elsewhere (statement-game splits against the room and online totals);
- `protect_row(counts, total_fixed=...)`: one line with its total (a panel report's categories);
- `protect_parts(parts, total, total_label=...)`: parts of a total with a rest nobody sees (friends per
  link beside "through friends");
- `protect_grid(...)`: the general case; `sensitive=` limits protection to the people the reader does
  not know (an intermediary knows the people they brought in; only their friends are protected).

Screens that only coordinators (and other municipal staff in the admin) see keep exact numbers: the
reach report (Reports > "Reach of intermediaries", Coordinator only) and the signal statistics (Reports
> "Signals per theme and month", Coordinator and Editor, no export). They are not published.

Tables here are grids of (rows + 1) x (columns + 1) values: the last column holds row totals, the last
row column totals, the corner the grand total. A cell can be:
- *fixed*: always shown, because it is published elsewhere (the room's total in the statement game);
- *hidden*: never shown (people who did not say their age, groups under 5 left out); protected like a
  "<5" when it holds 1-4, because it is a group of people too.
"""

from dataclasses import dataclass, field
from itertools import product

from django.utils.translation import gettext_lazy as _

MIN_GROUP_SIZE = 5
HIDDEN_LABEL = _("<5")
SECONDARY_LABEL = _("x")

SHOWN = "shown"
PRIMARY = "primary"  # 1-4, shown as "<5"
SECONDARY = "secondary"  # 5 or more, hidden so that a small count cannot be worked out; shown as "x"
HIDDEN = "hidden"  # never shown (not part of the published table)

# What a reader knows of a cell they cannot see (inclusive bounds; None is no upper bound).
READER_BOUNDS = {PRIMARY: (1, MIN_GROUP_SIZE - 1), SECONDARY: (MIN_GROUP_SIZE, None), HIDDEN: (0, None)}


def is_publishable(count):
    """A count can be shown as is when it is zero or at least MIN_GROUP_SIZE."""
    return count == 0 or count >= MIN_GROUP_SIZE


def mask(count):
    """The count as it may be published on its own: 1-4 becomes "<5".

    Only for a count that stands alone. A count that sits in a table with a total, or that a reader
    can add up with others, goes through `protect_grid`, `protect_table` or `protect_row`.
    """
    return count if is_publishable(count) else str(HIDDEN_LABEL)


def mask_counts(counts):
    """Mask every value of a {category: count} mapping (counts without a shown total)."""
    return {key: mask(value) for key, value in counts.items()}


def hide_small_groups(groups, size=len):
    """Keep only groups (of any kind) whose size is at least MIN_GROUP_SIZE; for splits by group."""
    return {key: value for key, value in groups.items() if size(value) >= MIN_GROUP_SIZE}


def display(value, status):
    """What a reader sees for a cell: the count, "<5" or "x"."""
    if status == PRIMARY:
        return str(HIDDEN_LABEL)
    if status in (SECONDARY, HIDDEN):
        return str(SECONDARY_LABEL)
    return value


@dataclass
class Protection:
    """The outcome of protect_grid: a status per cell, and whether every small count is safe."""

    values: list
    status: list
    ok: bool = True
    unsafe: list = field(default_factory=list)

    def shown(self, i, j):
        """The value to publish for cell (i, j): the count, "<5" or "x"."""
        return display(self.values[i][j], self.status[i][j])

    @property
    def any_hidden(self):
        return any(s in (PRIMARY, SECONDARY) for row in self.status for s in row)


def _sign(i, j, rows, cols):
    """+1 for inner cells and the grand total, -1 for row and column totals: with these signs every row
    and column of the grid (totals included) adds up to 0, so a +t/-t move round a rectangle keeps every
    sum."""
    return -1 if (i == rows - 1) != (j == cols - 1) else 1


def _fits(value, status, delta):
    low, high = READER_BOUNDS.get(status, (value, value))
    new = value + delta
    return new >= low and (high is None or new <= high)


def protect_grid(values, *, fixed=(), hidden=(), protect_hidden=True, sensitive=None, preset=None):
    """Decide which cells of a grid with totals may be shown.

    values: (R + 1) rows of (C + 1) whole numbers, the last column and last row being totals that add
    up. fixed: cells (i, j) that stay shown whatever happens (published elsewhere, or known to the
    reader anyway). hidden: cells never shown. sensitive: when given, only these cells need protection
    (for example only the row of people the reader does not know); counts of 1-4 elsewhere still read
    "<5". preset: {cell: PRIMARY or SECONDARY} for cells another table already hides (their label is
    what the reader knows of them). Returns a Protection. Deterministic: the same table always gives the
    same result.
    """
    rows, cols = len(values), len(values[0])
    fixed, hidden = set(fixed), set(hidden)
    status = [[SHOWN] * cols for _ in range(rows)]
    targets = []
    for i, j in product(range(rows), range(cols)):
        value = values[i][j]
        small = 0 < value < MIN_GROUP_SIZE
        wanted = sensitive is None or (i, j) in sensitive
        if preset and (i, j) in preset:
            status[i][j] = preset[(i, j)]
            if small and wanted:
                targets.append((i, j))
        elif (i, j) in hidden:
            status[i][j] = HIDDEN
            if small and protect_hidden and wanted:
                targets.append((i, j))
        elif (i, j) not in fixed and small:
            status[i][j] = PRIMARY
            if wanted:
                targets.append((i, j))

    def usable(a, b):
        """Already hidden, or may be hidden now: not fixed, not 0."""
        return status[a][b] != SHOWN or ((a, b) not in fixed and values[a][b] >= MIN_GROUP_SIZE)

    def would_be(a, b):
        return status[a][b] if status[a][b] != SHOWN else SECONDARY

    unsafe = []
    for i, j in targets:
        best = None
        for i2, j2 in product(range(rows), range(cols)):
            if i2 == i or j2 == j:
                continue
            corners = [(i, j, 1), (i, j2, -1), (i2, j2, 1), (i2, j, -1)]
            if not all(usable(a, b) for a, b, _s in corners):
                continue
            if not any(
                all(_fits(values[a][b], would_be(a, b), t * s * _sign(a, b, rows, cols)) for a, b, s in corners)
                for t in (1, -1)
            ):
                continue
            new = [(a, b) for a, b, _s in corners if status[a][b] == SHOWN]
            cost = (sum(values[a][b] for a, b in new), len(new), i2, j2)
            if best is None or cost < best[0]:
                best = (cost, new)
        if best is None:
            unsafe.append((i, j))
            continue
        for a, b in best[1]:
            status[a][b] = SECONDARY
    return Protection(values=values, status=status, ok=not unsafe, unsafe=unsafe)


def grid_with_totals(counts, column_totals=None):
    """The grid for `counts` (rows of inner counts) with row totals, column totals and the grand total.

    column_totals, when given, may be larger than the column sums (people in no shown row); the
    difference becomes an extra last inner row. Returns (grid, residual_row_index or None).
    """
    width = len(counts[0]) if counts else len(column_totals or [])
    sums = [sum(row[j] for row in counts) for j in range(width)]
    inner = [list(row) for row in counts]
    residual = None
    if column_totals is not None:
        rest = [total - done for total, done in zip(column_totals, sums, strict=True)]
        if any(value < 0 for value in rest):
            raise ValueError("column totals smaller than the rows they add up")
        residual = len(inner)
        inner.append(rest)
        sums = list(column_totals)
    grid = [row + [sum(row)] for row in inner]
    grid.append(sums + [sum(sums)])
    return grid, residual


@dataclass
class ProtectedTable:
    """A table of counts as it may be published: `rows` and `row_totals`, `column_totals`, `grand_total`
    hold the count, "<5" or "x". `withheld` means no protection was possible: show nothing of the
    table (all lists are then empty)."""

    rows: list
    row_totals: list
    column_totals: list
    grand_total: object
    withheld: bool
    any_hidden: bool


def protect_table(counts, *, column_totals=None, fixed_column_totals=False, show_column_totals=True):
    """Protect a table of inner counts (a list of rows) with its row totals.

    column_totals: the published totals per column when they include people in no row of the table
    (for example people who did not say their age); they then form a hidden row. fixed_column_totals:
    the column totals are published elsewhere and cannot be hidden here. show_column_totals=False: the
    table shows no column totals and they are not published elsewhere (they are then hidden, not
    protected: every shown row still is).
    """
    if not counts:
        return ProtectedTable([], [], [], None, False, False)
    grid, residual = grid_with_totals(counts, column_totals)
    last = len(grid) - 1
    width = len(grid[0])
    hidden = set()
    if residual is not None:
        hidden |= {(residual, j) for j in range(width)}
    if not show_column_totals:
        hidden |= {(last, j) for j in range(width)}
    fixed = {(last, j) for j in range(width)} if fixed_column_totals else set()
    protection = protect_grid(grid, fixed=fixed, hidden=hidden,
                              protect_hidden=residual is not None)
    shown_rows = len(counts)
    if not protection.ok:
        return ProtectedTable([], [], [], None, withheld=True, any_hidden=True)
    return ProtectedTable(
        rows=[[protection.shown(i, j) for j in range(width - 1)] for i in range(shown_rows)],
        row_totals=[protection.shown(i, width - 1) for i in range(shown_rows)],
        column_totals=[protection.shown(last, j) for j in range(width - 1)],
        grand_total=protection.shown(last, width - 1),
        withheld=False, any_hidden=protection.any_hidden,
    )


def protect_row(counts, *, total_fixed=False):
    """Protect one line of counts shown with its total (a 1-D table).

    Returns (shown counts, shown total, ok). With ok False nothing may be shown: ([], None, False).
    total_fixed: the total is published anyway (elsewhere on the page, or it can be worked out).
    """
    counts = list(counts)
    if not counts:
        return [], 0, True
    # One inner row; the column "totals" would repeat it, so they are hidden and not protected twice.
    grid = [counts + [sum(counts)], counts + [sum(counts)]]
    width = len(counts) + 1
    hidden = {(1, j) for j in range(width)}
    fixed = {(0, width - 1)} if total_fixed else set()
    protection = protect_grid(grid, fixed=fixed, hidden=hidden, protect_hidden=False)
    if not protection.ok:
        return [], None, False
    return ([protection.shown(0, j) for j in range(width - 1)], protection.shown(0, width - 1), True)


def protect_parts(parts, total, *, total_label=None):
    """Protect counts that are parts of a shown total, with a rest nobody sees (total - sum of parts).

    For example friends per link beside "through friends" in total (friends of friends are in no link).
    total_label: what is already published for the total: None when it may still be hidden here, a
    number when it is shown (it then stays), or "<5" / "x" when another table hides it.
    Returns (shown parts, shown total, ok); with ok False nothing may be shown: ([], None, False).
    """
    parts = list(parts)
    rest = total - sum(parts)
    if rest < 0:
        raise ValueError("parts add up to more than the total")
    row = parts + [rest, total]
    width = len(row)
    grid = [row, list(row)]
    fixed, preset = set(), {}
    if total_label == str(HIDDEN_LABEL):
        preset[(0, width - 1)] = PRIMARY
    elif total_label == str(SECONDARY_LABEL):
        preset[(0, width - 1)] = SECONDARY
    elif total_label is not None:
        fixed.add((0, width - 1))
    hidden = {(1, j) for j in range(width)} | {(0, width - 2)}
    sensitive = {(0, j) for j in range(width)}
    protection = protect_grid(grid, fixed=fixed, hidden=hidden, sensitive=sensitive, preset=preset)
    if not protection.ok:
        return [], None, False
    shown_total = total_label if total_label is not None else protection.shown(0, width - 1)
    return [protection.shown(0, j) for j in range(width - 2)], shown_total, True
