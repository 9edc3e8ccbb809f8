"""Benchmark of the formats: the statement game's results and live screen with many online votes, voting
itself, and the table allocation.

    .venv/bin/python benchmarks/bench_formats.py [--voters 2000] [--people 240]

Creates (drops and recreates) its own database `formats_bench` on the PostgreSQL server in BENCH_PG
(default postgres://postgres@127.0.0.1:5432), migrates it, then prints:
1. the mean time of services.cast_vote (one online vote, or a changed vote);
2. the time and query count of live.json (what every projector asks every 3 seconds);
3. the time and query count of the full results (page data) and of the CSV export with N voters voting on
   10 statements;
4. the time of the table allocation for P people at P/8 tables (plan only, and with saving);
5. opinion groups (issue 17, population.opinion.analyse: matrix, PCA, k-means k 2..5 by silhouette,
   consensus, divisiveness, representative statements) for 2,000 voters x 40 statements (target < 1 s)
   and 20,000 x 60 (target < 10 s), on planted votes (three groups, 10 % unseen), without the database;
   and the opinion part of the results page (formats.opinion.opinion_view) on the database game.
   `--only-opinion` runs the pure part alone (no PostgreSQL needed).
Targets: a vote and live.json in a few milliseconds; results under a second with 2,000 voters and a query
count that does not grow with them; allocation of a large evening well under a second.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import BenchDatabase  # noqa: E402

# BENCH_FORMATS_DB: another database name, for a machine where several people run benchmarks at once.
DB = BenchDatabase(os.environ.get("BENCH_FORMATS_DB", "formats_bench"))


def timed(function, repeat=1):
    start = time.perf_counter()
    for _ in range(repeat):
        result = function()
    return (time.perf_counter() - start) / repeat, result


def planted_votes(voters, statements, seed=1):
    """Three opinion groups: a third of the statements common ground, a third dividing, a third noise."""
    import numpy as np

    rng = np.random.default_rng(seed)
    group = rng.integers(0, 3, voters)
    agree = np.full((voters, statements), 0.45)
    third = statements // 3
    agree[:, :third] = 0.85
    for g, sign in ((0, 1), (1, -1), (2, 0)):
        agree[group == g, third:2 * third] = 0.5 + 0.4 * sign
    draw = rng.random((voters, statements))
    values = np.where(draw < agree, 1, np.where(draw < agree + 0.1, 0, -1))
    seen = rng.random((voters, statements)) >= 0.1
    rows, cols = np.nonzero(seen)
    return rows, cols, values[rows, cols]


def bench_opinion():
    from population import opinion

    opinion.analyse([1, 1, 1, 2, 2, 2, 3, 3, 3], [1, 2, 3] * 3, [1, -1, 1, -1, 1, 1, 1, 1, -1])  # imports
    load = os.getloadavg()
    for voters, statements, target in ((2000, 40, 1.0), (20000, 60, 10.0)):
        rows, cols, values = planted_votes(voters, statements)
        cpu = time.process_time()
        seconds, analysis = timed(lambda rows=rows, cols=cols, values=values: opinion.analyse(rows, cols, values))
        cpu = time.process_time() - cpu
        print(f"opinion groups: {seconds:.2f} s ({cpu:.2f} s CPU) for {voters} voters x {statements} statements ({len(values)} votes), "
              f"k={analysis.k}, sizes {sorted(analysis.sizes.values(), reverse=True)} "
              f"(target < {target:.0f} s: {'met' if seconds < target else 'NOT met'})")
    print(f"load average before / after: {load[0]:.2f} / {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--people", type=int, default=240)
    parser.add_argument("--only-opinion", action="store_true")
    args = parser.parse_args()
    bench_opinion()
    if args.only_opinion:
        return
    DB.recreate()
    DB.setup_django()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from content.demo import ensure_themes
    from content.models import Theme
    from events.models import EventIndexPage, EventPage, Registration
    from formats import services
    from formats.models import (
        DialogueSession,
        DialogueTable,
        Statement,
        StatementGame,
        StatementSet,
        Vote,
        Voter,
    )
    from home.demo import ensure_home_page
    from population.models import Area

    home, _site = ensure_home_page()
    ensure_themes()
    theme = Theme.objects.first()
    index = home.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    start = timezone.now() - timedelta(days=2)
    event = index.add_child(instance=EventPage(title="Stellingenspel", slug="spel", format="statement_game",
                                               start=start, end=start + timedelta(hours=2)))
    wijken = [Area.objects.create(code=f"WK0344{n:02d}", name=f"Wijk {n:02d} W{n}", level="wijk") for n in range(10)]
    statement_set = StatementSet.objects.create(title="Set", theme=theme)
    statements = [Statement.objects.create(statement_set=statement_set, text=f"Stelling {n}", sort_order=n)
                  for n in range(10)]
    game = StatementGame.objects.create(event=event, statement_set=statement_set, groups="A\nB", rounds=2)
    rng = random.Random(1)
    voters = Voter.objects.bulk_create([
        Voter(game=game, age_band=rng.choice(["15-24", "25-44", "45-64", "65+", ""]), wijk=rng.choice(wijken + [None]))
        for _ in range(args.voters)
    ])
    Vote.objects.bulk_create([
        Vote(game=game, voter=voter, statement=statement, choice=rng.choice(["agree", "disagree", "neutral"]))
        for voter in voters for statement in statements
    ])
    for statement in statements:
        for group in ("A", "B"):
            services.record_tally(game, statement, round=1, group=group, agree=5, disagree=3, neutral=1)
    services.show_statement(game, statements[0])
    services.close_statement(game, statements[0])

    new_voters = [Voter.objects.create(game=game) for _ in range(200)]
    mean, _ = timed(lambda: [services.cast_vote(game, v, statements[1], "agree") for v in new_voters])
    print(f"cast_vote: {1000 * mean / len(new_voters):.2f} ms per vote (mean of {len(new_voters)})")

    with CaptureQueriesContext(connection) as queries:
        mean, _ = timed(lambda: services.live_state(game), repeat=20)
    print(f"live.json state: {1000 * mean:.1f} ms, {len(queries) // 20} queries "
          f"({args.voters} voters, {len(statements)} statements)")

    with CaptureQueriesContext(connection) as queries:
        seconds, _ = timed(lambda: services.game_results(game))
    print(f"results page data: {1000 * seconds:.0f} ms, {len(queries)} queries "
          f"({Vote.objects.count()} votes)")
    with CaptureQueriesContext(connection) as queries:
        seconds, csv_text = timed(lambda: services.results_csv(game))
    print(f"CSV export: {1000 * seconds:.0f} ms, {len(queries)} queries, {csv_text.count(chr(10))} rows")
    from formats import opinion as game_opinion

    with CaptureQueriesContext(connection) as queries:
        seconds, view = timed(lambda: game_opinion.opinion_view(game))
    print(f"opinion part of the results page: {1000 * seconds:.0f} ms, {len(queries)} queries "
          f"({len(view.get('groups', []))} groups shown; random votes, so little structure)")

    people = [services.Person(key=n, name=f"P{n}", role=rng.choice(["resident"] * 4 + ["professional", "administrator"]),
                              age_band=rng.choice(["15-24", "25-44", "45-64", "65+", ""]),
                              wijk=rng.choice([w.display_name for w in wijken] + [""])) for n in range(args.people)]
    tables = [f"Tafel {n}" for n in range(1, args.people // 8 + 1)]
    seconds, _ = timed(lambda: services.plan_allocation(people, tables), repeat=5)
    print(f"allocation plan: {1000 * seconds:.1f} ms for {args.people} people at {len(tables)} tables")

    dialogue_event = index.add_child(instance=EventPage(title="Dialoog", slug="dialoog", format="dialogue_table",
                                                        start=start, end=start + timedelta(hours=2)))
    session = DialogueSession.objects.create(event=dialogue_event, theme=theme)
    for n, _table in enumerate(tables):
        DialogueTable.objects.create(session=session, name=f"Tafel {n + 1}", sort_order=n)
    Registration.objects.bulk_create([
        Registration(event=dialogue_event, name=p.name, email=f"p{p.key}@example.org", status="confirmed",
                     age_band=p.age_band, wijk=rng.choice(wijken)) for p in people
    ])
    services.sync_participants(session)
    with CaptureQueriesContext(connection) as queries:
        seconds, _ = timed(lambda: services.allocate(session))
    print(f"allocation saved: {1000 * seconds:.0f} ms, {len(queries)} queries for {args.people} people")


if __name__ == "__main__":
    main()
