"""Fair stratified selection of a panel from a pool of volunteers (sortition).

Pure Python with numpy and HiGHS (``highspy``); no Django here, so the rules can be checked on their own
and the ``panel_select`` command, the admin and the benchmark share one implementation.

The lottery follows Flanigan, Gölz, Gupta, Hennig and Procaccia, "Fair algorithms for selecting citizens'
assemblies", Nature 596 (2021): among all lotteries over panels that meet every quota, take the one that
maximises the smallest selection probability of any volunteer (maximin), then the next smallest, and so
on (leximin). Both are found by column generation: a master LP over a growing set of feasible panels and
a pricing MIP that finds the panel with the largest dual-weighted value.

What makes it fast: volunteers with exactly the same feature values are interchangeable, and the leximin
lottery gives them the same probability (it is unique and symmetric). So the LPs and MIPs work on
*types* (distinct feature combinations) and on panel *compositions* (how many of each type), not on
individual people. A composition is turned into concrete panels afterwards, with every member of a type
selected equally often (rotating blocks), so each person's probability is exactly the type's.

Two routes to the lottery (both algorithms try the first):

1. Quick route. If panels could hold fractions of people, the leximin lottery would follow from a few
   small LPs (``_relaxed_leximin``); real lotteries can only do worse, so those probabilities are a
   lexicographic upper bound. A face walk (``_decompose``) writes nearly all of that fractional point as a
   mix of real panels, and a master LP over them, with column generation when needed (``_reach_targets``),
   checks that real panels reach it: then the lottery is leximin-optimal, and therefore maximin-optimal
   too. On realistic pools this is the usual case (n = 2000, K = 100 in seconds).
2. Stage by stage, when real panels cannot reach the relaxation's promise: maximin by column generation,
   then for leximin fix the types that cannot get more and repeat.

Public API (used by ``panels`` models and the ``panel_select`` command):

- ``find_distribution(people, quotas, k, algorithm="leximin") -> Distribution``
- ``find_replacement_distribution(people, quotas, k, keep, algorithm="leximin") -> Distribution`` (the
  lottery for the places left open when the members ``keep`` stay)
- ``draw_panel(distribution, seed) -> list``
- ``replace_dropout(panel_ids, dropout_id, people, quotas, candidates, seed) -> id``
- ``InfeasibleQuotas`` (with ``.relaxations`` and English ``.messages``) and ``InvalidInput``.

``people`` maps an id to ``{feature: value}`` (extra keys are ignored); ``quotas`` maps
``(feature, value)`` to ``(min, max)``. Every person needs a value for every feature that has quotas,
and that value must be one of the feature's quota values.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field
from functools import cached_property

import highspy
import numpy as np

ALGORITHMS = ("leximin", "maximin")

# A column improves the master LP when its reduced value beats the LP's by more than this; the minimum
# probability we report is within this of the optimum (the tests check 1e-6).
GAP_TOLERANCE = 1e-7
# Dual values below this count as zero when deciding which types to fix in leximin.
DUAL_TOLERANCE = 1e-9
MAX_ITERATIONS = 5000
# A leximin lottery counts as reaching its relaxed targets when every type gets at least (1 − this) ×
# its target probability.
TARGET_TOLERANCE = 1e-7
# Master LP rounds allowed to complete the relaxed-leximin lottery from the face walk's panels.
TARGET_ROUNDS = 200
# How far a fixed probability is lowered when the master LP reports the fixed values infeasible.
FIX_SLACK = 1e-8
# Weight of the best dual so far when pricing (dual smoothing, see _column_generation).
SMOOTHING = 0.5
# After each improving panel, price this many more times with the weights of the types just taken
# lowered by SHIFT × their share: more columns per master LP round (measured: a third fewer rounds).
EXTRA_COLUMNS = 3
SHIFT = 0.9
# Jittered LPs the face walk tries for a whole panel before it asks the MIP (an LP takes ~3 ms, the MIP ~60 ms
# on 1,439 types; 16 instead of 4 halved the 5,000-volunteer pool: 41 s -> 22 s, measured at load ~3).
LP_TRIES = 16


class InvalidInput(ValueError):
    """The input itself is malformed (unknown value, min > max, ...), as opposed to infeasible."""


class InfeasibleQuotas(Exception):
    """No panel of size k meets every quota.

    ``relaxations`` is a list of ``(feature, value, "min" | "max", current, suggested)``: the smallest
    total change to the quotas (fewest seats moved) that makes a panel possible. ``messages`` says the same
    in plain English, one sentence per line; ``str()`` joins them. Callers with Django translate from the
    structured ``relaxations``.
    """

    def __init__(self, relaxations=(), messages=None):
        self.relaxations = list(relaxations)
        if messages is None:
            messages = [_relaxation_message(r) for r in self.relaxations]
        self.messages = list(messages)
        super().__init__(" ".join(self.messages) or "No panel meets every quota.")


def _relaxation_message(relaxation):
    feature, value, bound, current, suggested = relaxation
    if bound == "min":
        return (
            f"Lower the minimum for {feature} = {value} from {current} to {suggested} "
            f"(the pool or the other quotas do not allow {current})."
        )
    return f"Raise the maximum for {feature} = {value} from {current} to {suggested}."


@dataclass
class Distribution:
    """A lottery over panels: ``panels[i]`` is drawn with probability ``weights[i]``.

    ``probabilities`` lists every volunteer (summing to k); ``min_probability`` is the smallest of them.
    ``optimal`` is False when the work stopped early (``max_seconds`` or the iteration limit): then
    ``stop_reason`` says why in English and ``selectable_at_zero`` lists who got no chance though a panel
    could hold them (the early stop tries to leave nobody there).
    ``compositions`` is the same lottery by type counts (``types`` gives each type's feature values and
    members); ``unselectable`` lists volunteers no panel meeting the quotas can contain.
    """

    algorithm: str
    k: int
    probabilities: dict
    min_probability: float
    seconds: float
    compositions: list
    composition_weights: list
    types: list = field(repr=False)
    members: list = field(repr=False)
    unselectable: list = field(default_factory=list)
    iterations: int = 0
    optimal: bool = True
    maximin_optimal: bool = True
    stop_reason: str = ""
    pool_order: dict = field(default_factory=dict, repr=False)

    @cached_property
    def _expanded(self):
        panels, weights = [], []
        for composition, weight in zip(self.compositions, self.composition_weights, strict=True):
            for panel, share in _expand_composition(composition, self.members):
                panels.append(panel)
                weights.append(weight * share)
        total = math.fsum(weights)
        return panels, [w / total for w in weights]

    @property
    def selectable_at_zero(self):
        """Volunteers some panel could hold who have probability 0 all the same (only when not optimal)."""
        out = set(self.unselectable)
        return [p for p, value in self.probabilities.items() if value <= 1e-9 and p not in out]

    @property
    def panels(self):
        return self._expanded[0]

    @property
    def weights(self):
        return self._expanded[1]


def _expand_composition(composition, members):
    """Concrete panels for one composition, with exact equal chances within each type.

    Members of a type with n people of whom c are taken sit in a circle; block j takes the c places
    starting at j·c. Over the n/gcd(n, c) blocks every member is taken equally often, so each has
    chance c/n. All types use one common uniform number u ∈ [0, 1) to pick their block, so the panels are
    the pieces of [0, 1) between the blocks' boundaries; each piece's length is its weight.
    """
    parts = []
    cuts = {0.0}
    for t, c in enumerate(composition):
        if c == 0:
            continue
        n = len(members[t])
        blocks = n // math.gcd(n, c)
        parts.append((t, c, n, blocks))
        if blocks > 1:
            cuts.update(j / blocks for j in range(1, blocks))
    cuts = sorted(cuts)
    cuts.append(1.0)
    # Block index per piece, from the piece's midpoint; merge pieces that give the same panel.
    result = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        if right - left <= 1e-15:
            continue
        u = (left + right) / 2
        ids = []
        for t, c, n, blocks in parts:
            start = int(u * blocks) * c
            ids.extend(members[t][(start + i) % n] for i in range(c))
        result.append((ids, right - left))
    return [(tuple(ids), share) for ids, share in result]


def draw_panel(distribution, seed):
    """Draw one panel from the lottery; the same distribution and seed always give the same panel.

    Uses Python's ``random.Random(seed)``, whose ``random()`` sequence is stable across Python versions.
    Ids come back in pool order.
    """
    weights = distribution.weights
    r = random.Random(seed).random()
    cumulative = 0.0
    chosen = len(weights) - 1
    for index, weight in enumerate(weights):
        cumulative += weight
        if r < cumulative:
            chosen = index
            break
    order = distribution.pool_order
    return sorted(distribution.panels[chosen], key=order.__getitem__)


# --- input checks and types ---------------------------------------------------------------------------


def _features_of(quotas):
    features = []
    for key in quotas:
        if not (isinstance(key, tuple) and len(key) == 2):
            raise InvalidInput(f"Quota keys must be (feature, value) pairs, not {key!r}.")
        if key[0] not in features:
            features.append(key[0])
    return features


def _check_quotas(quotas):
    if not quotas:
        raise InvalidInput("There are no quotas: give at least one feature with values and bounds.")
    for (feature, value), bounds in quotas.items():
        try:
            low, high = bounds
        except (TypeError, ValueError):
            raise InvalidInput(f"The quota for {feature} = {value} must be a (min, max) pair.") from None
        for bound in (low, high):
            if isinstance(bound, bool) or not isinstance(bound, (int, np.integer)):
                raise InvalidInput(f"The quota for {feature} = {value} must be whole numbers, not {bound!r}.")
        if low < 0:
            raise InvalidInput(f"The minimum for {feature} = {value} is negative ({low}).")
        if low > high:
            raise InvalidInput(f"The minimum for {feature} = {value} ({low}) is larger than its maximum ({high}).")


def _types(people, quotas):
    """Group people by their feature values: (features, type keys, members per type, pool order)."""
    features = _features_of(quotas)
    values = {f: {v for (g, v) in quotas if g == f} for f in features}
    index = {}
    keys, members = [], []
    for person, answers in people.items():
        key = []
        for f in features:
            if f not in answers:
                raise InvalidInput(f"Volunteer {person} has no value for {f}.")
            value = answers[f]
            if value not in values[f]:
                allowed = ", ".join(sorted(map(str, values[f])))
                raise InvalidInput(
                    f"Volunteer {person} has {f} = {value!r}, which has no quota (the values of {f} are: {allowed})."
                )
            key.append(value)
        key = tuple(key)
        if key not in index:
            index[key] = len(keys)
            keys.append(key)
            members.append([])
        members[index[key]].append(person)
    return features, keys, members


def _check_k(k):
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InvalidInput(f"The panel size must be a whole number of at least 1, not {k!r}.")


# --- the pricing MIP ------------------------------------------------------------------------------------


class _Pricing:
    """max Σ weight_t·c_t over compositions c: Σ c_t = k, quotas hold, 0 ≤ c_t ≤ n_t, integer."""

    def __init__(self, sizes, rows, k):
        self.T = len(sizes)
        self.h = h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("mip_rel_gap", 1e-9)
        h.setOptionValue("mip_abs_gap", 1e-10)
        h.setOptionValue("presolve", "off")
        lp = highspy.HighsLp()
        lp.num_col_ = self.T
        lp.num_row_ = len(rows) + 1
        lp.col_cost_ = np.zeros(self.T)
        lp.col_lower_ = np.zeros(self.T)
        lp.col_upper_ = np.asarray(sizes, dtype=float)
        lower = [float(low) for _, low, _ in rows] + [float(k)]
        upper = [float(high) for _, _, high in rows] + [float(k)]
        lp.row_lower_ = np.array(lower)
        lp.row_upper_ = np.array(upper)
        # Column-wise matrix: type t is in one quota row per feature, and in the size row.
        entries = [[] for _ in range(self.T)]
        for r, (ts, _, _) in enumerate(rows):
            for t in ts:
                entries[t].append(r)
        start, index = [0], []
        for t in range(self.T):
            index.extend(sorted(entries[t]) + [len(rows)])
            start.append(len(index))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.array(start, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.ones(len(index))
        lp.integrality_ = [highspy.HighsVarType.kInteger] * self.T
        lp.sense_ = highspy.ObjSense.kMaximize
        h.passModel(lp)
        # The same MIP with one more row, "value ≥ threshold", that stops at its first solution: finding
        # *an* improving panel (or proving there is none) is far cheaper than finding the best one.
        self.cut = highspy.Highs()
        for option, value in (("output_flag", False), ("threads", 1), ("presolve", "off"),
                              ("mip_max_improving_sols", 1)):
            self.cut.setOptionValue(option, value)
        self.cut.passModel(lp)
        self.cut.addRow(-highspy.kHighsInf, highspy.kHighsInf, self.T, np.arange(self.T, dtype=np.int32),
                        np.ones(self.T))
        self.cut_row = len(rows) + 1
        # The same model without integrality: its optimum is a valid (and here usually tight) bound.
        self.relax = highspy.Highs()
        self.relax.setOptionValue("output_flag", False)
        self.relax.setOptionValue("threads", 1)
        lp.integrality_ = []
        self.relax.passModel(lp)
        self.all = np.arange(self.T, dtype=np.int32)
        self.sizes = np.asarray(sizes, dtype=np.int64)
        matrix, low, high = _quota_matrix(rows, self.T, k)
        self.membership = matrix[:-1].T.astype(np.int32)
        self.low, self.high = low[:-1].astype(np.int32), high[:-1].astype(np.int32)

    def _swap_totals(self, composition, values):
        """(takers, total value after each swap taker→type, feasible swaps) for one-person swaps."""
        counts = self.membership.T @ composition
        takers = np.flatnonzero(composition)
        after = (counts[None, :] - self.membership[takers])[:, None, :] + self.membership[None, :, :]
        feasible = ((after >= self.low) & (after <= self.high)).all(axis=2)
        feasible &= (composition < self.sizes)[None, :]
        feasible[np.arange(len(takers)), takers] = False
        total = float(values @ composition) + values[None, :] - values[takers][:, None]
        return takers, total, feasible

    def improve(self, composition, values, max_steps=200):
        """Best-improvement local search by one-person swaps that keep every quota."""
        composition = composition.copy()
        current = float(values @ composition)
        for _ in range(max_steps):
            takers, total, feasible = self._swap_totals(composition, values)
            total = np.where(feasible, total, -np.inf)
            best = np.unravel_index(np.argmax(total), total.shape)
            if total[best] <= current + 1e-12:
                break
            composition[takers[best[0]]] -= 1
            composition[best[1]] += 1
            current = float(total[best])
        return composition

    def relaxation(self, weights):
        """(optimal point, value) of the LP relaxation: the value bounds every composition's value."""
        self.relax.changeColsCost(self.T, self.all, np.asarray(weights, dtype=float))
        self.relax.run()
        if self.relax.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError("The LP relaxation of the pricing problem did not solve.")
        return np.asarray(self.relax.getSolution().col_value), self.relax.getInfo().objective_function_value

    def integral(self, point):
        """The relaxation's point as a composition when it is integral (then it is also the best
        composition for those weights), else None. Fractional points are left to the MIP: rounding them
        to their floor/ceiling box found no panel in practice (the quotas bind)."""
        rounded = np.rint(point)
        if np.abs(point - rounded).max(initial=0.0) > 1e-9:
            return None
        return rounded.astype(np.int64)

    def improving(self, weights, threshold, start=None):
        """A composition worth more than ``threshold`` at ``weights``, or None when none is.

        The cutoff MIP stops at its first solution. Its row holds up to HiGHS's feasibility tolerance, so
        a solution just below the threshold falls back to the exact MIP; "none" is a proof (the row's
        bound is the threshold itself, so every improving composition is feasible for it)."""
        weights = np.asarray(weights, dtype=float)
        if start is not None and float(weights @ start) > threshold:
            return np.asarray(start, dtype=np.int64)
        scale = 1.0 / max(float(weights.max(initial=0.0)), 1e-12)
        cut = self.cut
        for t in range(self.T):
            cut.changeCoeff(self.cut_row, t, float(weights[t] * scale))
        cut.changeRowBounds(self.cut_row, threshold * scale, highspy.kHighsInf)
        cut.changeColsCost(self.T, self.all, weights)
        cut.run()
        status = cut.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kSolutionLimit):
            raise RuntimeError(f"The MIP solver stopped: {cut.modelStatusToString(status)}")
        composition = np.rint(np.asarray(cut.getSolution().col_value)).astype(np.int64)
        if float(weights @ composition) > threshold:
            return composition
        best = self.solve(weights, start=composition)
        return best if best is not None and float(weights @ best) > threshold else None

    def solve(self, weights, start=None):
        """The best composition for these weights as an int array, or None when none exists.

        ``start``, a feasible composition, is handed to HiGHS as its first incumbent: with a good one
        the search prunes far more (about five times faster on n = 2000, K = 100).
        """
        self.h.changeColsCost(self.T, self.all, np.asarray(weights, dtype=float))
        if start is not None:
            incumbent = highspy.HighsSolution()
            incumbent.col_value = [float(x) for x in start]
            incumbent.value_valid = True
            self.h.setSolution(incumbent)
        self.h.run()
        status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            if status == highspy.HighsModelStatus.kInfeasible:
                return None
            raise RuntimeError(f"The MIP solver stopped: {self.h.modelStatusToString(status)}")
        values = np.asarray(self.h.getSolution().col_value)
        return np.rint(values).astype(np.int64)


