"""panels.selection: fair stratified selection, checked against brute force with scipy's linprog."""

import importlib.util
import itertools
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from panels import selection
from panels.selection import (
    InfeasibleQuotas,
    InvalidInput,
    draw_panel,
    find_distribution,
    find_replacement_distribution,
    quota_violations,
    replace_dropout,
)

# --- independent brute force ------------------------------------------------------------------------------


def feasible_panels(people, quotas, k):
    ids = list(people)
    return [panel for panel in itertools.combinations(ids, k) if not quota_violations(panel, people, quotas)]


def brute_maximin(people, quotas, k, panels=None):
    """max z: Σ_P w_P·[i ∈ P] ≥ z for every volunteer, Σ w = 1, over ALL feasible panels (scipy HiGHS)."""
    ids = list(people)
    panels = feasible_panels(people, quotas, k) if panels is None else panels
    if not panels:
        return None
    # Variables: w_P..., z. linprog minimises, so minimise −z.
    m = len(panels)
    cost = np.zeros(m + 1)
    cost[-1] = -1.0
    a_ub = np.zeros((len(ids), m + 1))
    for j, panel in enumerate(panels):
        for person in panel:
            a_ub[ids.index(person), j] = -1.0
    a_ub[:, -1] = 1.0
    a_eq = np.zeros((1, m + 1))
    a_eq[0, :m] = 1.0
    result = linprog(cost, A_ub=a_ub, b_ub=np.zeros(len(ids)), A_eq=a_eq, b_eq=[1.0],
                     bounds=[(0, None)] * m + [(0, 1)], method="highs")
    assert result.status == 0
    return -result.fun


def brute_leximin(people, quotas, k, panels=None):
    """Sorted leximin probabilities by the textbook method: maximise the minimum of the free volunteers,
    then fix every free volunteer who cannot get more than that (one LP each), repeat. ``panels``: all
    panels to choose from (default: every feasible panel of size k)."""
    ids = list(people)
    panels = feasible_panels(people, quotas, k) if panels is None else panels
    m, n = len(panels), len(ids)
    member = np.zeros((n, m))
    for j, panel in enumerate(panels):
        for person in panel:
            member[ids.index(person), j] = 1.0
    fixed = {}

    def solve(objective_person=None, level=None):
        # Variables: w (m), z. Constraints: fixed i: p_i ≥ f_i; free i: p_i ≥ z (or ≥ level when checking).
        cost = np.zeros(m + 1)
        rows, rhs = [], []
        for i in range(n):
            row = np.zeros(m + 1)
            row[:m] = -member[i]
            if i in fixed:
                rhs.append(-fixed[i] + 1e-9)
            elif objective_person is None:
                row[-1] = 1.0
                rhs.append(0.0)
            else:
                rhs.append(-level + 1e-9)
            rows.append(row)
        if objective_person is None:
            cost[-1] = -1.0
        else:
            cost[:m] = -member[objective_person]
        a_eq = np.zeros((1, m + 1))
        a_eq[0, :m] = 1
        result = linprog(cost, A_ub=np.array(rows), b_ub=rhs, A_eq=a_eq, b_eq=[1.0],
                         bounds=[(0, None)] * m + [(0, 1)], method="highs")
        assert result.status == 0
        return -result.fun

    while len(fixed) < n:
        z = solve()
        free = [i for i in range(n) if i not in fixed]
        stuck = [i for i in free if solve(objective_person=i, level=z) <= z + 1e-7]
        for i in stuck or free:
            fixed[i] = z
    return sorted(fixed.values())


# --- generated instances ---------------------------------------------------------------------------------


