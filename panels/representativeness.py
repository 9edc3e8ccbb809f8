"""Representativeness: how a group of people compares with the population. THE one module for it.

Events, recruitment and panels all call `compare` (or `check`), so every screen and export uses the same
definitions (issue 5). Per dimension, people whose value is unknown are left out and counted as unknown;
for each category with population count n_i (dimension total N, p = n_i / N):

- population_share = p;  count;  share = count / known;  ratio = share / p;  expected = known x p
- quota (target size K; K = known when none is given): Hamilton's largest remainder. floor(K p) each,
  the remaining seats to the largest remainders, ties to the larger p, then to the earlier category.
  quota_min = floor(K p), quota_max = ceil(K p), missing = max(0, quota_min - count)
- tvd = 1/2 sum |share - p|
- p_value: exact multinomial goodness-of-fit test (sum of the probabilities of all outcomes at most as
  likely as the observed one, relative tolerance 1e-7) when C(known + c - 1, c - 1) <= 1,000,000, else
  Pearson's chi-square with c - 1 degrees of freedom; `test` says which ("exact" or "chi2").

Integer arithmetic is used for the quotas (no rounding surprises); the exact test enumerates all outcomes
with numpy in log space. No Django models are needed here: helpers at the end build the people from
panels, pools and event registrations.
"""

import math
from dataclasses import dataclass, field
from html import escape

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participation import small_cells

from . import dimensions

EXACT_LIMIT = 1_000_000
RELATIVE_TOLERANCE = 1e-7
UNKNOWN_VALUES = {"", "unknown", None}


class UnknownCategory(ValueError):
    """People have values that are not categories of the population. `problems`: (dimension, value, rows)."""

    def __init__(self, problems):
        self.problems = problems
        lines = [
            _("%(dimension)s: %(value)r is not a category of the population (rows %(rows)s)")
            % {"dimension": d, "value": v, "rows": ", ".join(str(r) for r in rows[:20]) + (" …" if len(rows) > 20 else "")}
            for d, v, rows in problems
        ]
        super().__init__("; ".join(lines))


@dataclass
class CategoryResult:
    category: str
    label: str
    population: int
    population_share: float
    count: int
    share: float | None
    ratio: float | None
    expected: float
    quota: int
    quota_min: int
    quota_max: int
    missing: int

    def as_dict(self):
        return {
            "category": self.category, "population": self.population,
            "population_share": self.population_share, "count": self.count, "share": self.share,
            "ratio": self.ratio, "expected": self.expected, "quota": self.quota,
            "quota_min": self.quota_min, "quota_max": self.quota_max, "missing": self.missing,
        }


@dataclass
class DimensionResult:
    name: str
    label: str
    known: int
    unknown: int
    tvd: float | None
    test: str
    p_value: float
    size: int
    categories: list
    outside: dict = field(default_factory=dict)  # value -> how many people (not a category; counted unknown)

    def as_dict(self):
        return {
            "name": self.name, "known": self.known, "unknown": self.unknown, "tvd": self.tvd,
            "test": self.test, "p_value": self.p_value,
            "categories": [c.as_dict() for c in self.categories],
        }

    @property
    def missing_total(self):
        return sum(c.missing for c in self.categories)


def published_counts(dim):
    """Per category, (what may be published, hidden?) under participation.small_cells.

    The group's number of known answers is published anyway (the expected counts and the shares give
    it), so the categories are a row with a fixed total: besides counts of 1-4 ("<5") another count is
    hidden ("x") when it would give one away. When that cannot be done, every count but the zeros is "x".
    """
    counts = [c.count for c in dim.categories]
    if hides_known(dim):
        # The number of people is public (the panel's size, a dimension everyone answered), so the
        # unknowns are a cell of the row too, and the number of known answers is not shown.
        counts = counts + [dim.unknown]
    shown, _total, ok = small_cells.protect_row(counts, total_fixed=True)
    if not ok:
        shown = [c if c == 0 else str(small_cells.SECONDARY_LABEL) for c in counts]
    if hides_known(dim):
        shown = shown[:-1]
    return [(value, not isinstance(value, int)) for value in shown]


