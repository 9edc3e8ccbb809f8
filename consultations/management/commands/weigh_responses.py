"""`manage.py weigh_responses --population P.csv --respondents R.csv --dimensions d1,d2 [--trim 5] [--json]`

P.csv: dimension,category,count (the `representativeness` command's population file). R.csv: an `id`
column plus one column per dimension (its people file); an empty value or "unknown" is unknown.
Rakes the respondents to the population on the given dimensions, in that order (population/weighting.py
holds the contract) and prints the weights, the shares per category, the design effect, the effective
sample size and the margin of error. Exit status 2, with the reason, when the files are malformed, a
category has population but no respondent, or the weights do not converge.
"""

import json

from django.core.management.base import BaseCommand

from population import weighting
from population.management.commands.representativeness import fail, read_csv, read_population


class Command(BaseCommand):
    help = "Weight respondents to the population by raking on the given dimensions (issue 15)."

    def add_arguments(self, parser):
        parser.add_argument("--population", required=True, help="CSV with dimension,category,count")
        parser.add_argument("--respondents", required=True, help="CSV with id plus one column per dimension")
        parser.add_argument("--dimensions", required=True, help="comma-separated, raked in this order")
        parser.add_argument("--trim", type=float, default=None,
                            help="cap weights at this multiple of the mean (only when asked)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        dimensions = [d.strip() for d in options["dimensions"].split(",") if d.strip()]
        if not dimensions:
            raise fail("--dimensions: give at least one dimension, e.g. --dimensions age_band,gender")
        if len(set(dimensions)) != len(dimensions):
            raise fail("--dimensions: a dimension is given twice")
        if options["trim"] is not None and not options["trim"] >= 1:
            raise fail("--trim must be 1 or more (a multiple of the mean weight)")
        population = read_population(options["population"])
        not_in_population = [d for d in dimensions if d not in population]
        if not_in_population:
            raise fail(f"population: dimension(s) {', '.join(not_in_population)} not in {options['population']} "
                       f"(it has: {', '.join(population)})")
        header, rows = read_csv(options["respondents"], "respondents")
        columns = {h: i for i, h in enumerate(header)}
        ids = {h.lower(): i for i, h in enumerate(header)}
        if "id" not in ids:
            raise fail(f"respondents: {options['respondents']} row 1: missing column id")
        not_in_file = [d for d in dimensions if d not in columns]
        if not_in_file:
            raise fail(f"respondents: {options['respondents']} row 1: missing column(s) {', '.join(not_in_file)}")
        people, keys, seen, problems = [], [], {}, []
        for number, row in rows:
            row = row + [""] * (len(header) - len(row))
            key = row[ids["id"]].strip()
            if not key:
                problems.append(f"row {number}: id is empty")
            elif key in seen:
                problems.append(f"row {number}: id {key!r} also on row {seen[key]}")
            seen.setdefault(key, number)
            person = {}
            for dimension in dimensions:
                value = row[columns[dimension]].strip()
                if weighting.is_unknown(value):
                    value = ""
                elif value not in population[dimension]:
                    problems.append(f"row {number}, column {dimension}: {value!r} is not a category of the "
                                    f"population (categories: {', '.join(population[dimension])})")
                person[dimension] = value
            people.append(person)
            keys.append(key)
        if problems:
            raise fail(f"respondents: {options['respondents']}: " + "; ".join(problems[:20])
                       + (f"; and {len(problems) - 20} more" if len(problems) > 20 else ""))
        try:
            result = weighting.rake(population, people, dimensions, trim=options["trim"])
        except weighting.WeightingError as error:
            raise fail(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(keys), indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"respondents: {result.n}  cycles: {result.cycles}")
        for dim in result.dimensions:
            self.stdout.write(f"\n{dim.name}: known {dim.known}, unknown {dim.unknown}")
            self.stdout.write(f"  {'category':<24}{'population':>11}{'unweighted':>11}{'weighted':>10}")
            for c in dim.categories:
                self.stdout.write(f"  {c.category[:23]:<24}{c.population_share:>11.3f}"
                                  f"{c.unweighted_share:>11.3f}{c.weighted_share:>10.3f}")
        self.stdout.write(f"\ndesign effect {result.design_effect:.3f}, effective n {result.effective_n:.1f}, "
                          f"margin of error ±{100 * result.margin_of_error:.1f} percentage points (95%)")
        if result.trim is not None:
            self.stdout.write(f"weights trimmed at {result.trim:g} x the mean: {result.trimmed} weight(s) capped; "
                              "the shares then no longer match the population exactly")
        self.stdout.write("\nweights:")
        for key, w in zip(keys, result.weights, strict=True):
            self.stdout.write(f"  {key}: {w:.6f}")