@st.composite
def instances(draw, max_people=12, feasible=True):
    """Small pools with 1-3 features. With feasible=True the quotas are bands around the counts of one
    random panel (so at least that panel meets them); otherwise random bands, often infeasible."""
    n = draw(st.integers(5, max_people))
    n_features = draw(st.integers(2, 3))
    features = {f"f{i}": [f"v{j}" for j in range(draw(st.integers(2, 3)))] for i in range(n_features)}
    # Often skewed pools: the first value of each feature is then the most common.
    skew = draw(st.integers(0, 2))
    people = {
        f"p{i}": {feature: draw(st.sampled_from(values[:1] * skew + values)) for feature, values in features.items()}
        for i in range(n)
    }
    k = draw(st.integers(2, min(n - 2, 6)))
    witness = draw(st.permutations(list(people)))[:k]
    quotas = {}
    for feature, values in features.items():
        for value in values:
            if feasible:
                count = sum(people[p][feature] == value for p in witness)
                low = max(0, count - draw(st.integers(0, 2)))
                quotas[(feature, value)] = (low, count + draw(st.integers(0, 2)))
            else:
                low = draw(st.integers(0, 2))
                quotas[(feature, value)] = (low, low + draw(st.integers(0, 3)))
    return people, quotas, k


FAST = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(max_examples=25, deadline=None)
@given(instances(max_people=8, feasible=False))
def test_infeasible_random_quotas_come_with_a_relaxation_that_works(instance):
    people, quotas, k = instance
    if feasible_panels(people, quotas, k):
        assert find_distribution(people, quotas, k, "maximin").min_probability >= 0
        return
    with pytest.raises(InfeasibleQuotas) as error:
        find_distribution(people, quotas, k)
    relaxed = dict(quotas)
    for feature, value, bound, _current, suggested in error.value.relaxations:
        low, high = relaxed[(feature, value)]
        relaxed[(feature, value)] = (suggested, high) if bound == "min" else (low, suggested)
    assert error.value.relaxations
    assert feasible_panels(people, relaxed, k)


@FAST
@given(instances(), st.sampled_from(["maximin", "leximin"]), st.integers(0, 2**32))
def test_every_lottery_meets_the_quotas_and_matches_brute_force(instance, algorithm, seed):
    people, quotas, k = instance
    distribution = find_distribution(people, quotas, k, algorithm)
    assert set(distribution.probabilities) == set(people)
    assert sum(distribution.probabilities.values()) == pytest.approx(k, abs=1e-9)
    assert all(-1e-12 <= p <= 1 + 1e-12 for p in distribution.probabilities.values())
    assert sum(distribution.weights) == pytest.approx(1.0, abs=1e-9)
    # Every panel of the lottery has size k and meets all quotas; its marginals are the probabilities.
    marginal = dict.fromkeys(people, 0.0)
    for panel, weight in zip(distribution.panels, distribution.weights, strict=True):
        assert len(panel) == len(set(panel)) == k
        assert not quota_violations(panel, people, quotas)
        for person in panel:
            marginal[person] += weight
    for person in people:
        assert marginal[person] == pytest.approx(distribution.probabilities[person], abs=1e-9)
    # Optimal: the smallest probability equals the brute-force maximin (leximin's minimum is maximin's).
    assert distribution.min_probability == pytest.approx(brute_maximin(people, quotas, k), abs=1e-6)
    # A drawn panel meets the quotas, and the same seed gives the same panel.
    drawn = draw_panel(distribution, seed)
    assert len(drawn) == k and not quota_violations(drawn, people, quotas)
    assert draw_panel(distribution, seed) == drawn
    assert draw_panel(find_distribution(people, quotas, k, algorithm), seed) == drawn


@settings(max_examples=8, deadline=None)
@given(instances(max_people=9))
def test_leximin_matches_brute_force_leximin(instance):
    people, quotas, k = instance
    ours = sorted(find_distribution(people, quotas, k, "leximin").probabilities.values())
    assert ours == pytest.approx(brute_leximin(people, quotas, k), abs=1e-6)


def skewed_pool():
    """40 volunteers: mostly old, few young; quotas ask for a cross-section of 10."""
    people = {}
    for i in range(40):
        age = "young" if i % 8 == 0 else ("middle" if i % 3 == 0 else "old")
        people[f"v{i:02d}"] = {"age": age, "gender": "woman" if i % 2 else "man", "name": f"Person {i}"}
    quotas = {
        ("age", "young"): (3, 4), ("age", "middle"): (3, 4), ("age", "old"): (3, 4),
        ("gender", "woman"): (5, 5), ("gender", "man"): (5, 5),
    }
    return people, quotas


