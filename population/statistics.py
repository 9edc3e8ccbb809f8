"""Pure statistics for representativeness: shares, Hamilton quotas, the exact multinomial and Pearson
chi-square goodness-of-fit tests, and the total variation distance. No Django: usable from scripts and
notebooks (`python -c "from population import statistics"` needs numpy only).

For each category with population count n_i (dimension total N, p = n_i / N):

- quota (target size K): Hamilton's largest remainder. floor(K p) each, the remaining seats to the
  largest remainders, ties to the larger p, then to the earlier category.
  quota_min = floor(K p), quota_max = ceil(K p)
- tvd = 1/2 sum |share - p|
- p_value: exact multinomial goodness-of-fit test (sum of the probabilities of all outcomes at most as
  likely as the observed one, relative tolerance 1e-7) when C(known + c - 1, c - 1) <= 1,000,000, else
  Pearson's chi-square with c - 1 degrees of freedom; `goodness_of_fit` says which ("exact" or "chi2").

Integer arithmetic is used for the quotas (no rounding surprises); the exact test enumerates all outcomes
with numpy in log space.
"""

import math

import numpy as np

EXACT_LIMIT = 1_000_000
RELATIVE_TOLERANCE = 1e-7


def shares(counts):
    """Each count as a share of their sum (None each when the sum is 0)."""
    total = sum(counts)
    return [count / total if total else None for count in counts]


def total_variation_distance(group_shares, population_shares):
    """1/2 sum |share - p| over the categories; None when the group has no shares (nobody known)."""
    if any(share is None for share in group_shares):
        return None
    return sum(abs(s - p) for s, p in zip(group_shares, population_shares, strict=True)) / 2


def hamilton(population_counts, size):
    """Largest-remainder apportionment of `size` seats. Returns [(quota, quota_min, quota_max)]."""
    total = sum(population_counts)
    if total <= 0:
        return [(0, 0, 0) for _ in population_counts]
    floors, remainders = [], []
    for n in population_counts:
        floor, remainder = divmod(size * n, total)
        floors.append(floor)
        remainders.append(remainder)
    seats = size - sum(floors)
    order = sorted(range(len(population_counts)), key=lambda i: (-remainders[i], -population_counts[i], i))
    quota = list(floors)
    for i in order[:seats]:
        quota[i] += 1
    return [(quota[i], floors[i], floors[i] + (1 if remainders[i] else 0)) for i in range(len(floors))]


def outcome_count(known, categories):
    return math.comb(known + categories - 1, categories - 1)


def _log_factorials(n):
    return np.array([math.lgamma(i + 1) for i in range(n + 1)])


def _half_compositions(n, log_terms):
    """All ways to put at most n people in the given categories: (totals, summed log terms).

    Built category by category as numpy arrays (every partial outcome expanded by every count the next
    category can take), so no Python loop runs per outcome.
    """
    remaining = np.array([n], dtype=np.int64)
    acc = np.zeros(1)
    for terms in log_terms:
        sizes = remaining + 1
        owner = np.repeat(np.arange(len(remaining)), sizes)
        starts = np.cumsum(sizes) - sizes
        k = np.arange(int(sizes.sum()), dtype=np.int64) - np.repeat(starts, sizes)
        acc = acc[owner] + terms[k]
        remaining = remaining[owner] - k
    return n - remaining, acc