def _quota_rows(features, keys, quotas):
    rows, labels = [], []
    position = {f: i for i, f in enumerate(features)}
    for (feature, value), (low, high) in quotas.items():
        ts = [t for t, key in enumerate(keys) if key[position[feature]] == value]
        rows.append((ts, int(low), int(high)))
        labels.append((feature, value))
    return rows, labels


def _quota_matrix(rows, T, k):
    """(matrix, low, high): one row per quota (1 for the types it counts) and a last row for the panel
    size, with their bounds; a composition c meets every quota when low ≤ matrix @ c ≤ high."""
    matrix = np.zeros((len(rows) + 1, T))
    for r, (ts, _, _) in enumerate(rows):
        matrix[r, list(ts)] = 1.0
    matrix[-1] = 1.0
    low = np.array([float(lo) for _, lo, _ in rows] + [float(k)])
    high = np.array([float(hi) for _, _, hi in rows] + [float(k)])
    return matrix, low, high


def _minimal_relaxation(sizes, rows, labels, k):
    """The quota changes with the smallest total that make a composition possible (an MIP with slacks)."""
    T, R = len(sizes), len(rows)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    # Columns: c_t (integer), then per quota a slack below its minimum and one above its maximum.
    inf = highspy.kHighsInf
    n_col = T + 2 * R
    cost = np.concatenate([np.zeros(T), np.ones(2 * R)])
    lower = np.zeros(n_col)
    upper = np.concatenate([np.asarray(sizes, float), [float(low) for _, low, _ in rows], np.full(R, inf)])
    h.addVars(n_col, lower, upper)
    h.changeColsCost(n_col, np.arange(n_col, dtype=np.int32), cost)
    h.changeColsIntegrality(
        n_col, np.arange(n_col, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n_col)
    )
    for r, (ts, low, high) in enumerate(rows):
        idx = np.array(list(ts) + [T + r], dtype=np.int32)
        h.addRow(float(low), inf, len(idx), idx, np.array([1.0] * len(ts) + [1.0]))  # Σc + below ≥ min
        idx = np.array(list(ts) + [T + R + r], dtype=np.int32)
        h.addRow(-inf, float(high), len(idx), idx, np.array([1.0] * len(ts) + [-1.0]))  # Σc − above ≤ max
    h.addRow(float(k), float(k), T, np.arange(T, dtype=np.int32), np.ones(T))
    h.run()
    values = np.rint(np.asarray(h.getSolution().col_value)).astype(int)
    relaxations = []
    for r, ((feature, value), (_, low, high)) in enumerate(zip(labels, rows, strict=True)):
        if values[T + r] > 0:
            relaxations.append((feature, value, "min", low, low - int(values[T + r])))
        if values[T + R + r] > 0:
            relaxations.append((feature, value, "max", high, high + int(values[T + R + r])))
    return relaxations