def test_fair_lottery_gives_the_scarce_group_a_higher_chance_and_leximin_lifts_the_rest():
    people, quotas = skewed_pool()
    maximin = find_distribution(people, quotas, 10, "maximin")
    leximin = find_distribution(people, quotas, 10, "leximin")
    young = [p for p, a in people.items() if a["age"] == "young"]
    old = [p for p, a in people.items() if a["age"] == "old"]
    # 5 young volunteers, at least 3 young seats: each young person is selected with probability ≥ 0.6.
    assert min(leximin.probabilities[p] for p in young) >= 0.6 - 1e-9
    # The minimum is the same; leximin's sorted vector is lexicographically at least maximin's.
    assert leximin.min_probability == pytest.approx(maximin.min_probability, abs=1e-6)
    assert sorted(leximin.probabilities.values()) >= [x - 1e-6 for x in sorted(maximin.probabilities.values())]
    # Same feature values, same chance.
    assert max(leximin.probabilities[p] for p in old if people[p]["gender"] == "man") == pytest.approx(
        min(leximin.probabilities[p] for p in old if people[p]["gender"] == "man"))
    assert leximin.algorithm == "leximin" and leximin.seconds >= 0 and leximin.optimal
    # Different seeds reach different panels; all valid.
    drawn = {tuple(draw_panel(leximin, seed)) for seed in range(30)}
    assert len(drawn) > 5


def test_volunteers_no_panel_can_contain_get_probability_zero():
    people = {"a": {"g": "x"}, "b": {"g": "x"}, "c": {"g": "y"}, "d": {"g": "y"}}
    quotas = {("g", "x"): (2, 2), ("g", "y"): (0, 0)}
    distribution = find_distribution(people, quotas, 2)
    assert distribution.probabilities == {"a": 1.0, "b": 1.0, "c": 0.0, "d": 0.0}
    assert distribution.min_probability == 0.0
    assert sorted(distribution.unselectable) == ["c", "d"]


def test_infeasible_quotas_say_which_quota_to_relax_and_by_how_much():
    people = {f"m{i}": {"gender": "man"} for i in range(6)} | {f"w{i}": {"gender": "woman"} for i in range(2)}
    quotas = {("gender", "man"): (2, 3), ("gender", "woman"): (3, 3)}
    with pytest.raises(InfeasibleQuotas) as error:
        find_distribution(people, quotas, 6)
    relaxations = error.value.relaxations
    # Only 2 women: the minimum for women must drop by one and the maximum for men rise by one.
    assert sorted(relaxations) == [("gender", "man", "max", 3, 4), ("gender", "woman", "min", 3, 2)]
    assert "Lower the minimum for gender = woman from 3 to 2" in str(error.value)
    assert len(error.value.messages) == 2


def test_a_pool_smaller_than_the_panel_is_infeasible():
    with pytest.raises(InfeasibleQuotas, match="fewer than the panel size"):
        find_distribution({"a": {"g": "x"}}, {("g", "x"): (0, 5)}, 2)


@pytest.mark.parametrize(
    ("people", "quotas", "k", "algorithm", "message"),
    [
        ({"a": {"g": "x"}}, {("g", "x"): (2, 1)}, 1, "leximin", "larger than its maximum"),
        ({"a": {"g": "z"}}, {("g", "x"): (0, 1)}, 1, "leximin", "has g = 'z', which has no quota"),
        ({"a": {"h": "x"}}, {("g", "x"): (0, 1)}, 1, "leximin", "has no value for g"),
        ({"a": {"g": "x"}}, {("g", "x"): (0, 1)}, 0, "leximin", "at least 1"),
        ({"a": {"g": "x"}}, {("g", "x"): (0, 1)}, 1, "nash", "Unknown algorithm"),
        ({"a": {"g": "x"}}, {("g", "x"): (-1, 1)}, 1, "leximin", "negative"),
        ({"a": {"g": "x"}}, {("g", "x"): (0.5, 1)}, 1, "leximin", "whole numbers"),
        ({}, {("g", "x"): (0, 1)}, 1, "leximin", "empty"),
        ({"a": {"g": "x"}}, {}, 1, "leximin", "no quotas"),
    ],
)
def test_malformed_input_is_rejected(people, quotas, k, algorithm, message):
    with pytest.raises(InvalidInput, match=message):
        find_distribution(people, quotas, k, algorithm)