def hides_known(dim):
    """On a published report: is this dimension's number of known answers kept back?

    Everyone's number is public (the panel's size; a dimension everyone answered), so showing the known
    answers of a dimension with 1-4 unknowns would give those away by subtracting. Such a dimension shows
    its counts ("<5"/"x" where needed) but no expected counts, shares or test figures, which all reveal
    the number of known answers.
    """
    return 0 < dim.unknown < small_cells.MIN_GROUP_SIZE


@dataclass
class Report:
    size: int | None
    people: int
    dimensions: list
    notes: list = field(default_factory=list)
    scope: str = ""

    def as_dict(self):
        """The JSON contract of `manage.py representativeness --json`."""
        return {"size": self.size, "people": self.people, "dimensions": [d.as_dict() for d in self.dimensions]}

    def dimension(self, name):
        return next((d for d in self.dimensions if d.name == name), None)

    def published(self):
        """The aggregates as they may leave the coordinator's screen: counts 1-4 as "<5", shares that
        would reveal them hidden, dimensions with fewer than 5 known people left out."""
        out = []
        for dim in self.dimensions:
            if dim.known < small_cells.MIN_GROUP_SIZE:
                continue
            cats = []
            published = published_counts(dim)
            for c, (shown, hidden) in zip(dim.categories, published, strict=True):
                row = c.as_dict()
                row["label"] = c.label
                if hidden:
                    row.update(count=shown, share=None, ratio=None)
                if hides_known(dim):
                    row.update(share=None, ratio=None, expected=None)
                cats.append(row)
            keep_back = hides_known(dim) or any(hidden for _shown, hidden in published)
            out.append({"name": dim.name, "label": dim.label,
                        "known": str(small_cells.SECONDARY_LABEL) if hides_known(dim) else dim.known,
                        "unknown": small_cells.mask(dim.unknown),
                        "tvd": None if keep_back else dim.tvd,
                        "test": dim.test, "p_value": dim.p_value, "categories": cats})
        return {"size": self.size, "people": small_cells.mask(self.people), "dimensions": out}


# --- statistics -----------------------------------------------------------------------------------------

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


# --- the comparison ------------------------------------------------------------------------------------

def compare(population, people, size=None, *, labels=None, dimension_labels=None, strict=True,
            notes=None, scope=""):
    """Compare `people` (iterable of {dimension: value}) with `population` ({dimension: {category: count}}).

    A value that is not a category raises UnknownCategory (strict) or is counted as unknown and listed in
    `outside` (not strict: for example someone from another wijk at a wijk's event).
    """
    labels = labels or {}
    dimension_labels = dimension_labels or {}
    names = list(population)
    tallies = {name: {} for name in names}
    people_count = 0
    for person in people:
        people_count += 1
        for name in names:
            value = person.get(name)
            if value in UNKNOWN_VALUES:
                value = ""
            tally = tallies[name]
            tally[value] = tally.get(value, 0) + 1
    return _report_from_tallies(population, tallies, people_count, size, labels, dimension_labels, strict,
                                notes or [], scope)


def compare_counts(population, tallies, people_count, size=None, **kwargs):
    """Like compare, from counts already made: tallies = {dimension: {value: number}}."""
    return _report_from_tallies(population, tallies, people_count, size, kwargs.get("labels") or {},
                                kwargs.get("dimension_labels") or {}, kwargs.get("strict", True),
                                kwargs.get("notes") or [], kwargs.get("scope", ""))


