"""Where one event sign-up spends its time: the production settings and middleware, PostgreSQL and Redis,
Django's test client in this process (no server). A tool, not a benchmark (`run.py` only runs bench_*.py).

    python benchmarks/profile_signup.py [--database profile_signup] [--redis redis://127.0.0.1:6379/9]
                                        [--signups 200] [--top 40] [--reuse]

Recreates its own database (BENCH_PG server; `--reuse` keeps one made before) and empties its Redis
database, makes one event, then signs up N residents (each its own address behind one trusted proxy,
each with its own CSRF cookie and token, as bench_events.py does) under cProfile. Prints the SQL queries
and Redis commands per sign-up, the wall time per sign-up and cProfile's top functions (cumulative).
"""

import argparse
import cProfile
import os
import pstats
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import bench_events  # noqa: E402
from benchdb import BenchDatabase  # noqa: E402

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="profile_signup")
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--signups", type=int, default=200)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--reuse", action="store_true", help="keep the database from an earlier run")
    parser.add_argument("--save", help="write the cProfile data to this file (for pstats or snakeviz)")
    args = parser.parse_args()

    import redis

    redis.Redis.from_url(args.redis).flushdb()
    db = BenchDatabase(
        args.database, DJANGO_SETTINGS_MODULE="participation.settings.production",
        SECRET_KEY="profile-signup-" + "x" * 50, SECURE_SSL_REDIRECT="0", ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        CACHE_URL=args.redis, TRUSTED_PROXIES="1", CONN_MAX_AGE="60",
    )
    if not args.reuse:
        db.recreate()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=db.env,
                   check=True)  # the production settings need the manifest
    db.setup_django()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from events.models import EventIndexPage, EventPage
    from home.demo import ensure_home_page

    home, _site = ensure_home_page()
    index = EventIndexPage.objects.filter(slug="activiteiten").first() or home.add_child(
        instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    slug = f"profiel-{int(time.time())}"
    event = bench_events.make_event(index, 50, "Profiel dialoogtafel", slug)
    event = EventPage.objects.get(pk=event.pk)

    prepared = []
    for i in range(args.signups):  # not profiled: every resident gets the page, a cookie and a token
        client = Client(enforce_csrf_checks=True, HTTP_X_FORWARDED_FOR=bench_events.client_address(i))
        html = client.get(event.url).content.decode()
        prepared.append((client, TOKEN.search(html).group(1), i))

    commands = []
    original = redis.Redis.execute_command

    def counting(self, *command, **options):
        commands.append(" ".join(str(part)[:60] for part in command[:2]))
        return original(self, *command, **options)

    redis.Redis.execute_command = counting
    url = f"/events/{event.pk}/signup/"

    def sign_up(client, token, i):
        response = client.post(url, {
            "csrfmiddlewaretoken": token, "name": f"Bewoner {i}", "email": f"bewoner{i}@example.org",
            "phone": "", "channels": "email", "consent_event": "on"})
        assert response.status_code == 302, response.status_code

    # One sign-up first (warm), then the counted and profiled ones.
    client, token, i = prepared.pop()
    sign_up(client, token, i)
    commands.clear()
    with CaptureQueriesContext(connection) as queries:
        client, token, i = prepared.pop()
        sign_up(client, token, i)
    print(f"one sign-up: {len(queries)} SQL queries, {len(commands)} Redis commands {commands}")
    for query in queries:
        print("   ", query["sql"][:160])

    # Half without the profiler (the honest time), half under it (where the time goes).
    half = len(prepared) // 2
    began, cpu = time.perf_counter(), time.process_time()
    for client, token, i in prepared[:half]:
        sign_up(client, token, i)
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    print(f"{half} sign-ups: {wall / half * 1000:.1f} ms wall, {cpu / half * 1000:.1f} ms CPU of this process each "
          "(PostgreSQL's and Redis's own CPU not included)")
    profile = cProfile.Profile(time.process_time)  # CPU time: waiting for PostgreSQL is not counted
    profile.enable()
    for client, token, i in prepared[half:]:
        sign_up(client, token, i)
    profile.disable()
    if args.save:
        profile.dump_stats(args.save)
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