def test_replacing_a_dropout_keeps_the_quotas_and_is_fair_and_repeatable():
    people, quotas = skewed_pool()
    distribution = find_distribution(people, quotas, 10)
    panel = draw_panel(distribution, 7)
    dropout = next(p for p in panel if people[p]["age"] == "young")
    candidates = [p for p in people if p not in panel]
    chosen = {replace_dropout(panel, dropout, people, quotas, candidates, seed) for seed in range(60)}
    fitting = {c for c in candidates
               if not quota_violations([p for p in panel if p != dropout] + [c], people, quotas)}
    assert chosen == fitting  # every fitting candidate can be chosen, no other
    assert all(people[c]["age"] == "young" and people[c]["gender"] == people[dropout]["gender"] for c in chosen)
    assert replace_dropout(panel, dropout, people, quotas, candidates, 3) == replace_dropout(
        panel, dropout, people, quotas, candidates, 3)
    # No candidate that keeps the quotas: infeasible, with the change the best candidate would need.
    old_only = [c for c in candidates if people[c]["age"] == "old"]
    with pytest.raises(InfeasibleQuotas) as error:
        replace_dropout(panel, dropout, people, quotas, old_only, 1)
    assert any(r[:3] == ("age", "young", "min") for r in error.value.relaxations)
    with pytest.raises(InfeasibleQuotas, match="no candidates"):
        replace_dropout(panel, dropout, people, quotas, [], 1)
    with pytest.raises(InvalidInput):
        replace_dropout(panel, "nobody", people, quotas, candidates, 1)


# --- the two routes to the lottery -------------------------------------------------------------------------
# find_distribution first tries the quick route (the relaxation's leximin, made of real panels by a face
# walk) and falls back to stage-by-stage column generation when real panels cannot reach it.


@settings(max_examples=8, deadline=None)
@given(instances(max_people=9), st.sampled_from(["maximin", "leximin"]))
def test_the_stage_by_stage_route_alone_also_matches_brute_force(instance, algorithm):
    people, quotas, k = instance
    with mock.patch.object(selection, "_reach_targets", side_effect=lambda *a, **kw: (None, [])):
        distribution = find_distribution(people, quotas, k, algorithm)
    assert distribution.min_probability == pytest.approx(brute_maximin(people, quotas, k), abs=1e-6)
    if algorithm == "leximin":
        ours = sorted(distribution.probabilities.values())
        assert ours == pytest.approx(brute_leximin(people, quotas, k), abs=1e-6)


def test_when_the_relaxation_promises_too_much_the_quick_route_steps_aside():
    """Here fractional panels could give (…, 0.5, 0.75, 0.75) but real ones at best (…, 0.25, 0.75, 1)."""
    values = {
        "p0": "020", "p1": "000", "p2": "020", "p3": "111", "p4": "001", "p5": "020", "p6": "010", "p7": "121",
        "p8": "100",
    }
    people = {p: {f"f{i}": f"v{digit}" for i, digit in enumerate(code)} for p, code in values.items()}
    quotas = {
        ("f0", "v0"): (2, 2), ("f0", "v1"): (0, 2), ("f1", "v0"): (2, 3), ("f1", "v1"): (0, 0),
        ("f1", "v2"): (1, 3), ("f2", "v0"): (1, 3), ("f2", "v1"): (1, 3),
    }
    answers = []
    original = selection._reach_targets
    with mock.patch.object(selection, "_reach_targets",
                           side_effect=lambda *a, **kw: answers.append(original(*a, **kw)) or answers[-1]):
        distribution = find_distribution(people, quotas, 3, "leximin")
    assert [reached for reached, _ in answers] == [None]
    assert sorted(distribution.probabilities.values()) == pytest.approx(brute_leximin(people, quotas, 3), abs=1e-6)