# --- the master LP ----------------------------------------------------------------------------------------


class _Master:
    """max z over lotteries w on the known compositions.

    Row t (one per type): Σ_c w_c·c_t/n_t − scale_t·z ≥ 0 while t is free (scale_t = 1, or the type's
    target on the quick route), or Σ_c w_c·c_t/n_t ≥ f_t once its probability f_t is fixed (leximin).
    Last row: Σ_c w_c = 1.
    """

    def __init__(self, sizes, targets=None):
        self.sizes = np.asarray(sizes, dtype=float)
        self.T = len(sizes)
        # z's coefficient in row t is −scale_t: 1 for maximin, or the target probability when the LP
        # asks how close a lottery gets to given targets (see _reach_targets).
        self.scale = np.ones(self.T) if targets is None else np.asarray(targets, dtype=float)
        self.h = h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("primal_feasibility_tolerance", 1e-9)
        h.setOptionValue("dual_feasibility_tolerance", 1e-9)
        h.setOptionValue("simplex_strategy", 4)  # primal simplex: adding columns keeps the basis primal feasible
        inf = highspy.kHighsInf
        for _ in range(self.T):
            h.addRow(0.0, inf, 0, np.array([], dtype=np.int32), np.array([]))
        h.addRow(1.0, 1.0, 0, np.array([], dtype=np.int32), np.array([]))
        # z in [0, 1], coefficient −scale_t in type row t.
        h.addCol(1.0, 0.0, 1.0, self.T, np.arange(self.T, dtype=np.int32), -self.scale)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.columns = []
        self.seen = set()
        self._matrix = None
        self.is_fixed = np.zeros(self.T, dtype=bool)
        self.fixed = np.zeros(self.T)
        self.first_solve = True

    def add(self, composition):
        key = tuple(int(x) for x in composition)
        if key in self.seen:
            return False
        self.seen.add(key)
        self.columns.append(np.array(key, dtype=np.int64))
        self._matrix = None
        nz = np.flatnonzero(composition)
        idx = np.append(nz, self.T).astype(np.int32)
        vals = np.append(np.asarray(composition, dtype=float)[nz] / self.sizes[nz], 1.0)
        self.h.addCol(0.0, 0.0, highspy.kHighsInf, len(idx), idx, vals)
        return True

    def best(self, values):
        """The known composition with the highest value."""
        if self._matrix is None:
            self._matrix = np.array(self.columns)
        return self._matrix[int(np.argmax(self._matrix @ values))].copy()

    def bound(self, duals, relaxed):
        """The Lagrangian upper bound on z for duals π ≥ 0, given the best panel's value ``relaxed``
        (or a bound on it): every lottery has Σ_t π_t·p_t ≤ relaxed, and its rows give
        z·Σ_t π_t·scale_t ≤ Σ_t π_t·p_t − Σ_fixed π_t·f_t."""
        weight = float(duals[~self.is_fixed] @ self.scale[~self.is_fixed])
        if weight <= 1e-12:
            return np.inf
        return (relaxed - float(duals[self.is_fixed] @ self.fixed[self.is_fixed])) / weight

    def fix(self, types, value):
        for t in types:
            self.is_fixed[int(t)] = True
            self.fixed[int(t)] = float(value)
            self.h.changeCoeff(int(t), 0, 0.0)
            self.h.changeRowBounds(int(t), float(value), highspy.kHighsInf)

    def loosen(self, slack):
        """Lower every positive fixed probability by ``slack``."""
        for t in np.flatnonzero(self.is_fixed & (self.fixed > 0)):
            self.fixed[t] = max(self.fixed[t] - slack, 0.0)
            self.h.changeRowBounds(int(t), float(self.fixed[t]), highspy.kHighsInf)

    def _run_dual(self):
        self.h.setOptionValue("simplex_strategy", 1)
        self.h.run()
        self.h.setOptionValue("simplex_strategy", 4)

    def solve(self):
        """(z, dual weights π ≥ 0 per type, threshold μ, column weights)."""
        if self.first_solve:
            # From scratch with many columns the primal simplex can stall for minutes on this degenerate
            # LP (seen: 100 s at n = 1000, K = 15); the dual simplex takes a tenth of a second. Re-solves
            # after adding columns stay primal.
            self._run_dual()
            self.first_solve = False
        else:
            self.h.run()
        status = self.h.getModelStatus()
        for attempt in range(3):
            if status != highspy.HighsModelStatus.kInfeasible or not self.is_fixed.any():
                break
            # The lottery that set the fixed values meets them (up to rounding), so "infeasible" is the
            # simplex losing its way on this degenerate LP after new row bounds (seen at n = 300,
            # K = 100): solve afresh with the dual simplex, and after that give the fixed values a little
            # slack before each further try.
            if attempt:
                self.loosen(FIX_SLACK)
            self.h.clearSolver()
            self._run_dual()
            status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"The LP solver stopped: {self.h.modelStatusToString(status)}")
        solution = self.h.getSolution()
        dual = np.asarray(solution.row_dual)
        # HiGHS: reduced cost = cost − Aᵀ·dual. For a column, 0 − Σ_t dual_t·a_t − dual_last > 0 means
        # improving, i.e. Σ_t π_t·a_t > μ with π = −dual_t ≥ 0 and μ = dual_last.
        pi = np.maximum(-dual[: self.T], 0.0)
        mu = float(dual[self.T])
        values = np.asarray(solution.col_value)
        return float(values[0]), pi, mu, values[1:]


