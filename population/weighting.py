"""Weighting respondents to the population by raking (iterative proportional fitting on the margins).

Pure Python, no Django: scripts, benchmarks and `manage.py weigh_responses` use the same code.

The contract (issue 15, point 5), so anyone can check it:

- start with weight 1 for every respondent; cycle through the dimensions in the given order; for
  dimension d, multiply the weights of the respondents whose d is known, per category c, by
  ``P_c * W_known / W_c`` (P_c the population share of c, W_known the weight of all respondents with d
  known, W_c the weight of those in c); respondents with d unknown keep their weight;
- stop when every weighted share among the known is within 1e-12 of its population share (checked after
  each full cycle), or after 1,000 cycles (then `NotConverged`); finally scale the weights to mean 1;
- a category with population share > 0 and no respondent raises `EmptyCategory` (naming the dimension
  and category): no weight can make up for a group nobody answered for;
- design effect (Kish) = n * sum(w^2) / (sum w)^2, effective n = (sum w)^2 / sum(w^2), margin of error
  (95 %, worst case p = 0.5) = 1.96 * sqrt(0.25 / effective n).

Trimming is never done by itself: `trim=` caps the weights at that multiple of the mean *after* raking
and scales them back to mean 1 (the margins then no longer fit exactly; `Weighting.trimmed` says how many
weights were capped, so the screen can say so).

Why our own 40 lines and not a library: the maintained Python options (`ipfn`, `weightipy`,
`samplics`) either need pandas, treat unknown values differently (drop the respondent or make
"unknown" a category of its own) or stop on a relative change rather than on the shares. The contract
above is what the CLI promises; tests/consultations/test_weighting.py checks it against an independent
numpy implementation and against hand-computed cases.
"""

from dataclasses import dataclass, field
from math import sqrt

TOLERANCE = 1e-12
MAX_CYCLES = 1000
UNKNOWN = ""


class WeightingError(ValueError):
    """The respondents cannot be weighted to this population; the message says why."""


class EmptyCategory(WeightingError):
    def __init__(self, dimension, category):
        self.dimension, self.category = dimension, category
        super().__init__(f"{dimension}: category {category!r} has people in the population but no respondent")


class NotConverged(WeightingError):
    def __init__(self, cycles, worst):
        self.cycles, self.worst = cycles, worst
        super().__init__(
            f"the weights did not converge after {cycles} cycles (largest difference between a weighted "
            f"and a population share: {worst:.3g}); the dimensions cannot all be met at once")


def is_unknown(value):
    return value is None or str(value).strip() == "" or str(value).strip().lower() == "unknown"


def population_shares(population):
    """{dimension: {category: count}} -> {dimension: {category: share}}."""
    shares = {}
    for dimension, counts in population.items():
        total = sum(counts.values())
        if total <= 0:
            raise WeightingError(f"{dimension}: the population has no people")
        shares[dimension] = {category: count / total for category, count in counts.items()}
    return shares


def _groups(respondents, dimension, categories):
    """Per category the indexes of the respondents in it; a value outside the categories is an error."""
    groups = {category: [] for category in categories}
    for index, person in enumerate(respondents):
        value = person.get(dimension)
        if is_unknown(value):
            continue
        value = str(value).strip()
        if value not in groups:
            raise WeightingError(f"{dimension}: {value!r} is not a category of the population "
                                 f"(categories: {', '.join(categories)})")
        groups[value].append(index)
    return groups


def _shares(weights, groups):
    known = sum(weights[i] for members in groups.values() for i in members)
    if known <= 0:
        return {category: 0.0 for category in groups}
    return {category: sum(weights[i] for i in members) / known for category, members in groups.items()}


@dataclass
class CategoryShares:
    category: str
    population_share: float
    unweighted_share: float
    weighted_share: float
    count: int

    def as_dict(self):
        return {"category": self.category, "population_share": self.population_share,
                "unweighted_share": self.unweighted_share, "weighted_share": self.weighted_share,
                "count": self.count}


@dataclass
class DimensionShares:
    name: str
    known: int
    unknown: int
    categories: list

    def as_dict(self):
        return {"name": self.name, "known": self.known, "unknown": self.unknown,
                "categories": [c.as_dict() for c in self.categories]}


