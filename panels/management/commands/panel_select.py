"""`manage.py panel_select --people people.csv --features features.csv --size K [--seed S]
[--algorithm maximin|leximin] [--max-seconds T] [--keep kept.csv] --out panel.csv --report report.json`

Fair stratified selection in the Sortition Foundation's CSV format, so coordinators can move over:
people.csv is `id` plus one column per feature (other columns, such as names, are kept in panel.csv but
not used); features.csv is `feature,value,min,max` (extra columns such as min_flex and max_flex are
ignored). The lottery is computed by panels.selection (leximin by default) and one panel is drawn with
the seed; without --seed a random seed is chosen and recorded.

panel.csv gets the selected people's rows (all columns of people.csv, in pool order). report.json gets
`{"algorithm", "seed", "seconds", "panel": [ids], "min_probability", "probabilities": {id: p}}` with
every volunteer listed, plus "size", "optimal" (false only when --max-seconds cut the computation
short), "pool_sha256" (of people.csv's bytes) and "quotas". When not optimal, the report adds "warning"
(why, in words) and "selectable_at_zero" (ids who could be selected but have probability 0; the early
stop tries to keep this empty) and the command prints the same warning on stderr.

With --keep kept.csv (a CSV with an `id` column naming volunteers of people.csv who stay on the panel),
the command draws only the K − |kept| open places, from the pool minus the kept, by the same lottery
conditional on the kept members: kept + new meet every quota. panel.csv then holds the new people only;
report.json lists every remaining volunteer's probability of the new draw (summing to K − |kept|) and
adds "kept" (the ids) and "drawn" (how many were drawn). Unknown ids in kept.csv, or kept members who
make the quotas unreachable, stop the command with exit status 2.

Bad input (unreadable file, missing columns, duplicate ids, a person's value that is not in
features.csv, min > max, a size the pool cannot fill, infeasible quotas) stops the command with a message
naming the row and column and exit status 2; no output file is written then.

The messages of this command are in English only: it is a tool for files and scripts, like Django's own
management commands. The admin screens translate the same checks through the structured data of
panels.selection (InfeasibleQuotas.relaxations).
"""

import csv
import hashlib
import io
import json
import os
import secrets
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from panels import selection
from population import csvfiles

MAX_QUOTA = 1_000_000


def shorten(text, length=40):
    return text if len(text) <= length else text[:length] + "…"


def fail(message):
    return CommandError(message, returncode=2)


def read_table(path, what):
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise fail(f"{what}: cannot read {path}: {error.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fail(f"{what}: {path} is not UTF-8 text") from None
    try:
        rows = csvfiles.read_rows(text)
    except csvfiles.CSVProblem as problem:
        raise fail(f"{what}: {path} {problem.english()}") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise fail(f"{what}: {path} is empty")
    header = [cell.strip() for cell in rows[0]]
    body = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(cell.strip() for cell in row)]
    return data, header, body


def column_index(header, names, what, path):
    lowered = [h.lower() for h in header]
    missing = [name for name in names if name not in lowered]
    if missing:
        raise fail(
            f"{what}: {path} row 1: missing column(s) {', '.join(missing)} "
            f"(the columns are: {', '.join(header) or 'none'})"
        )
    duplicated = [name for name in names if lowered.count(name) > 1]
    if duplicated:
        raise fail(f"{what}: {path} row 1: column(s) {', '.join(duplicated)} appear more than once")
    return {name: lowered.index(name) for name in names}


def read_features(path):
    _, header, body = read_table(path, "features")
    index = column_index(header, ["feature", "value", "min", "max"], "features", path)
    quotas, problems = {}, []
    for number, row in body:
        row = row + [""] * (len(header) - len(row))
        feature, value = row[index["feature"]].strip(), row[index["value"]].strip()
        if not feature or not value:
            problems.append(f"row {number}: feature and value must both be given")
            continue
        bounds = []
        for column in ("min", "max"):
            raw = row[index[column]].strip()
            try:
                bound = int(raw)
            except ValueError:
                problems.append(f"row {number}, column {column}: {shorten(raw)!r} is not a whole number")
                break
            if bound < 0:
                problems.append(f"row {number}, column {column}: {bound} is negative")
                break
            if bound > MAX_QUOTA:
                problems.append(f"row {number}, column {column}: {shorten(raw)} is larger than any pool ({MAX_QUOTA})")
                break
            bounds.append(bound)
        if len(bounds) != 2:
            continue
        if bounds[0] > bounds[1]:
            problems.append(f"row {number}: min {bounds[0]} is larger than max {bounds[1]} for {feature} = {value}")
            continue
        if (feature, value) in quotas:
            problems.append(f"row {number}: {feature} = {value} appears twice")
            continue
        quotas[(feature, value)] = tuple(bounds)
    if problems:
        raise fail(f"features: {path}: " + "; ".join(problems))
    if not quotas:
        raise fail(f"features: {path} has no quotas")
    return quotas


def read_people(path, quotas):
    data, header, body = read_table(path, "people")
    features = list(dict.fromkeys(feature for feature, _ in quotas))
    index = column_index(header, ["id", *(f.lower() for f in features)], "people", path)
    values = {f: {v for (g, v) in quotas if g == f} for f in features}
    people, rows, problems = {}, {}, []
    for number, row in body:
        row = row + [""] * (len(header) - len(row))
        person = row[index["id"]].strip()
        if not person:
            problems.append(f"row {number}, column id: the id is empty")
            continue
        if person in people:
            problems.append(f"row {number}, column id: {person} appears twice")
            continue
        answers = {}
        for feature in features:
            value = row[index[feature.lower()]].strip()
            if value not in values[feature]:
                problems.append(
                    f"row {number} (id {person}), column {feature}: {value!r} is not a value of {feature} "
                    f"in the features file ({', '.join(sorted(values[feature]))})"
                )
            answers[feature] = value
        people[person] = answers
        rows[person] = row[: len(header)]
    if problems:
        shown = problems[:20] + ([f"… and {len(problems) - 20} more"] if len(problems) > 20 else [])
        raise fail(f"people: {path}: " + "; ".join(shown))
    if not people:
        raise fail(f"people: {path} has no volunteers")
    return data, header, people, rows