def _report_from_tallies(population, tallies, people_count, size, labels, dimension_labels, strict, notes,
                         scope):
    results = []
    problems = []
    for name, categories in population.items():
        tally = dict(tallies.get(name, {}))
        unknown = tally.pop("", 0)
        outside = {value: n for value, n in tally.items() if value not in categories}
        if outside:
            if strict:
                problems.extend((name, value, [n]) for value, n in outside.items())
            unknown += sum(outside.values())
        cats = list(categories)
        pop_counts = [int(categories[c]) for c in cats]
        total = sum(pop_counts)
        if total <= 0:
            continue
        counts = [tally.get(c, 0) for c in cats]
        known = sum(counts)
        k = size if size is not None else known
        shares_p = [n / total for n in pop_counts]
        quotas = hamilton(pop_counts, k)
        test, p_value = goodness_of_fit(counts, shares_p)
        category_results = []
        tvd = 0.0
        for c, n, p, count, (quota, qmin, qmax) in zip(cats, pop_counts, shares_p, counts, quotas, strict=True):
            share = count / known if known else None
            ratio = share / p if share is not None and p > 0 else None
            if share is not None:
                tvd += abs(share - p)
            category_results.append(CategoryResult(
                category=c, label=str(labels.get(name, {}).get(c, c)), population=n, population_share=p,
                count=count, share=share, ratio=ratio, expected=known * p, quota=quota, quota_min=qmin,
                quota_max=qmax, missing=max(0, qmin - count),
            ))
        results.append(DimensionResult(
            name=name, label=str(dimension_labels.get(name, name)), known=known, unknown=unknown,
            tvd=tvd / 2 if known else None, test=test, p_value=p_value, size=k, categories=category_results,
            outside=outside,
        ))
    if problems:
        raise UnknownCategory(problems)
    return Report(size=size, people=people_count, dimensions=results, notes=list(notes), scope=scope)


def check(population, people, size=None, strict=True):
    """Compare people with a panels.population.Population (labels and notes included)."""
    return compare(population.counts, people, size, labels=population.labels,
                   dimension_labels=population.dimension_labels, strict=strict, notes=population.notes,
                   scope=population.scope)


# --- plain language ------------------------------------------------------------------------------------

def group_phrase(dimension, category, label):
    """How a category reads as a group of people in a sentence ("Young people (15-24)")."""
    phrases = {
        (dimensions.GENDER, "man"): _("Men"),
        (dimensions.GENDER, "woman"): _("Women"),
        (dimensions.AGE_BAND, "0-14"): _("Children (0-14)"),
        (dimensions.AGE_BAND, "15-24"): _("Young people (15-24)"),
        (dimensions.AGE_BAND, "25-44"): _("People aged 25-44"),
        (dimensions.AGE_BAND, "45-64"): _("People aged 45-64"),
        (dimensions.AGE_BAND, "65+"): _("People aged 65 or over"),
        (dimensions.ORIGIN, "nl"): _("People of Dutch origin"),
        (dimensions.ORIGIN, "europe"): _("People of European origin (not Dutch)"),
        (dimensions.ORIGIN, "outside_europe"): _("People with an origin outside Europe"),
    }
    if (dimension, category) in phrases:
        return phrases[(dimension, category)]
    if dimension == dimensions.WIJK:
        return _("residents of %(wijk)s") % {"wijk": label}
    return _("%(dimension)s: %(category)s") % {"dimension": dimension, "category": label}