@dataclass
class Weighting:
    weights: list
    dimensions: list
    cycles: int
    trimmed: int = 0
    trim: float | None = None
    notes: list = field(default_factory=list)

    @property
    def n(self):
        return len(self.weights)

    @property
    def design_effect(self):
        return design_effect(self.weights)

    @property
    def effective_n(self):
        return effective_n(self.weights)

    @property
    def margin_of_error(self):
        return margin_of_error(self.effective_n)

    def as_dict(self, ids=None):
        ids = ids if ids is not None else [str(i + 1) for i in range(self.n)]
        return {
            "weights": dict(zip(ids, self.weights, strict=True)),
            "dimensions": [d.as_dict() for d in self.dimensions],
            "respondents": self.n, "cycles": self.cycles,
            "trim": self.trim, "trimmed": self.trimmed,
            "design_effect": self.design_effect, "effective_n": self.effective_n,
            "margin_of_error": self.margin_of_error,
        }


def design_effect(weights):
    total = sum(weights)
    if not weights or total <= 0:
        return None
    return len(weights) * sum(w * w for w in weights) / (total * total)


def effective_n(weights):
    squares = sum(w * w for w in weights)
    if squares <= 0:
        return 0.0
    return sum(weights) ** 2 / squares


def margin_of_error(n_effective, p=0.5):
    """Half the width of the 95 % interval of a percentage (as a share); p = 0.5 is the worst case."""
    if not n_effective:
        return None
    return 1.96 * sqrt(p * (1 - p) / n_effective)


def rake(population, respondents, dimensions, *, trim=None, tolerance=TOLERANCE, max_cycles=MAX_CYCLES):
    """Weights for `respondents` (a list of {dimension: value}) so that, per dimension, their weighted
    shares among the known equal the population's (`population`: {dimension: {category: count}}).

    Returns a Weighting; raises WeightingError (EmptyCategory, NotConverged) when it cannot be done.
    """
    dimensions = list(dimensions)
    if not dimensions:
        raise WeightingError("no dimensions to weight on")
    if len(set(dimensions)) != len(dimensions):
        raise WeightingError("a dimension is given twice")
    missing = [d for d in dimensions if d not in population]
    if missing:
        raise WeightingError(f"dimension(s) {', '.join(missing)} not in the population")
    if not respondents:
        raise WeightingError("there are no respondents")
    if trim is not None and trim < 1:
        raise WeightingError("trim must be 1 or more (a multiple of the mean weight)")
    shares = population_shares({d: population[d] for d in dimensions})
    groups = {d: _groups(respondents, d, list(shares[d])) for d in dimensions}
    for d in dimensions:
        for category, share in shares[d].items():
            if share > 0 and not groups[d][category]:
                raise EmptyCategory(d, category)

    weights = [1.0] * len(respondents)
    unweighted = {d: _shares(weights, groups[d]) for d in dimensions}
    cycles, converged, worst = 0, False, 0.0
    while cycles < max_cycles:
        cycles += 1
        for d in dimensions:
            known = sum(weights[i] for members in groups[d].values() for i in members)
            for category, members in groups[d].items():
                current = sum(weights[i] for i in members)
                if current == 0:
                    continue  # only a category with population share 0 (checked above) or weight 0 already
                factor = shares[d][category] * known / current
                for i in members:
                    weights[i] *= factor
        worst = 0.0
        for d in dimensions:
            current = _shares(weights, groups[d])
            worst = max(worst, max(abs(current[c] - shares[d][c]) for c in shares[d]))
        if worst <= tolerance:
            converged = True
            break
    if not converged:
        raise NotConverged(cycles, worst)

    weights = _to_mean_one(weights)
    trimmed = 0
    if trim is not None:
        trimmed = sum(1 for w in weights if w > trim)
        weights = _to_mean_one([min(w, trim) for w in weights])

    result = []
    for d in dimensions:
        weighted = _shares(weights, groups[d])
        known = sum(len(m) for m in groups[d].values())
        result.append(DimensionShares(
            name=d, known=known, unknown=len(respondents) - known,
            categories=[CategoryShares(c, shares[d][c], unweighted[d][c], weighted[c], len(groups[d][c]))
                        for c in shares[d]]))
    return Weighting(weights=weights, dimensions=result, cycles=cycles, trimmed=trimmed, trim=trim)


def _to_mean_one(weights):
    total = sum(weights)
    if total <= 0:
        raise WeightingError("every weight became 0 (all respondents are in categories without population)")
    scale = len(weights) / total
    return [w * scale for w in weights]


def weighted_share(weights, members, among):
    """Weighted share of `members` (indexes) among `among` (indexes); None when `among` weighs nothing."""
    total = sum(weights[i] for i in among)
    if total <= 0:
        return None
    return sum(weights[i] for i in members) / total