# --- the algorithm --------------------------------------------------------------------------------------


def _warm_start(pricing, master, sizes, rng, extra, covered=None):
    """Feasible compositions covering every type that any feasible panel can contain (beyond ``covered``).

    Repeatedly ask for a composition with many not-yet-covered people (random weights on the uncovered
    types, nothing on the covered ones): the relaxation's point when integral, else the first panel the
    cutoff MIP finds with anyone uncovered in it. When the MIP proves there is none, the remaining types
    cannot be selected at all. Then a few random objectives for diversity (integral points only).
    """
    T = len(sizes)
    covered = np.zeros(T, dtype=bool) if covered is None else covered.copy()
    while not covered.all():
        weights = np.where(covered, 0.0, 1.0 + rng.random(T)) / np.sqrt(sizes)
        composition = pricing.integral(pricing.relaxation(weights)[0])
        if composition is None or not ((composition > 0) & ~covered).any():
            composition = pricing.improving(weights, 0.5 * weights[~covered].min())
            if composition is None:
                break
        covered |= composition > 0
        master.add(composition)
    for _ in range(extra):
        composition = pricing.integral(pricing.relaxation(rng.random(T) / sizes)[0])
        if composition is not None:
            master.add(composition)
    return ~covered  # unselectable types


def _column_generation(pricing, master, sizes, deadline, counter, alpha=SMOOTHING, need_duals=True,
                       stop_at=None, max_rounds=None):
    """Add improving columns until no panel improves the master LP by more than GAP_TOLERANCE.

    Pricing first solves the LP relaxation of the pricing problem (its value bounds every panel's); when
    its point is integral it is the best panel for those weights. Only when it is fractional, no improving
    panel is known and the bound still allows one does a MIP run, and it stops at the first improving
    panel (or proves there is none).

    Plain column generation converges slowly here: the LP duals jump between extremes, so each new panel
    helps little. We price at a smoothed dual (Wentges): a mix of the best dual found so far (the one with
    the lowest Lagrangian upper bound) and the current LP dual. Every pricing gives a valid upper bound on
    the stage's optimum: UB(π) = max over panels (at most the relaxation's value) of
    Σ_t π_t·c_t/n_t − Σ_fixed π_t·f_t. A panel that does not improve the LP at the current duals moves the
    centre towards them (a "mis-pricing") and we price again. Each improving panel brings a few more
    (EXTRA_COLUMNS): pricing again with the weights of the types just taken lowered gives different
    panels, which saves master LP rounds.

    A stage ends when the best bound is within GAP_TOLERANCE of the LP value and, when ``need_duals``
    (leximin fixes types by them), pricing at the LP duals themselves finds no improving panel, so those
    duals are optimal ones. Without ``need_duals`` it also ends as soon as z reaches ``stop_at``.
    """
    center, best_bound = None, np.inf
    rounds = 0
    while True:
        z, pi, mu, w = master.solve()
        counter[0] += 1
        rounds += 1
        if not need_duals and (best_bound - z <= GAP_TOLERANCE or (stop_at is not None and z >= stop_at)):
            return z, pi, mu, w, True  # the bound proves z optimal, or z is as high as asked
        values = pi / sizes
        threshold = mu + GAP_TOLERANCE
        smoothing = alpha if (center is not None and best_bound - z > GAP_TOLERANCE) else 0.0
        while True:
            duals = smoothing * center + (1.0 - smoothing) * pi if smoothing else pi
            weights = duals / sizes
            point, relaxed = pricing.relaxation(weights)
            bound = master.bound(duals, relaxed)
            if bound < best_bound:
                best_bound, center = bound, duals
            composition = pricing.integral(point)
            if composition is not None and float(values @ composition) > threshold:
                break  # an improving panel for the LP
            if smoothing:
                center = duals  # mis-pricing: move the centre towards the LP duals and price again
                smoothing = smoothing if best_bound - z > GAP_TOLERANCE else 0.0
                smoothing = 0.0 if smoothing < 0.05 else smoothing * 0.5
                continue
            if relaxed <= threshold or (not need_duals and best_bound - z <= GAP_TOLERANCE):
                return z, pi, mu, w, True  # even the relaxation cannot improve: optimal
            start = pricing.improve(master.best(values), values, max_steps=20)
            composition = pricing.improving(values, threshold, start=start)
            if composition is not None:
                break
            return z, pi, mu, w, True  # the MIP at the LP duals: nothing improves
        master.add(composition)
        _add_neighbours(pricing, master, duals, composition, sizes, values, threshold)
        if (counter[0] >= MAX_ITERATIONS or (max_rounds is not None and rounds >= max_rounds)
                or (deadline is not None and time.monotonic() > deadline)):
            z, pi, mu, w = master.solve()
            return z, pi, mu, w, False