def read_keep(path, people):
    """The ids in kept.csv (column id), in file order; every id must be a volunteer of people.csv."""
    _, header, body = read_table(path, "keep")
    index = column_index(header, ["id"], "keep", path)["id"]
    keep, problems = [], []
    for number, row in body:
        person = row[index].strip() if index < len(row) else ""
        if not person:
            problems.append(f"row {number}, column id: the id is empty")
        elif person not in people:
            problems.append(f"row {number}, column id: {person} is not a volunteer in the people file")
        elif person in keep:
            problems.append(f"row {number}, column id: {person} appears twice")
        else:
            keep.append(person)
    if problems:
        shown = problems[:20] + ([f"… and {len(problems) - 20} more"] if len(problems) > 20 else [])
        raise fail(f"keep: {path}: " + "; ".join(shown))
    if not keep:
        raise fail(f"keep: {path} names nobody (leave out --keep to draw the whole panel)")
    return keep


def write_atomically(path, text):
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.")
    with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)


class Command(BaseCommand):
    help = "Draw a panel by a fair lottery (leximin or maximin) from Sortition Foundation CSV files."

    def add_arguments(self, parser):
        parser.add_argument("--people", required=True, help="people.csv: id plus one column per feature")
        parser.add_argument("--features", required=True, help="features.csv: feature,value,min,max")
        parser.add_argument("--size", required=True, type=int, help="the panel size K")
        parser.add_argument("--seed", type=int, default=None, help="seed of the draw (random when omitted)")
        parser.add_argument("--algorithm", choices=selection.ALGORITHMS, default="leximin")
        parser.add_argument("--max-seconds", type=float, default=None,
                            help="stop refining after this long (the lottery stays valid; report says optimal: false)")
        parser.add_argument("--keep", default=None,
                            help="kept.csv with an id column: members who stay; draw only the open places")
        parser.add_argument("--out", required=True, help="panel.csv to write (the selected rows)")
        parser.add_argument("--report", required=True, help="report.json to write")

    def handle(self, *args, **options):
        size = options["size"]
        if size < 1:
            raise fail(f"--size must be at least 1, not {size}")
        for option in ("out", "report"):
            folder = Path(options[option]).resolve().parent
            if not folder.is_dir():
                raise fail(f"--{option}: the folder {folder} does not exist")
        quotas = read_features(options["features"])
        data, header, people, rows = read_people(options["people"], quotas)
        keep = read_keep(options["keep"], people) if options["keep"] else None
        seed = options["seed"] if options["seed"] is not None else secrets.randbelow(2**31)
        try:
            if keep is None:
                distribution = selection.find_distribution(
                    people, quotas, size, options["algorithm"], max_seconds=options["max_seconds"]
                )
            else:
                distribution = selection.find_replacement_distribution(
                    people, quotas, size, keep, options["algorithm"], max_seconds=options["max_seconds"]
                )
        except selection.InfeasibleQuotas as error:
            if keep is not None:
                raise fail(
                    "The {} kept members cannot be completed to a panel of size {} that meets every quota. {}".format(
                        len(keep), size, " ".join(error.messages))
                ) from None
            raise fail("No panel of size {} meets every quota. {}".format(size, " ".join(error.messages))) from None
        except selection.InvalidInput as error:
            raise fail(str(error)) from None
        panel = selection.draw_panel(distribution, seed)

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for person in panel:
            writer.writerow(rows[person])
        report = {
            "algorithm": distribution.algorithm,
            "seed": seed,
            "seconds": round(distribution.seconds, 3),
            "size": size,
            "panel": panel,
            "min_probability": distribution.min_probability,
            "optimal": distribution.optimal,
            **({"warning": distribution.stop_reason,
                "selectable_at_zero": distribution.selectable_at_zero} if not distribution.optimal else {}),
            "probabilities": distribution.probabilities,
            **({"kept": keep, "drawn": len(panel)} if keep is not None else {}),
            "pool_sha256": hashlib.sha256(data).hexdigest(),
            "quotas": [
                {"feature": feature, "value": value, "min": low, "max": high}
                for (feature, value), (low, high) in quotas.items()
            ],
        }
        write_atomically(options["out"], out.getvalue())
        write_atomically(options["report"], json.dumps(report, indent=1, ensure_ascii=False) + "\n")
        if not distribution.optimal:
            zero = distribution.selectable_at_zero
            warning = f"WARNING: not optimal. {distribution.stop_reason}"
            if zero:
                shown = ", ".join(zero[:50]) + (f" and {len(zero) - 50} more" if len(zero) > 50 else "")
                warning += (f" {len(zero)} volunteers who could be selected have probability 0 in this lottery: "
                            f"{shown}.")
            else:
                warning += " Every volunteer who can be selected still has a chance above 0."
            warning += " Run again without --max-seconds (or with more) for the fairest lottery."
            self.stderr.write(warning)
        kept_text = f" besides {len(keep)} kept members" if keep is not None else ""
        self.stdout.write(
            f"Drew {len(panel)} of {len(distribution.probabilities)} volunteers{kept_text} ({distribution.algorithm}, seed {seed}); "
            f"smallest selection probability {distribution.min_probability:.4f}; "
            f"{distribution.seconds:.1f} s. Wrote {options['out']} and {options['report']}."
        )