def _join(items):
    items = list(items)
    if len(items) == 1:
        return items[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _number(value):
    if abs(value - round(value)) < 0.05:
        return number_format(round(value))
    return number_format(round(value, 1), decimal_pos=1)


def _capitalise(text):
    return text[:1].upper() + text[1:]


def classify(dim, category):
    """'under', 'over' or None. Leans on the quota bands at the group's own size (floor/ceil of the
    expected count) and asks for a real difference (at least 20% off), so a big group is not flagged for
    a handful of people and a small one is flagged as soon as a whole person is missing."""
    if dim.known == 0 or category.population_share == 0:
        return None
    low = math.floor(category.expected + 1e-9)
    high = math.ceil(category.expected - 1e-9)
    ratio = category.count / category.expected if category.expected else None
    if category.count < low and (ratio is None or ratio <= 0.8):
        return "under"
    if category.count > high and (ratio is None or ratio >= 1.25):
        return "over"
    return None


def verdict(report, published=False):
    """Plain-language sentences (B1) about the report. Published: counts 1-4 as "<5"."""
    def shown(count):
        return str(small_cells.mask(count)) if published else number_format(count)

    category_shown = {}
    if published:
        for dim in report.dimensions:
            for c, (value, _hidden) in zip(dim.categories, published_counts(dim), strict=True):
                category_shown[(dim.name, c.category)] = str(value)

    def plural_n(count):  # "<5 people", never "<5 person"
        return small_cells.MIN_GROUP_SIZE if published and not small_cells.is_publishable(count) else count

    sentences = []
    for kind in ("under", "over"):
        grouped = {}
        for dim in report.dimensions:
            for c in dim.categories:
                if classify(dim, c) == kind:
                    count = category_shown.get((dim.name, c.category), c.count)
                    key = (count, dim.known, _number(c.expected))
                    if published and hides_known(dim):
                        key = (None, None, None)
                    grouped.setdefault(key, []).append(str(group_phrase(dim.name, c.category, c.label)))
        for (count, known, expected), groups in grouped.items():
            text = _join(groups)
            if known is None:  # published, and the number of known answers is kept back
                sentence = (_("%(groups)s are under-represented.") if kind == "under"
                            else _("%(groups)s are over-represented."))
                sentences.append(_capitalise(sentence % {"groups": text}))
                continue
            if kind == "under":
                sentence = _("%(groups)s are under-represented: %(count)s of %(known)s where %(expected)s "
                             "would be expected.")
            else:
                sentence = _("%(groups)s are over-represented: %(count)s of %(known)s where %(expected)s "
                             "would be expected.")
            sentences.append(_capitalise(sentence % {"groups": text, "count": count if published else shown(count),
                                                      "known": shown(known), "expected": expected}))
    if not sentences and report.dimensions:
        sentences.append(_("No group is clearly under- or over-represented compared with the population."))
    for dim in report.dimensions:
        if dim.known and dim.p_value < 0.05:
            shown_p = p_text(dim.p_value)
            shown_p = shown_p if shown_p.startswith("<") else "= " + shown_p
            sentences.append(
                _("%(dimension)s: the difference with the population is larger than chance would explain "
                  "(p %(p)s).") % {"dimension": dim.label, "p": shown_p}
            )
    smallest = min((d.known for d in report.dimensions if not (published and hides_known(d))), default=0)
    if 0 < smallest < 30:
        sentences.append(
            ngettext(
                "With %(n)s person a statistical test says little; look at the numbers and the quotas.",
                "With %(n)s people a statistical test says little; look at the numbers and the quotas.",
                plural_n(smallest),
            ) % {"n": shown(smallest)}
        )
    for dim in report.dimensions:
        if dim.unknown:
            sentences.append(
                ngettext("%(n)s person did not give their %(dimension)s.",
                         "%(n)s people did not give their %(dimension)s.", plural_n(dim.unknown))
                % {"n": shown(dim.unknown), "dimension": dim.label.lower()}
            )
    return sentences


def who_is_missing(report):
    """Per dimension, the categories still short of their minimum quota at the target size."""
    out = []
    for dim in report.dimensions:
        short = [(c, c.missing) for c in dim.categories if c.missing > 0]
        if short:
            out.append({"dimension": dim, "total": dim.missing_total,
                        "categories": [{"category": c.category, "label": c.label, "missing": m,
                                        "phrase": str(group_phrase(dim.name, c.category, c.label))}
                                       for c, m in short]})
    return out


# --- chart ---------------------------------------------------------------------------------------------

def svg_chart(dim, published=False, group_label=None):
    """A horizontal bar chart of group share against population share for one dimension (SVG text).

    The table next to it in the templates is the accessible alternative; the SVG is marked as an image
    with a title and description.
    """
    group_label = group_label or _("Group")
    # Narrow by design: each category's label stands above its two bars, so the chart is 320 units
    # wide and a phone (288 px of room at 320 px) shows its text at about 90% of its size, not the 4-6 px
    # a wide chart shrunk to fit would give (WCAG 1.4.4). Desktops show it one and a half times as large.
    bar_width, row, width = 240, 50, 320
    height = 34 + row * len(dim.categories)
    title = _("%(dimension)s: group compared with the population") % {"dimension": dim.label}
    population_label = _("Population")
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rep-chart" viewBox="0 0 {width} {height}" '
        f'width="{width * 3 // 2}" height="{height * 3 // 2}" style="max-width:100%;height:auto" role="img" '
        f'aria-labelledby="chart-{escape(dim.name)}-title">',
        f'<title id="chart-{escape(dim.name)}-title">{escape(title)}</title>',
        f'<rect x="0" y="6" width="13" height="13" fill="#8a8f98"/>'
        f'<text x="18" y="17" font-size="13">{escape(population_label)}</text>',
        f'<rect x="150" y="6" width="13" height="13" fill="#0b5cab"/>'
        f'<text x="168" y="17" font-size="13">{escape(str(group_label))}</text>',
    ]
    # The longest bar fills the width; the percentages printed beside the bars carry the values.
    hidden = [published and h for _value, h in published_counts(dim)]
    if published and hides_known(dim):  # shares would give the number of known answers away
        hidden = [True] * len(dim.categories)
    labels = [str(value) if not isinstance(value, int) else "–" for value, _h in published_counts(dim)]
    largest = max([c.population_share for c in dim.categories]
                  + [c.share for c, h in zip(dim.categories, hidden, strict=True)
                     if c.share is not None and not h] + [1e-9])
    scale = bar_width / largest
    for i, c in enumerate(dim.categories):
        y = 30 + i * row
        masked = hidden[i]
        share = None if masked else c.share
        lines.append(f'<text x="0" y="{y + 13}" font-size="13">{escape(c.label[:40])}</text>')
        pw = scale * c.population_share
        lines.append(f'<rect x="0" y="{y + 18}" width="{pw:.1f}" height="12" fill="#8a8f98"/>')
        lines.append(f'<text x="{pw + 4:.1f}" y="{y + 29}" font-size="12">'
                     f'{escape(_percent(c.population_share))}</text>')
        if share is not None:
            gw = scale * share
            lines.append(f'<rect x="0" y="{y + 32}" width="{gw:.1f}" height="12" fill="#0b5cab"/>')
            lines.append(f'<text x="{gw + 4:.1f}" y="{y + 43}" font-size="12">'
                         f'{escape(_percent(share))}</text>')
        else:
            lines.append(f'<text x="4" y="{y + 43}" font-size="12">{escape(labels[i]) if masked else "–"}</text>')
    lines.append("</svg>")
    return "\n".join(lines)