def _add_neighbours(pricing, master, duals, composition, sizes, values, threshold):
    """Up to EXTRA_COLUMNS more improving panels: lower the weight of the types in the last panel found
    (by SHIFT times the share of the type it takes) and price again with the cheap relaxation."""
    shifted = duals.copy()
    for _ in range(EXTRA_COLUMNS):
        shifted = shifted * (1.0 - SHIFT * composition / sizes)
        point, _ = pricing.relaxation(shifted / sizes)
        composition = pricing.integral(point)
        if composition is None or float(values @ composition) <= threshold:
            return
        master.add(composition)


def _kept_counts(keep, people, quotas):
    """How many of the kept members count towards each quota."""
    counts = {key: 0 for key in quotas}
    for person in keep:
        for (feature, value) in quotas:
            if people[person].get(feature) == value:
                counts[(feature, value)] += 1
    return counts


def find_replacement_distribution(people, quotas, k, keep, algorithm="leximin", *, max_seconds=None):
    """The fairest lottery for the k − |keep| places left open when the members ``keep`` stay.

    ``people`` is the whole pool including the kept members; the new draw is over the others only. Each
    quota's bounds are lowered by the kept members it counts (the minimum no lower than 0), so any new
    panel of k − |keep| from the rest that meets those bounds makes kept + new meet the original quotas,
    and the converse holds too: this is the same leximin (or maximin) lottery, conditional on the kept.
    The Distribution's ``k`` and probabilities are those of the new draw (summing to k − |keep|) and it
    lists only the remaining volunteers.

    Raises ``InvalidInput`` when a kept id is not in ``people`` or nobody is left to draw, and
    ``InfeasibleQuotas`` when the kept members already exceed a maximum or the rest of the pool cannot
    complete the quotas (its messages say so; its ``relaxations`` are in terms of the original quotas).
    """
    _check_k(k)
    _check_quotas(quotas)
    keep = list(dict.fromkeys(keep))
    unknown = [person for person in keep if person not in people]
    if unknown:
        raise InvalidInput(f"Kept member(s) not in the pool: {', '.join(map(str, unknown[:20]))}.")
    open_places = int(k) - len(keep)
    if open_places < 1:
        raise InvalidInput(
            f"The {len(keep)} kept members already fill the panel of {k}: there is no place left to draw."
        )
    _types({person: people[person] for person in keep}, quotas)  # the kept need valid values too
    counts = _kept_counts(keep, people, quotas)
    prefix = "The kept members make the quotas unreachable."
    over = [(feature, value, "max", quotas[(feature, value)][1], counts[(feature, value)])
            for (feature, value) in quotas if counts[(feature, value)] > quotas[(feature, value)][1]]
    if over:
        raise InfeasibleQuotas(over, [prefix] + [
            f"{count} kept members have {feature} = {value}, more than its maximum {high}."
            for feature, value, _, high, count in over
        ])
    remaining_quotas = {
        key: (max(low - counts[key], 0), high - counts[key]) for key, (low, high) in quotas.items()
    }
    kept = set(keep)
    rest = {person: answers for person, answers in people.items() if person not in kept}
    if not rest:
        raise InfeasibleQuotas([], [prefix, "Nobody is left in the pool to draw from."])
    try:
        return find_distribution(rest, remaining_quotas, open_places, algorithm, max_seconds=max_seconds)
    except InfeasibleQuotas as error:
        # Back to the original quotas: a suggested bound on the rest plus what the kept already hold.
        relaxations = [
            (feature, value, bound, quotas[(feature, value)][0 if bound == "min" else 1],
             suggested + counts[(feature, value)])
            for feature, value, bound, _, suggested in error.relaxations
        ]
        messages = [_relaxation_message(r) for r in relaxations] if relaxations else error.messages
        raise InfeasibleQuotas(relaxations, [prefix, *messages]) from None


