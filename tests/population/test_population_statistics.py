"""The statistics of population.representativeness against values computed independently here with scipy."""

import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from population import presentation
from population import representativeness as rep
from population import statistics as pure


def compositions(n, k):
    for cut in itertools.combinations(range(n + k - 1), k - 1):
        edges = (-1, *cut, n + k - 1)
        yield [edges[i + 1] - edges[i] - 1 for i in range(k)]


def scipy_exact_p(counts, probabilities):
    n = sum(counts)
    observed = stats.multinomial.pmf(counts, n, probabilities)
    return sum(p for x in compositions(n, len(counts))
               if (p := stats.multinomial.pmf(x, n, probabilities)) <= observed * (1 + 1e-7))


@pytest.mark.parametrize("counts, probabilities", [
    ([3, 1, 5, 6], [0.1, 0.2, 0.3, 0.4]),
    ([0, 0, 7], [0.5, 0.25, 0.25]),
    ([2, 2, 2, 2], [0.25, 0.25, 0.25, 0.25]),  # many outcomes tie with the observed one
    ([1, 0, 3, 0, 2], [0.05, 0.15, 0.2, 0.3, 0.3]),
    ([9, 1], [0.48, 0.52]),
])
def test_exact_test_matches_scipy_enumeration(counts, probabilities):
    assert pure.exact_multinomial_p(counts, probabilities) == pytest.approx(scipy_exact_p(counts, probabilities),
                                                                            rel=1e-9, abs=1e-12)


def test_exact_test_with_many_categories_matches_scipy():
    import numpy as np

    probabilities = [0.02, 0.05, 0.08, 0.1, 0.12, 0.15, 0.18, 0.3]
    counts = [2, 0, 0, 3, 1, 0, 1, 5]
    n = sum(counts)
    outcomes = np.array(list(compositions(n, len(counts))))
    pmf = stats.multinomial.pmf(outcomes, n, probabilities)
    observed = stats.multinomial.pmf(counts, n, probabilities)
    expected = pmf[pmf <= observed * (1 + 1e-7)].sum()
    assert len(outcomes) == math.comb(n + 7, 7)
    assert pure.exact_multinomial_p(counts, probabilities) == pytest.approx(expected, rel=1e-9)


def test_compare_uses_exact_test_up_to_a_million_outcomes_then_chi_square():
    population = {"d": {"a": 500, "b": 300, "c": 200}}
    # C(known + 2, 2) <= 1,000,000 up to known = 1412.
    assert math.comb(1412 + 2, 2) <= 1_000_000 < math.comb(1413 + 2, 2)
    small = [{"d": "a"}] * 700 + [{"d": "b"}] * 450 + [{"d": "c"}] * 262
    dim = rep.compare(population, small).dimensions[0]
    assert (dim.known, dim.test) == (1412, "exact")
    large = small + [{"d": "c"}]
    dim = rep.compare(population, large).dimensions[0]
    assert dim.test == "chi2"
    expected = [1413 * 0.5, 1413 * 0.3, 1413 * 0.2]
    assert dim.p_value == pytest.approx(stats.chisquare([700, 450, 263], expected).pvalue, rel=1e-9)


@pytest.mark.parametrize("statistic, df", [(0.3, 1), (7.3, 3), (25.0, 9), (400.0, 99), (1e-6, 4)])
def test_chi_square_tail_matches_scipy(statistic, df):
    assert pure.chi2_sf(statistic, df) == pytest.approx(stats.chi2.sf(statistic, df), rel=1e-9, abs=1e-300)


def test_definitions_of_share_ratio_expected_tvd_quota_missing():
    population = {"age": {"young": 200, "middle": 500, "old": 300}}
    people = [{"age": "young"}] + [{"age": "middle"}] * 4 + [{"age": "old"}] * 5 + [{"age": ""}, {"age": "unknown"}]
    report = rep.compare(population, people, size=15)
    dim = report.dimensions[0]
    assert (report.people, dim.known, dim.unknown) == (12, 10, 2)
    young = dim.categories[0]
    assert young.population_share == pytest.approx(0.2)
    assert young.share == pytest.approx(0.1)
    assert young.ratio == pytest.approx(0.5)
    assert young.expected == pytest.approx(2.0)
    assert (young.quota, young.quota_min, young.quota_max, young.missing) == (3, 3, 3, 2)
    assert dim.tvd == pytest.approx(0.5 * (abs(0.1 - 0.2) + abs(0.4 - 0.5) + abs(0.5 - 0.3)))
    middle = dim.categories[1]
    assert (middle.quota_min, middle.quota_max, middle.missing) == (7, 8, 3)  # 15 x 0.5 = 7.5
    assert sum(c.quota for c in dim.categories) == 15
    assert dim.p_value == pytest.approx(scipy_exact_p([1, 4, 5], [0.2, 0.5, 0.3]), rel=1e-9)


def test_without_a_size_the_quota_is_for_the_known_count():
    report = rep.compare({"g": {"m": 1, "w": 1}}, [{"g": "m"}] * 3 + [{"g": ""}])
    assert sum(c.quota for c in report.dimensions[0].categories) == 3


@pytest.mark.parametrize("population, size, quotas", [
    ([1, 1, 1], 2, [1, 1, 0]),   # equal remainders and equal p: the earlier category
    ([1, 2, 3], 3, [0, 1, 2]),   # equal remainders (1/2): the larger p wins
    ([10, 10, 80], 5, [1, 0, 4]),  # remainders 1/2, 1/2, 0 and equal p: the earlier of the two
])
def test_hamilton_tie_breaks(population, size, quotas):
    assert [q for q, _lo, _hi in pure.hamilton(population, size)] == quotas


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(lambda xs: sum(xs) > 0),
       st.integers(min_value=0, max_value=500))
def test_quotas_sum_to_k_and_lie_in_their_bands(population, size):
    total = sum(population)
    result = pure.hamilton(population, size)
    assert sum(q for q, _lo, _hi in result) == size
    for n, (quota, low, high) in zip(population, result, strict=True):
        exact = Fraction(size * n, total)
        assert low == math.floor(exact) and high == math.ceil(exact)
        assert low <= quota <= high


def test_value_outside_the_population_is_an_error_naming_it():
    with pytest.raises(rep.UnknownCategory) as error:
        rep.compare({"g": {"m": 1, "w": 1}}, [{"g": "x"}])
    assert error.value.problems[0][:2] == ("g", "x")
    report = rep.compare({"g": {"m": 1, "w": 1}}, [{"g": "x"}, {"g": "m"}], strict=False)
    assert report.dimensions[0].unknown == 1 and report.dimensions[0].outside == {"x": 1}


def test_category_with_no_population_gives_p_zero_when_someone_is_in_it():
    report = rep.compare({"g": {"m": 10, "w": 0}}, [{"g": "w"}])
    assert report.dimensions[0].p_value == 0.0
    assert report.dimensions[0].categories[1].ratio is None


def test_svg_chart_is_an_image_with_a_title():
    report = rep.compare({"g": {"m": 1, "w": 1}}, [{"g": "m"}] * 3)
    svg = presentation.svg_chart(report.dimensions[0])
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
