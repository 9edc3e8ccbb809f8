"""Benchmark of recruitment: what attribution adds to a sign-up, sending invitations, and the reach report.

    .venv/bin/python benchmarks/bench_recruitment.py [--registrations 20000] [--signups 200]

Creates (drops and recreates) its own database `recruitment_bench` on the PostgreSQL server in BENCH_PG
(default postgres://postgres@127.0.0.1:5432), migrates it, then prints:
1. the mean time of events.services.register with and without an invite link in the session (the
   difference is what attribution costs a sign-up) and the queries attribution adds;
2. the time to send 50 SMS invitations (one call, one intermediary's daily limit);
3. the time and query count of the reach report (funnel, new voices, wijk and age composition) with
   N registrations attributed to 20 intermediaries, half of them attended.
Targets: attribution adds at most a few queries and milliseconds; the report stays under a few seconds
with 20,000 registrations and its query count does not grow with them.
"""

import argparse
import sys
import time
from datetime import timedelta
from functools import partial
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import BenchDatabase  # noqa: E402

DB = BenchDatabase("recruitment_bench")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=20000)
    parser.add_argument("--signups", type=int, default=200)
    args = parser.parse_args()
    DB.recreate()
    DB.setup_django()

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from events import services as event_services
    from events.models import EventIndexPage, EventPage, Registration
    from home.demo import ensure_home_page
    from participation.invites import invite_from_session
    from recruitment import reach, services
    from recruitment.models import Attribution, Intermediary

    home, _site = ensure_home_page()
    index = home.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))

    def event(slug, days):
        start = timezone.now() + timedelta(days=days)
        page = index.add_child(instance=EventPage(
            title=f"Bench {slug}", slug=slug, start=start, end=start + timedelta(hours=2), capacity=None,
            venue_name="Buurthuis", venue_address="Straat 1", organiser_email="o@example.org"))
        page.save_revision().publish()
        return page

    intermediaries = []
    for n in range(20):
        user = get_user_model().objects.create_user(username=f"i{n}", email=f"i{n}@example.org", first_name=f"I{n}")
        intermediary = Intermediary.objects.create(user=user, organisation="Org", organisation_type="youth_centre")
        intermediaries.append(services.approve(intermediary, by=None))

    # 1. Attribution's cost per sign-up.
    live = event("live", 10)
    link = services.create_link(intermediaries[0], live)

    class Counter:
        def __init__(self):
            self.n = 0

        def __call__(self, execute, sql, params, many, context):
            self.n += 1
            return execute(sql, params, many, context)

    def counted(fn):
        counter = Counter()
        with connection.execute_wrapper(counter):
            began = time.perf_counter()
            fn()
            elapsed = time.perf_counter() - began
        return elapsed, counter.n

    stats = {False: [[], []], True: [[], []]}
    for n in range(args.signups * 2 + 20):
        with_link = n % 2 == 1
        request = SimpleNamespace(session={})
        if with_link:
            services.follow(link.code, session=request.session)
        data = {"name": f"P{n}", "email": f"p{n}@example.org", "consent_event": True}
        elapsed, queries = counted(partial(event_services.register, live, data,
                                          invite=invite_from_session(request.session)))
        if n >= 20:  # the first sign-ups warm caches up
            stats[with_link][0].append(elapsed)
            stats[with_link][1].append(queries)

    def mean(values):
        return sum(values) / len(values)

    plain_ms, plain_q = mean(stats[False][0]) * 1000, mean(stats[False][1])
    linked_ms, linked_q = mean(stats[True][0]) * 1000, mean(stats[True][1])
    print(f"register() without link: {plain_ms:.1f} ms, {plain_q:.0f} queries")
    print(f"register() through a link: {linked_ms:.1f} ms, {linked_q:.0f} queries "
          f"(attribution adds {linked_ms - plain_ms:+.1f} ms, {linked_q - plain_q:+.0f} queries)")

    # 2. Sending 50 invitations.
    contacts = "\n".join(f"06 2{n:07d}" for n in range(50))
    began = time.perf_counter()
    result = services.send_invitations(intermediaries[1], live, contacts)
    print(f"send_invitations(50 numbers): {(time.perf_counter() - began) * 1000:.0f} ms, {len(result.sent)} sent")

    # 3. The reach report with many registrations.
    def fill(count):
        past = event(f"past{count}", -30)
        regs = Registration.objects.bulk_create([
            Registration(event=past, name=f"R{n}", email=f"r{n}@example.org",
                         status="confirmed", consent_event=True, age_band=["15-24", "25-44", "65+", ""][n % 4],
                         attended_at=past.start if n % 2 else None)
            for n in range(count)
        ], batch_size=2000)
        Attribution.objects.bulk_create([
            Attribution(registration=r, intermediary=intermediaries[n % 20], channel=["link", "qr", "sms"][n % 3])
            for n, r in enumerate(regs)
        ], batch_size=2000)

    def report():
        def run():
            reach.funnel()
            reach.new_voices_per_intermediary()
            reach.composition("wijk")
            reach.composition("age_band")
        return counted(run)

    fill(1000)
    small_s, small_q = report()
    fill(args.registrations - 1000)
    big_s, big_q = report()
    total = Registration.objects.count()
    print(f"reach report with ~1,000 attributed: {small_s * 1000:.0f} ms, {small_q} queries")
    print(f"reach report with {total:,} registrations: {big_s * 1000:.0f} ms, {big_q} queries")


if __name__ == "__main__":
    main()