def find_distribution(people, quotas, k, algorithm="leximin", *, max_seconds=None):
    """The fairest lottery over panels of size ``k`` that meet every quota.

    ``algorithm`` is "leximin" (default) or "maximin". Raises ``InvalidInput`` for malformed input and
    ``InfeasibleQuotas`` (saying which quotas to relax, and by how much) when no panel is possible.
    ``max_seconds`` caps the work (checked between column-generation rounds): the lottery returned is
    then valid but maybe not optimal (``optimal`` is False). For leximin, ``maximin_optimal`` stays True
    when the cap came after the first stage: the smallest probability is then already the best possible,
    only the higher ones may not be lifted as far as they could be. Without a cap the same inputs always
    give the same lottery; with one, where the work stopped depends on the machine's speed.
    """
    started = time.monotonic()
    if algorithm not in ALGORITHMS:
        raise InvalidInput(f"Unknown algorithm {algorithm!r}: use leximin or maximin.")
    _check_k(k)
    k = int(k)
    _check_quotas(quotas)
    if not people:
        raise InvalidInput("The pool is empty.")
    features, keys, members = _types(people, quotas)
    if len(people) < k:
        raise InfeasibleQuotas(
            [], [f"The pool has {len(people)} volunteers, fewer than the panel size {k}: recruit more."]
        )
    sizes = np.array([len(m) for m in members], dtype=float)
    rows, labels = _quota_rows(features, keys, quotas)
    pricing = _Pricing(sizes, rows, k)
    first = pricing.solve(np.zeros(len(keys)))
    if first is None:
        raise InfeasibleQuotas(_minimal_relaxation(sizes, rows, labels, k))

    deadline = None if max_seconds is None else started + max_seconds
    counter = [0]
    # First the quick route: the leximin lottery of the relaxation, made of real panels. A leximin
    # lottery is also a maximin one, so both algorithms take it when it works.
    reached, found = _reach_targets(pricing, sizes, rows, k, [first], deadline, counter)
    if reached is not None:
        master, w, unselectable, optimal = reached
        return _distribution(algorithm, k, master, w, sizes, features, keys, members, people, unselectable,
                             started, counter, optimal=optimal, maximin_optimal=optimal, deadline=deadline)

    rng = np.random.default_rng(20210804)  # fixed: same inputs give the same lottery
    master = _Master(sizes)
    for column in found:
        master.add(column)
    unselectable = _warm_start(pricing, master, sizes, rng, extra=min(20, len(keys)))
    master.fix(np.flatnonzero(unselectable), 0.0)

    optimal, maximin_optimal = True, None
    free = ~unselectable
    while True:
        z, pi, mu, w, converged = _column_generation(
            pricing, master, sizes, deadline, counter, need_duals=algorithm == "leximin"
        )
        optimal &= converged
        if maximin_optimal is None:
            maximin_optimal = converged
        if algorithm == "maximin" or not converged:
            break
        # Leximin: types with a positive dual cannot get more than z in any optimal lottery
        # (complementary slackness), so fix them at z and maximise the minimum of the others.
        tight = free & (pi > DUAL_TOLERANCE)
        if z >= 1.0 - 1e-9:
            tight = free.copy()  # everyone left is certain to be selected
        current = _type_probabilities(master, _lottery_weights(w), sizes)
        if not tight.any():
            # No dual weight on the free types: z is at its cap of 1 (or a numerical corner). Fix the
            # free types at the lowest current probability; every stage fixes at least one type.
            lowest = current[free].min()
            tight = free & (current <= lowest + 1e-7)
        for t in np.flatnonzero(tight):
            master.fix([t], max(min(z, current[t]) - 1e-9, 0.0))
        free &= ~tight
        if not free.any():
            break

    return _distribution(algorithm, k, master, w, sizes, features, keys, members, people, unselectable,
                         started, counter, optimal, maximin_optimal, deadline=deadline)


def _distribution(algorithm, k, master, w, sizes, features, keys, members, people, unselectable, started,
                  counter, optimal, maximin_optimal, deadline=None):
    """The Distribution for the master LP's column weights ``w``."""
    weights = _lottery_weights(w)
    used = np.flatnonzero(weights)
    compositions = [master.columns[i] for i in used]
    composition_weights = [float(weights[i]) for i in used]
    type_probability = np.clip(_type_probabilities(master, weights, sizes), 0.0, 1.0)
    probabilities = {}
    for t, group in enumerate(members):
        for person in group:
            probabilities[person] = float(type_probability[t])
    stop_reason = ""
    if not optimal:
        stop_reason = (
            "The computation stopped at its time limit before the lottery was proven optimal: some "
            "volunteers may have a smaller chance than the fairest lottery would give them."
            if deadline is not None and time.monotonic() > deadline else
            f"The computation stopped after {MAX_ITERATIONS} rounds before the lottery was proven optimal: "
            "some volunteers may have a smaller chance than the fairest lottery would give them."
        )
    distribution = Distribution(
        algorithm=algorithm,
        k=k,
        probabilities=probabilities,
        min_probability=min(probabilities.values()),
        seconds=time.monotonic() - started,
        compositions=[tuple(int(x) for x in c) for c in compositions],
        composition_weights=composition_weights,
        types=[dict(zip(features, key, strict=True)) for key in keys],
        members=members,
        unselectable=[p for t in np.flatnonzero(unselectable) for p in members[t]],
        iterations=counter[0],
        optimal=optimal,
        maximin_optimal=maximin_optimal,
        stop_reason=stop_reason,
        pool_order={person: i for i, person in enumerate(people)},
    )
    return distribution