def _percent(value):
    return f"{number_format(round(value * 100, 1), decimal_pos=1)}%"


def percent(value):
    return "" if value is None else _percent(value)


def p_text(p_value):
    """"< 0,001" rather than "0,000"."""
    if p_value < 0.001:
        return "< " + number_format(0.001, 3)
    return number_format(round(p_value, 3), 3)


# --- people from the platform's groups ------------------------------------------------------------------

def person_values(*, age_band="", gender="", wijk=None, origin="", origin_consent=False, extra=None):
    """One person's values per dimension (unknown = ""). Origin counts only with explicit consent."""
    values = dict(extra or {})
    wijk_area = getattr(wijk, "wijk", None) if wijk is not None else None
    values.update({
        dimensions.AGE_BAND: age_band or "",
        dimensions.GENDER: gender or "",
        dimensions.WIJK: wijk_area.code if wijk_area is not None else "",
        dimensions.ORIGIN: origin if (origin and origin_consent) else "",
    })
    return values


def people_from_volunteers(volunteers):
    return [
        person_values(age_band=v.age_band, gender=v.gender, wijk=v.wijk, origin=v.origin,
                      origin_consent=v.origin_consent, extra=v.extra)
        for v in volunteers.select_related("wijk", "wijk__parent")
    ]


def people_from_panel(panel):
    from .models import Volunteer

    return people_from_volunteers(Volunteer.objects.filter(
        memberships__panel=panel, memberships__left_on__isnull=True).distinct())


def people_from_pool(panel):
    from .models import Volunteer

    return people_from_volunteers(panel.pool.exclude(status=Volunteer.Status.WITHDRAWN))


def people_from_registrations(registrations):
    """People from events.models.Registration rows (self-reported age_band, gender, wijk, origin)."""
    return [
        person_values(age_band=r.age_band, gender=r.gender, wijk=r.wijk, origin=r.origin,
                      origin_consent=getattr(r, "origin_consent", False))
        for r in registrations.select_related("wijk", "wijk__parent")
    ]


def people_from_event(event, attendees=False):
    """An event's registrants (confirmed) or its attendees, through events.services (imported lazily)."""
    from events import services as event_services

    group = event_services.attendees(event) if attendees else event_services.participants(event)
    return people_from_registrations(group)
