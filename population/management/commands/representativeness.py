"""`manage.py representativeness --population population.csv --people people.csv [--size K] [--json]`

population.csv: dimension,category,count. people.csv: id plus one column per dimension (empty or
"unknown" = unknown). Prints the comparison (the JSON contract of issue 5 with --json). A value that is
not a category of the population, or a malformed file, stops the command with exit status 2.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from population import csvfiles, representativeness
from population.importer import parse_count


def fail(message):
    return CommandError(message, returncode=2)


def read_csv(path, what):
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise fail(f"{what}: cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise fail(f"{what}: {path} is not UTF-8 text") from None
    try:
        rows = csvfiles.read_rows(text)
    except csvfiles.CSVProblem as problem:
        raise fail(f"{what}: {path} {problem.english()}") from None
    if not rows:
        raise fail(f"{what}: {path} is empty")
    return [h.strip() for h in rows[0]], [(n, r) for n, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]


def read_population(path):
    header, rows = read_csv(path, "population")
    keys = {h.lower(): i for i, h in enumerate(header)}
    missing = [c for c in ("dimension", "category", "count") if c not in keys]
    if missing:
        raise fail(f"population: {path} row 1: missing column(s) {', '.join(missing)} "
                   "(expected dimension,category,count)")
    population, problems = {}, []
    for number, row in rows:
        row = row + [""] * (len(header) - len(row))
        dimension, category = row[keys["dimension"]].strip(), row[keys["category"]].strip()
        raw = row[keys["count"]]
        if not dimension or not category or category.lower() == "unknown":
            problems.append(f"row {number}: dimension and category must be given (got {dimension!r}, {category!r})")
            continue
        try:
            count = parse_count(raw)
        except ValueError:
            count = "bad"
        if count is None or count == "bad":
            problems.append(f"row {number}, column count: {raw!r} is not a number of people")
            continue
        if category in population.setdefault(dimension, {}):
            problems.append(f"row {number}: {dimension}={category} appears twice")
            continue
        population[dimension][category] = count
    if problems:
        raise fail(f"population: {path}: " + "; ".join(problems))
    empty = [d for d, cats in population.items() if sum(cats.values()) == 0]
    if empty:
        raise fail(f"population: {path}: dimension(s) {', '.join(empty)} have no people")
    return population


class Command(BaseCommand):
    help = "Compare a group of people with the population, per dimension and category (issue 5)."

    def add_arguments(self, parser):
        parser.add_argument("--population", required=True, help="CSV with dimension,category,count")
        parser.add_argument("--people", required=True, help="CSV with id plus one column per dimension")
        parser.add_argument("--size", type=int, default=None, help="target size K (default: known count)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        if options["size"] is not None and options["size"] < 0:
            raise fail("--size must be 0 or more")
        population = read_population(options["population"])
        header, rows = read_csv(options["people"], "people")
        columns = {h: i for i, h in enumerate(header) if h in population}
        ignored = [h for h in header if h not in population and h.lower() != "id"]
        if ignored:
            self.stderr.write(f"people: column(s) {', '.join(ignored)} are not dimensions of the population; ignored")
        people, bad = [], {}
        for number, row in rows:
            row = row + [""] * (len(header) - len(row))
            person = {}
            for dimension, index in columns.items():
                value = row[index].strip()
                if value.lower() == "unknown":
                    value = ""
                if value and value not in population[dimension]:
                    bad.setdefault((dimension, value), []).append(number)
                person[dimension] = value
            people.append(person)
        if bad:
            lines = [
                f"{dimension}: {value!r} is not a category of the population "
                f"(rows {', '.join(map(str, numbers))}); categories: {', '.join(population[dimension])}"
                for (dimension, value), numbers in bad.items()
            ]
            raise fail("people: " + "; ".join(lines))
        report = representativeness.compare(population, people, options["size"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"people: {report.people}  target size: {report.size if report.size is not None else 'known count'}")
        for dim in report.dimensions:
            self.stdout.write(f"\n{dim.name}: known {dim.known}, unknown {dim.unknown}, tvd {dim.tvd if dim.tvd is None else round(dim.tvd, 4)}, "
                              f"{dim.test} p = {dim.p_value:.4g}")
            self.stdout.write(f"  {'category':<24}{'population':>12}{'share':>8}{'count':>7}{'expected':>10}{'quota':>7}{'band':>9}{'missing':>9}")
            for c in dim.categories:
                self.stdout.write(
                    f"  {c.category[:23]:<24}{c.population:>12}{c.population_share:>8.3f}{c.count:>7}{c.expected:>10.2f}"
                    f"{c.quota:>7}{f'{c.quota_min}-{c.quota_max}':>9}{c.missing:>9}")
        self.stdout.write("")
        for sentence in representativeness.verdict(report):
            self.stdout.write(str(sentence))