def _relaxed_leximin(sizes, rows, k):
    """Per-type probabilities of the leximin lottery if panels could hold fractions of people.

    Over the LP relaxation of the compositions (0 ≤ x_t ≤ n_t, the quota rows, Σ x_t = k) maximise the
    smallest x_t/n_t, fix the types whose dual is positive at that value, and repeat: small LPs, a few
    milliseconds each. Real lotteries can only do worse (their expected compositions lie inside the
    relaxation), so this vector is a lexicographic upper bound on the true leximin; when a lottery over
    real panels reaches it, that lottery is leximin-optimal. Types no fractional panel can hold get 0.
    """
    T = len(sizes)
    inf = highspy.kHighsInf
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("primal_feasibility_tolerance", 1e-9)
    h.setOptionValue("dual_feasibility_tolerance", 1e-9)
    upper = np.asarray(sizes, dtype=float)
    h.addVars(T + 1, np.zeros(T + 1), np.append(upper, 1.0))  # x_t, then z
    h.changeColCost(T, 1.0)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    for ts, low, high in rows:
        h.addRow(float(low), float(high), len(ts), np.array(ts, dtype=np.int32), np.ones(len(ts)))
    h.addRow(float(k), float(k), T, np.arange(T, dtype=np.int32), np.ones(T))
    first_type_row = len(rows) + 1
    free = np.ones(T, dtype=bool)
    for t in range(T):  # x_t − n_t·z ≥ 0 while t is free
        h.addRow(0.0, inf, 2, np.array([t, T], dtype=np.int32), np.array([1.0, -float(sizes[t])]))
    targets = np.zeros(T)
    while free.any():
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None, None
        solution = h.getSolution()
        z = float(solution.col_value[T])
        pi = -np.asarray(solution.row_dual)[first_type_row:]
        current = np.asarray(solution.col_value)[:T] / sizes
        tight = free & (pi > DUAL_TOLERANCE)
        if z >= 1.0 - 1e-9 or not tight.any():
            tight = free & (current <= current[free].min() + 1e-9)
        for t in np.flatnonzero(tight):
            targets[t] = max(min(z, current[t]) - 1e-9, 0.0)
            h.changeCoeff(first_type_row + int(t), T, 0.0)
            h.changeRowBounds(first_type_row + int(t), targets[t] * float(sizes[t]), inf)
        free &= ~tight
    h.run()  # the point that meets every fixed target
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None, None
    return targets, np.clip(np.asarray(h.getSolution().col_value)[:T], 0.0, upper)


def _reach_targets(pricing, sizes, rows, k, columns, deadline, counter):
    """((master, column weights, unselectable types, optimal), panels found) for a lottery that gives every
    type its relaxed-leximin probability; (None, panels found) when real panels did not reach those (then
    the caller goes stage by stage, starting from the panels found).

    A master LP maximises z with every type at least z × its target (z ≤ 1), with a bounded number of
    column-generation rounds. Reaching z = 1 proves the lottery leximin-optimal (see _relaxed_leximin)
    without the stage-by-stage search, whose later stages are slow. Types the relaxation cannot select
    (target 0) no real panel can hold. When ``deadline`` passes first, the lottery so far comes back
    marked not optimal rather than starting the slower route.
    """
    targets, point = _relaxed_leximin(sizes, rows, k)
    if targets is None:
        return None, columns
    scaled = _Master(sizes, targets)
    panels, _complete = _decompose(point, sizes, rows, k, deadline)
    for column in panels + list(columns):
        scaled.add(column)
    z, _, _, w, _converged = _column_generation(
        pricing, scaled, sizes, deadline, counter, need_duals=False, stop_at=1.0 - TARGET_TOLERANCE,
        max_rounds=TARGET_ROUNDS,
    )
    reached = z >= 1.0 - TARGET_TOLERANCE
    out_of_time = deadline is not None and time.monotonic() > deadline
    if not reached and not out_of_time:
        return None, scaled.columns
    if not reached:
        # Stopped early: the lottery so far may leave whole groups at probability 0 (seen: 4,757 of
        # 5,000). Add panels that hold every type the relaxation can select and solve the master LP once
        # more: its z is then above 0, so every selectable volunteer keeps a chance (issue 14, point 8).
        current = _type_probabilities(scaled, _lottery_weights(w), sizes)
        missing = (targets > 0.0) & (current <= 1e-12)
        if missing.any():
            _warm_start(pricing, scaled, sizes, np.random.default_rng(20210804), extra=0, covered=~missing)
            z, _, _, w = scaled.solve()
    unselectable = (targets <= 0.0) & (_type_probabilities(scaled, _lottery_weights(w), sizes) <= 1e-12)
    return (scaled, w, unselectable, reached), scaled.columns


