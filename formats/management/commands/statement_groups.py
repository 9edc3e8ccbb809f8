"""Opinion groups of a statement game's votes from a CSV file, for checking and research (issue 17).

    manage.py statement_groups --votes V.csv --json

V.csv has the columns voter,statement,vote (vote: agree, disagree or pass; a header row is required).
With --json it prints {"groups": {group: [voter ids]}, "statements": {statement: {"consensus",
"divisiveness", "groups": {group: {"agree", "disagree", "pass"}}}}}; without, a short summary.
Groups are not masked here: this is research output on the coordinator's own data (the screens mask).
Bad input (no file, wrong columns, an unknown vote) stops with exit code 2 and a message; nothing else
happens. Needs no database.
"""

import csv
import json

from django.core.management.base import BaseCommand, CommandError

from population import opinion

VALUES = {"agree": opinion.AGREE, "disagree": opinion.DISAGREE, "pass": opinion.PASS}
COLUMNS = ("voter", "statement", "vote")


def bad(message):
    return CommandError(message, returncode=2)


def read_votes(path):
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError as error:
        raise bad(f"Cannot read {path}: {error.strerror or error}.") from None
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = [name.strip().lower() for name in (reader.fieldnames or [])]
            missing = [name for name in COLUMNS if name not in header]
            if missing:
                raise bad(f"{path}: the first line must name the columns voter,statement,vote "
                          f"(missing: {', '.join(missing)}).")
            reader.fieldnames = header
            voters, statements, values = [], [], []
            for line, row in enumerate(reader, start=2):
                voter = (row.get("voter") or "").strip()
                statement = (row.get("statement") or "").strip()
                vote = (row.get("vote") or "").strip().lower()
                if not voter or not statement:
                    raise bad(f"{path}, line {line}: voter and statement may not be empty.")
                if vote not in VALUES:
                    raise bad(f"{path}, line {line}: vote must be agree, disagree or pass, not {vote!r}.")
                voters.append(voter)
                statements.append(statement)
                values.append(VALUES[vote])
        except (csv.Error, UnicodeDecodeError) as error:
            raise bad(f"{path} is not a readable CSV file (UTF-8): {error}.") from None
    if not values:
        raise bad(f"{path} has no votes.")
    return voters, statements, values


def letter(number):
    return chr(ord("A") + number)


def as_result(analysis):
    return {
        "groups": {letter(group): members for group, members in analysis.members().items()},
        "statements": {
            str(statement): {
                "consensus": round(stats["consensus"], 6),
                "divisiveness": round(stats["divisiveness"], 6),
                "groups": {letter(group): {key: counts[key] for key in ("agree", "disagree", "pass")}
                           for group, counts in stats["groups"].items()},
            }
            for statement, stats in analysis.statements.items()
        },
    }


class Command(BaseCommand):
    help = "Opinion groups, consensus and divisiveness from a CSV of votes (voter,statement,vote)."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--votes", required=True, help="CSV file with the columns voter,statement,vote.")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
        parser.add_argument("--seed", type=int, default=opinion.SEED, help="Seed of k-means (default: fixed).")

    def handle(self, *args, **options):
        voters, statements, values = read_votes(options["votes"])
        analysis = opinion.analyse(voters, statements, values, seed=options["seed"])
        result = as_result(analysis)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{len(analysis.voters)} voters in {analysis.k} group(s); {analysis.left_out} left out "
                          f"(fewer than {opinion.MIN_VOTES} agree/disagree votes).")
        for group, members in result["groups"].items():
            self.stdout.write(f"Group {group}: {len(members)} voters")
        ranked = sorted(result["statements"].items(), key=lambda item: -item[1]["consensus"])
        for statement, stats in ranked:
            self.stdout.write(f"{statement}: consensus {stats['consensus']:.3f}, "
                              f"divisiveness {stats['divisiveness']:.3f}")