def exact_multinomial_p(counts, probabilities):
    """Exact multinomial goodness-of-fit p-value: the total probability of all outcomes whose probability
    is at most the observed one's (relative tolerance 1e-7).

    Up to three categories every outcome is enumerated in numpy. With more, meet in the middle: the
    categories are split in two halves; each half's partial outcomes are
    enumerated once (far fewer than the full outcomes), and for every partial outcome of the first half
    the matching outcomes of the second half (same number of people left, probability under the
    threshold) are summed with a sorted array and prefix sums. Exact, and fast even near 1,000,000
    outcomes.
    """
    counts = list(counts)
    n = sum(counts)
    if any(c > 0 and p <= 0 for c, p in zip(counts, probabilities, strict=True)):
        return 0.0
    pairs = [(c, p) for c, p in zip(counts, probabilities, strict=True) if p > 0]
    if n == 0 or len(pairs) <= 1:
        return 1.0
    obs = np.array([c for c, _p in pairs])
    total_p = sum(p for _c, p in pairs)
    logp = np.log(np.array([p / total_p for _c, p in pairs]))
    lgf = _log_factorials(n)
    ks = np.arange(n + 1)
    log_terms = [ks * lp - lgf for lp in logp]  # log(p_i^k / k!) for k = 0..n
    log_observed = float(np.sum(obs * logp - lgf[obs]))  # without the constant log(n!)
    threshold = log_observed + math.log1p(RELATIVE_TOLERANCE)
    if len(pairs) <= 3:
        # Few categories: enumerate every outcome at once (at most 1,000,000, all in numpy).
        totals, partial = _half_compositions(n, log_terms[:-1])
        log_pmf = partial + log_terms[-1][n - totals]
        return min(1.0, float(np.exp(lgf[n] + log_pmf[log_pmf <= threshold]).sum()))
    half = len(pairs) // 2
    totals_a, log_a = _half_compositions(n, log_terms[:half])
    totals_b, log_b = _half_compositions(n, log_terms[half:])
    # Both halves grouped by their number of people; the second sorted by log probability within a
    # group, with prefix sums of the probabilities.
    order_a = np.argsort(totals_a, kind="stable")
    totals_a, log_a = totals_a[order_a], log_a[order_a]
    order_b = np.lexsort((log_b, totals_b))
    totals_b, log_b = totals_b[order_b], log_b[order_b]
    bounds_a = np.searchsorted(totals_a, np.arange(n + 2))
    bounds_b = np.searchsorted(totals_b, np.arange(n + 2))
    p_value = 0.0
    for people_in_a in range(n + 1):
        a_lo, a_hi = bounds_a[people_in_a], bounds_a[people_in_a + 1]
        b_lo, b_hi = bounds_b[n - people_in_a], bounds_b[n - people_in_a + 1]
        if a_lo == a_hi or b_lo == b_hi:
            continue
        group = log_b[b_lo:b_hi]
        top = group[-1]
        prefix = np.concatenate(([0.0], np.cumsum(np.exp(group - top))))
        partial = log_a[a_lo:a_hi]
        upto = np.searchsorted(group, threshold - partial, side="right")
        p_value += float(np.sum(np.exp(lgf[n] + partial + top) * prefix[upto]))
    return min(1.0, p_value)


def _upper_incomplete_gamma_q(a, x):
    """Regularised upper incomplete gamma Q(a, x) (series / continued fraction, Numerical Recipes 6.2)."""
    if x <= 0:
        return 1.0
    log_prefix = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        ap = a
        for _ in range(10_000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(log_prefix))
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return math.exp(log_prefix) * h


def chi2_sf(statistic, df):
    if df <= 0:
        return 1.0
    return _upper_incomplete_gamma_q(df / 2, statistic / 2)


def pearson_p(counts, probabilities):
    n = sum(counts)
    statistic = 0.0
    used = 0
    for c, p in zip(counts, probabilities, strict=True):
        if p <= 0:
            if c > 0:
                return 0.0
            continue
        expected = n * p
        statistic += (c - expected) ** 2 / expected
        used += 1
    return chi2_sf(statistic, used - 1)


def goodness_of_fit(counts, probabilities):
    """(test, p_value) as the issue defines them."""
    known = sum(counts)
    if outcome_count(known, len(counts)) <= EXACT_LIMIT:
        return "exact", exact_multinomial_p(counts, probabilities)
    return "chi2", pearson_p(counts, probabilities)
