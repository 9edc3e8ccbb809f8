"""Representativeness: how a group of people compares with the population. THE one module for it.

Events, recruitment and panels all call `compare` (or `check`), so every screen and export uses the same
definitions (issue 5). Per dimension, people whose value is unknown are left out and counted as unknown;
for each category with population count n_i (dimension total N, p = n_i / N):

- population_share = p;  count;  share = count / known;  ratio = share / p;  expected = known x p
- quota, quota_min, quota_max, tvd and p_value as population.statistics defines them;
  missing = max(0, quota_min - count)

The arithmetic lives in population.statistics (no Django), the sentences and charts in
population.presentation; which people make up a group is asked from population.groups.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from participation import small_cells

from . import dimensions
from .statistics import goodness_of_fit, hamilton, total_variation_distance

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
        group_shares = [count / known if known else None for count in counts]
        for c, n, p, count, share, (quota, qmin, qmax) in zip(cats, pop_counts, shares_p, counts, group_shares,
                                                              quotas, strict=True):
            ratio = share / p if share is not None and p > 0 else None
            category_results.append(CategoryResult(
                category=c, label=str(labels.get(name, {}).get(c, c)), population=n, population_share=p,
                count=count, share=share, ratio=ratio, expected=known * p, quota=quota, quota_min=qmin,
                quota_max=qmax, missing=max(0, qmin - count),
            ))
        results.append(DimensionResult(
            name=name, label=str(dimension_labels.get(name, name)), known=known, unknown=unknown,
            tvd=total_variation_distance(group_shares, shares_p) if known else None, test=test, p_value=p_value, size=k, categories=category_results,
            outside=outside,
        ))
    if problems:
        raise UnknownCategory(problems)
    return Report(size=size, people=people_count, dimensions=results, notes=list(notes), scope=scope)


def check(population, people, size=None, strict=True):
    """Compare people with a population.figures.Population (labels and notes included)."""
    return compare(population.counts, people, size, labels=population.labels,
                   dimension_labels=population.dimension_labels, strict=strict, notes=population.notes,
                   scope=population.scope)



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