def test_the_face_walk_gives_real_panels_and_the_quick_route_reaches_the_relaxed_leximin():
    rng = np.random.default_rng(7)
    features = {"a": 3, "b": 4, "c": 2, "d": 3}
    people = {f"p{i}": {f: f"{f}{rng.integers(n)}" for f, n in features.items()} for i in range(60)}
    k = 12
    quotas = {}
    for feature, n in features.items():
        for value in range(n):
            share = sum(a[feature] == f"{feature}{value}" for a in people.values()) / len(people)
            quotas[(feature, f"{feature}{value}")] = (int(np.floor(k * share)), int(np.ceil(k * share)))
    features_, keys, members = selection._types(people, quotas)
    sizes = np.array([len(m) for m in members], dtype=float)
    rows, _ = selection._quota_rows(features_, keys, quotas)
    targets, point = selection._relaxed_leximin(sizes, rows, k)
    panels, _complete = selection._decompose(point, sizes, rows, k)
    assert len(panels) > 1
    for panel in panels:  # real panels: whole people, size k, every quota kept
        assert panel.sum() == k and (panel >= 0).all() and (panel <= sizes).all()
        for ts, low, high in rows:
            assert low <= panel[list(ts)].sum() <= high
    answers = []
    original = selection._reach_targets
    with mock.patch.object(selection, "_reach_targets",
                           side_effect=lambda *a, **kw: answers.append(original(*a, **kw)) or answers[-1]):
        distribution = find_distribution(people, quotas, k, "leximin")
    assert answers[0][0] is not None  # the quick route: the relaxation's leximin is reached by real panels
    by_type = [distribution.probabilities[group[0]] for group in members]
    assert np.array(by_type) == pytest.approx(targets, abs=1e-6)


