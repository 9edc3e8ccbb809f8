"""Benchmark of outcomes' heavier paths, in-process on PostgreSQL (its own database).

    .venv/bin/python benchmarks/bench_outcomes.py [--participants 1000] [--signals 20000]

1. Creates (drops and recreates) the database `outcomes_bench` on BENCH_PG (default
   postgres://postgres@127.0.0.1:5432) and migrates it.
2. Closing the loop: one outcome linked to an event with N consenting participants; times
   `notify_outcome_participants` (N messages queued) and a second run (dedupe: nothing queued).
3. Signals: time per `submit_signal` (with an email acknowledgement) for 300 signals; then bulk-creates
   `--signals` signals over 12 months and times `signal_statistics()` with its query count.
4. Query counts of the public outcomes index with 10 and with 100 outcomes (must not grow).
"""

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import BenchDatabase  # noqa: E402

DB = BenchDatabase("outcomes_bench")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--signals", type=int, default=20000)
    args = parser.parse_args()

    DB.recreate()
    DB.setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from content.demo import ensure_themes
    from content.models import Theme
    from events.models import EventIndexPage, EventPage, Registration
    from home.demo import ensure_home_page
    from messaging.models import Message
    from outcomes import services
    from outcomes.models import OutcomeIndexPage, OutcomePage, Signal

    ensure_themes()
    home, _site = ensure_home_page()
    events = home.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    start = timezone.now() - timedelta(days=7)
    event = events.add_child(instance=EventPage(title="Dialoogtafel", slug="tafel", start=start,
                                                end=start + timedelta(hours=2)))
    Registration.objects.bulk_create([
        Registration(event=event, name=f"Deelnemer {n}", email=f"p{n}@example.org", consent_event=True,
                     status="confirmed", token=f"bench-{n}")
        for n in range(args.participants)
    ])
    index = home.add_child(instance=OutcomeIndexPage(title="Uitkomsten", slug="uitkomsten"))
    theme = Theme.objects.first()
    outcome = index.add_child(instance=OutcomePage(title="Eén aanspreekpunt", slug="een", theme=theme))
    outcome.events.set([event])
    outcome.save_revision()

    print(f"closing the loop, {args.participants} consenting participants:")
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        made = services.notify_outcome_participants(outcome)
        elapsed = time.perf_counter() - began
    print(f"  first publish: {len(made)} messages queued in {elapsed:.2f} s "
          f"({len(made) / elapsed:.0f}/s), {len(queries)} queries")
    began = time.perf_counter()
    again = services.notify_outcome_participants(outcome)
    print(f"  same status again: {len(again)} queued in {time.perf_counter() - began:.2f} s")

    began = time.perf_counter()
    for n in range(300):
        services.submit_signal(services.SignalData(text=f"Signaal nummer {n} over de buurt.", email=f"s{n}@example.org"))
    elapsed = time.perf_counter() - began
    print(f"signals: 300 submitted with acknowledgement in {elapsed:.2f} s ({300 / elapsed:.0f}/s)")

    themes = list(Theme.objects.all()) + [None]
    now = timezone.now()
    Signal.objects.bulk_create([
        Signal(text="Bulk", theme=themes[n % len(themes)], kind=["complaint", "signal", "idea", ""][n % 4],
               created_at=now - timedelta(days=n % 365), token=f"bulk-{n}")
        for n in range(args.signals)
    ], batch_size=2000)
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        stats = services.signal_statistics()
        elapsed = time.perf_counter() - began
    print(f"statistics over {stats['total']} signals, {len(stats['months'])} months: "
          f"{elapsed * 1000:.0f} ms, {len(queries)} queries")

    client = Client()
    for target in (10, 100):
        while OutcomePage.objects.count() < target:
            n = OutcomePage.objects.count()
            page = index.add_child(instance=OutcomePage(title=f"Uitkomst {n}", slug=f"u-{n}", theme=theme))
            page.save_revision().publish()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/uitkomsten/")
        print(f"outcomes index with {target} outcomes: status {response.status_code}, {len(queries)} queries")
    print(f"messages in the database: {Message.objects.count()}")


if __name__ == "__main__":
    main()