def _decompose(point, sizes, rows, k, deadline=None):
    """(panels, complete): panels whose mix gives ``point`` (expected type counts), by walking down faces.

    Take a panel c on the smallest face of the relaxation that holds the point (it keeps every bound and
    quota that the point meets exactly), and write point = λ·c + (1 − λ)·rest with λ as large as the
    constraints allow: the rest meets one more constraint exactly, so its face is smaller. Repeat until
    the rest is a panel itself. Each step is one small LP (a MIP only when the LP's corner is
    fractional). When a face holds no panel (the rest left the panels' hull, or rounding drifted), the
    walk stops; the caller's column generation completes the lottery from what was found. The panels are
    only a warm start there, so nothing depends on this walk being complete or exact.
    """
    T = len(sizes)
    sizes = np.asarray(sizes, dtype=float)
    matrix, low, high = _quota_matrix(rows, T, k)
    relax = highspy.Highs()
    relax.setOptionValue("output_flag", False)
    relax.setOptionValue("threads", 1)
    mip = highspy.Highs()
    for option, value in (("output_flag", False), ("threads", 1), ("mip_max_improving_sols", 1)):
        mip.setOptionValue(option, value)
    for model, integer in ((relax, False), (mip, True)):
        model.addVars(T, np.zeros(T), sizes)
        if integer:
            model.changeColsIntegrality(T, np.arange(T, dtype=np.int32),
                                        np.array([highspy.HighsVarType.kInteger] * T))
        for r in range(len(low)):
            ts = np.flatnonzero(matrix[r]).astype(np.int32)
            model.addRow(low[r], high[r], len(ts), ts, np.ones(len(ts)))
    panels = []
    x = np.asarray(point, dtype=float).copy()
    tolerance = 1e-9
    rng = np.random.default_rng(20210804)
    for _ in range(2 * T + 2):
        if deadline is not None and time.monotonic() > deadline:
            return panels, False
        rounded = np.rint(x)
        if np.abs(x - rounded).max() <= 1e-7:
            sums = matrix @ rounded
            if (rounded < 0).any() or (rounded > sizes).any() or (sums < low).any() or (sums > high).any():
                return panels, False  # rounding drifted off the quotas: leave the rest to column generation
            panels.append(rounded.astype(np.int64))
            return panels, True
        sums = matrix @ x
        at_zero, at_full = x <= tolerance, x >= sizes - tolerance
        at_low, at_high = sums <= low + tolerance, sums >= high - tolerance
        col_low = np.where(at_full, sizes, 0.0)
        col_high = np.where(at_zero, 0.0, sizes)
        row_low = np.where(at_high, high, low)
        row_high = np.where(at_low, low, high)
        # Aim at the point itself, so the panel found is near it and λ comes out large. Corners of the face
        # are often whole panels: a few LPs with jittered aims (0.3 ms each) before one MIP (7 ms).
        panel = None
        attempts = [(relax, x / sizes)] + [(relax, x / sizes * (1.0 + rng.random(T))) for _ in range(LP_TRIES)]
        for model, objective in attempts + [(mip, x / sizes)]:
            model.changeColsBounds(T, np.arange(T, dtype=np.int32), col_low, col_high)
            for r in range(len(low)):
                model.changeRowBounds(r, row_low[r], row_high[r])
            model.changeColsCost(T, np.arange(T, dtype=np.int32), objective)
            model.changeObjectiveSense(highspy.ObjSense.kMaximize)
            model.run()
            status = model.getModelStatus()
            if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kSolutionLimit):
                if model is relax:
                    continue
                break
            values = np.asarray(model.getSolution().col_value)
            if np.abs(values - np.rint(values)).max() <= 1e-9:
                panel = np.rint(values)
                break
        if panel is None:
            return panels, False  # no panel on this face: leave the rest to column generation
        panels.append(panel.astype(np.int64))
        lam = _largest_step(x, panel, sizes, matrix, low, high)
        if lam >= 1.0 - 1e-12:
            return panels, True
        x = np.clip((x - lam * panel) / (1.0 - lam), 0.0, sizes)
    return panels, False


def _largest_step(x, panel, sizes, matrix, low, high):
    """The largest λ ≤ 1 for which (x − λ·panel)/(1 − λ) keeps every bound ℓ ≤ a·y ≤ u.

    For a bound a·y ≥ ℓ that the panel meets with slack, λ ≤ (a·x − ℓ)/(a·panel − ℓ); likewise for
    upper bounds. Bounds the panel meets exactly never limit λ."""
    step = 1.0
    for value, at_panel, bound, sign in (
        (x, panel, np.zeros_like(x), 1.0), (x, panel, sizes, -1.0),
        (matrix @ x, matrix @ panel, low, 1.0), (matrix @ x, matrix @ panel, high, -1.0),
    ):
        slack_point = sign * (value - bound)
        slack_panel = sign * (at_panel - bound)
        limiting = slack_panel > 1e-12
        if limiting.any():
            step = min(step, float((slack_point[limiting] / slack_panel[limiting]).min()))
    return max(step, 0.0)


def _lottery_weights(w):
    """The master LP's column values as a lottery: rounding noise below zero or 1e-12 dropped, sum 1."""
    weights = np.maximum(np.asarray(w, dtype=float), 0.0)
    weights[weights < 1e-12] = 0.0
    return weights / weights.sum()


def _type_probabilities(master, w, sizes):
    """Each type's selection probability under lottery ``w`` over the master's columns."""
    result = np.zeros(len(sizes))
    for weight, composition in zip(w, master.columns, strict=True):
        if weight > 0:
            result += weight * composition / sizes
    return result


# --- checks and replacement -----------------------------------------------------------------------------


def quota_violations(panel_ids, people, quotas):
    """[(feature, value, "min" | "max", bound, count)] for every quota the panel breaks."""
    counts = {key: 0 for key in quotas}
    for person in panel_ids:
        for (feature, value) in quotas:
            if people[person].get(feature) == value:
                counts[(feature, value)] += 1
    broken = []
    for key, (low, high) in quotas.items():
        if counts[key] < low:
            broken.append((*key, "min", low, counts[key]))
        elif counts[key] > high:
            broken.append((*key, "max", high, counts[key]))
    return broken


def replace_dropout(panel_ids, dropout_id, people, quotas, candidates, seed):
    """A replacement for ``dropout_id`` from ``candidates`` so that every quota still holds.

    Chosen uniformly at random (``random.Random(seed)``) among the candidates that keep every quota;
    candidates already on the panel are skipped. Raises ``InfeasibleQuotas`` when none fits, with the
    relaxation the best-fitting candidate would need.
    """
    _check_quotas(quotas)
    panel = list(panel_ids)
    if dropout_id not in panel:
        raise InvalidInput(f"{dropout_id} is not on the panel.")
    remaining = [p for p in panel if p != dropout_id]
    on_panel = set(panel)
    pool = [c for c in candidates if c not in on_panel]
    for person in remaining + pool:
        if person not in people:
            raise InvalidInput(f"Volunteer {person} is not in the pool data.")
    fitting, best = [], None
    for candidate in pool:
        broken = quota_violations(remaining + [candidate], people, quotas)
        if not broken:
            fitting.append(candidate)
        else:
            excess = sum(abs(count - bound) for *_, bound, count in broken)
            if best is None or excess < best[0]:
                best = (excess, broken)
    if fitting:
        return random.Random(seed).choice(fitting)
    if best is None:
        raise InfeasibleQuotas([], ["There are no candidates left in the pool to replace the drop-out."])
    relaxations = [(feature, value, bound, limit, count) for feature, value, bound, limit, count in best[1]]
    raise InfeasibleQuotas(
        relaxations,
        ["No candidate keeps every quota."] + [_relaxation_message(r) for r in relaxations],
    )