def test_the_stage_by_stage_route_survives_a_degenerate_master_after_fixing():
    """On the benchmark's n = 300, K = 100 pool the master LP came back "infeasible" after fixing types
    (a simplex artefact: the fixed values come from a lottery that meets them). It now re-solves."""
    spec = importlib.util.spec_from_file_location(
        "bench_selection", Path(__file__).resolve().parents[2] / "benchmarks" / "bench_selection.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    people, quotas = bench.make_instance(300, 100)
    with mock.patch.object(selection, "_reach_targets", side_effect=lambda *a, **kw: (None, [])):
        staged = find_distribution(people, quotas, 100, "leximin")
    quick = find_distribution(people, quotas, 100, "leximin")
    assert staged.optimal and quick.optimal
    assert staged.min_probability == pytest.approx(quick.min_probability, abs=1e-6)
    assert sorted(staged.probabilities.values()) == pytest.approx(sorted(quick.probabilities.values()), abs=1e-6)


def test_with_no_time_left_the_lottery_is_valid_and_says_it_is_not_optimal():
    people, quotas = skewed_pool()
    distribution = find_distribution(people, quotas, 10, "leximin", max_seconds=0)
    assert distribution.optimal is False and distribution.maximin_optimal is False
    assert sum(distribution.probabilities.values()) == pytest.approx(10, abs=1e-9)
    for panel in distribution.panels:
        assert len(panel) == 10 and not quota_violations(panel, people, quotas)


# --- replacement draws conditional on the kept members (issue 14, point 3) ---------------------------------


def conditional_panels(people, quotas, k, keep):
    """Every set of k − |keep| others that completes the kept members to a panel meeting every quota."""
    rest = [p for p in people if p not in keep]
    return [new for new in itertools.combinations(rest, k - len(keep))
            if not quota_violations(list(keep) + list(new), people, quotas)]


def load_bench():
    spec = importlib.util.spec_from_file_location(
        "bench_selection", Path(__file__).resolve().parents[2] / "benchmarks" / "bench_selection.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_people=9), st.data())
def test_a_replacement_draw_is_the_leximin_lottery_conditional_on_the_kept(instance, data):
    people, quotas, k = instance
    witness = data.draw(st.sampled_from(feasible_panels(people, quotas, k)))
    keep = list(data.draw(st.permutations(witness)))[: data.draw(st.integers(1, k - 1))]
    rest = {p: a for p, a in people.items() if p not in keep}
    panels = conditional_panels(people, quotas, k, keep)
    for algorithm in ("leximin", "maximin"):
        distribution = find_replacement_distribution(people, quotas, k, keep, algorithm)
        assert set(distribution.probabilities) == set(rest)  # the kept are not in the new draw
        assert sum(distribution.probabilities.values()) == pytest.approx(k - len(keep), abs=1e-9)
        for panel in distribution.panels:
            assert not set(panel) & set(keep) and len(panel) == k - len(keep)
            assert not quota_violations(list(keep) + list(panel), people, quotas)
        assert distribution.min_probability >= brute_maximin(rest, None, None, panels=panels) - 1e-6
    leximin = sorted(find_replacement_distribution(people, quotas, k, keep).probabilities.values())
    assert leximin == pytest.approx(brute_leximin(rest, None, None, panels=panels), abs=1e-6)


@pytest.mark.parametrize("n, k", [(300, 15), (300, 100), (1000, 40)])
def test_replacement_on_the_benchmark_pools_keeps_every_quota_for_kept_plus_new(n, k):
    people, quotas = load_bench().make_instance(n, k)
    first = draw_panel(find_distribution(people, quotas, k), 7)
    open_places = max(1, k // 10)
    keep = first[: k - open_places]
    distribution = find_replacement_distribution(people, quotas, k, keep)
    assert distribution.optimal
    assert sum(distribution.probabilities.values()) == pytest.approx(open_places, abs=1e-6)
    assert not set(distribution.probabilities) & set(keep)
    for seed in range(5):
        new = draw_panel(distribution, seed)
        assert len(new) == open_places and not set(new) & set(keep)
        assert not quota_violations(keep + new, people, quotas)


def test_kept_members_above_a_maximum_make_the_quotas_unreachable():
    people = {f"p{i}": {"g": "a" if i < 4 else "b"} for i in range(8)}
    quotas = {("g", "a"): (2, 2), ("g", "b"): (2, 2)}
    with pytest.raises(InfeasibleQuotas) as error:
        find_replacement_distribution(people, quotas, 4, ["p0", "p1", "p2"])
    assert "kept members make the quotas unreachable" in str(error.value)
    assert error.value.relaxations == [("g", "a", "max", 2, 3)]
    # Kept members the rest of the pool cannot complete: the suggestion is in the original quotas' terms.
    quotas = {("g", "a"): (1, 3), ("g", "b"): (3, 3)}
    people = {f"p{i}": {"g": "a" if i < 6 else "b"} for i in range(8)}  # only two b's
    with pytest.raises(InfeasibleQuotas) as error:
        find_replacement_distribution(people, quotas, 4, ["p0"])
    assert "kept members make the quotas unreachable" in str(error.value)
    assert error.value.relaxations == [("g", "b", "min", 3, 2)]


def test_replacement_input_is_checked():
    people = {f"p{i}": {"g": "a" if i < 4 else "b"} for i in range(8)}
    quotas = {("g", "a"): (2, 2), ("g", "b"): (2, 2)}
    with pytest.raises(InvalidInput, match="not in the pool: x9"):
        find_replacement_distribution(people, quotas, 4, ["p0", "x9"])
    with pytest.raises(InvalidInput, match="already fill the panel"):
        find_replacement_distribution(people, quotas, 2, ["p0", "p4"])


# --- a stopped lottery says so and still gives every selectable volunteer a chance (issue 14, point 8) ----


@pytest.mark.parametrize("n, k", [(300, 40), (1000, 100)])
def test_a_lottery_stopped_early_says_why_and_leaves_no_selectable_volunteer_at_zero(n, k):
    people, quotas = load_bench().make_instance(n, k)
    distribution = find_distribution(people, quotas, k, "leximin", max_seconds=0)
    assert distribution.optimal is False
    assert "time limit" in distribution.stop_reason
    assert distribution.unselectable == [] and distribution.selectable_at_zero == []
    assert distribution.min_probability > 0
    assert sum(distribution.probabilities.values()) == pytest.approx(k, abs=1e-6)
    for panel in distribution.panels:
        assert len(panel) == k and not quota_violations(panel, people, quotas)
    assert find_distribution(people, quotas, k).stop_reason == ""


def test_selectable_at_zero_lists_only_volunteers_a_panel_could_hold():
    people, quotas = skewed_pool()
    distribution = find_distribution(people, quotas, 10)
    assert distribution.optimal and distribution.selectable_at_zero == []
    distribution.probabilities[next(iter(people))] = 0.0  # as a stopped lottery might leave it
    assert distribution.selectable_at_zero == [next(iter(people))]
