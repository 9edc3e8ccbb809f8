"""Benchmark of the abuse limits (issue 12) against a real deployment: gunicorn with 3 workers, the
production settings, PostgreSQL and Redis.

    python benchmarks/bench_abuse.py [--redis redis://127.0.0.1:6379/9] [--database abuse_bench]
                                     [--workers 3] [--signups 200] [--limits-off]

1. Recreates its own PostgreSQL database (BENCH_PG server), empties its Redis database, runs
   `collectstatic` (the production settings need the manifest) and starts gunicorn with
   DJANGO_SETTINGS_MODULE=participation.settings.production, SECRET_KEY set, SECURE_SSL_REDIRECT=0,
   ALLOWED_HOSTS=127.0.0.1 and TRUSTED_PROXIES=1 (as behind one proxy).
2. For each limit: N requests from ONE client (one X-Forwarded-For address), 10 at a time so they land
   on different workers at once, and prints how many were accepted. Each must equal its limit.
   Statement votes are tried again with the game opened "in the room": then all are accepted.
3. The sign-up burst of bench_events.py (N sign-ups at once for 50 places) with every limit on; each
   sign-up has its own client address (X-Forwarded-For from 198.18.0.0/15), as N different residents
   would. Prints sign-ups per second (issue target: at least 100 on 2 cores).
4. The same burst again (a new event, same size) against a fresh gunicorn with RATE_LIMITS_ENABLED=0, so
   what the limits themselves cost is measured on the same machine in the same run: sign-ups/s, p50/p95
   and the CPU per sign-up of the gunicorn processes and of the PostgreSQL backends (from /proc), for both.
   `--limits-off` runs only this burst (no limit checks, no burst with the limits on).

The CPU per sign-up is the figure to compare when other processes share the cores (the script prints how
much CPU they took during each burst); sign-ups/s then depends on them as much as on this code.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import bench_events  # noqa: E402
from benchdb import BenchDatabase  # noqa: E402

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def one_client(base, address):
    """A browser session (cookies) that always comes from one address."""
    import requests

    session = requests.Session()
    session.headers["X-Forwarded-For"] = address
    return session


def token_of(session, url):
    from http.cookiejar import DefaultCookiePolicy

    html = session.get(url, timeout=30).text
    # Production marks the cookies Secure and re-sends the CSRF cookie with every form; this client
    # talks plain HTTP to gunicorn (as a TLS proxy would), so it fixes the cookies it got here in a
    # header and takes no new ones (the 10 requests in flight at once all send the same).
    cookies = {cookie.name: cookie.value for cookie in session.cookies}
    cookies.update(getattr(session, "extra_cookies", {}))
    session.headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    session.cookies.clear()
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    return TOKEN.search(html).group(1)


def fire(n, send):
    """n requests, 10 at a time; returns the status codes."""
    with ThreadPoolExecutor(max_workers=10) as pool:
        return list(pool.map(send, range(n)))


def count_accepted(statuses, accepted_status):
    return sum(1 for status in statuses if status == accepted_status), sorted(set(statuses))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--database", default="abuse_bench")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--signups", type=int, default=200)
    parser.add_argument("--limits-off", action="store_true",
                        help="only the sign-up burst, with RATE_LIMITS_ENABLED=0 (what the limits cost)")
    parser.add_argument("--no-compare", dest="compare", action="store_false",
                        help="skip the second burst with the limits off")
    args = parser.parse_args()

    import redis

    redis.Redis.from_url(args.redis).flushdb()
    db = BenchDatabase(
        args.database, DJANGO_SETTINGS_MODULE="participation.settings.production",
        SECRET_KEY="bench-abuse-" + "x" * 50, SECURE_SSL_REDIRECT="0", ALLOWED_HOSTS="127.0.0.1,localhost",
        # Persistent connections that outlive a slow run: on a busy machine preparing 200 clients and the
        # burst took over 60 s, a worker then replaced its connection mid-burst and the old backend's CPU
        # could no longer be read from /proc.
        CACHE_URL=args.redis, TRUSTED_PROXIES="1", CONN_MAX_AGE="900",
    )
    bench_events.DB = db  # its server and CPU accounting use this database
    print(f"database: {db.url} (recreated); cache: {args.redis} (emptied); settings: production", flush=True)
    db.recreate()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=db.env,
                   check=True)
    db.setup_django()

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    from content.models import Theme
    from events.models import EventIndexPage
    from formats.models import Statement, StatementGame, StatementSet
    from formats.services import open_in_room
    from home.demo import ensure_home_page
    from panels.models import Panel
    from participation import limits
    from population.demo import DEMO_FILE
    from population.importer import import_cbs
    from population.models import Area
    from recruitment.models import Intermediary
    from recruitment.services import approve

    home, _site = ensure_home_page()
    index = home.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    events = [bench_events.make_event(index, 500, f"Activiteit {n}", f"activiteit-{n}") for n in range(12)]
    burst_events = [bench_events.make_event(index, 50, f"Benchmark dialoogtafel {state}", f"benchmark-{state}")
                    for state in ("on", "off")]
    import_cbs(DEMO_FILE)
    panel = Panel.objects.create(name="Bewonerspanel", purpose="Meedenken",
                                 area=Area.objects.get(code="GM0344"), min_age=16)
    theme = Theme.objects.get_or_create(slug="wmo", defaults={"name": "Wmo"})[0]
    statements = StatementSet.objects.create(title="Hulp thuis", theme=theme)
    statement = Statement.objects.create(statement_set=statements, text="Ik weet waar ik hulp kan vragen.")
    game = StatementGame.objects.create(event=events[11], statement_set=statements)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="sam", email="sam@example.org")
    coordinator = get_user_model().objects.create_user(username="coord", email="coord@example.org")
    intermediary = Intermediary.objects.create(user=user, organisation="Jongerenwerk")
    approve(intermediary, by=coordinator)
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash()})
    session.create()

    port = bench_events.free_port()
    base = f"http://127.0.0.1:{port}"
    results, bursts = [], []

    def check_limits():
        def report(name, n, statuses, accepted_status, expected):
            accepted, seen = count_accepted(statuses, accepted_status)
            ok = accepted == expected
            results.append(ok)
            print(f"{name:<44} {accepted:>3} of {n:>3} accepted, limit {expected:>3}: "
                  f"{'equal' if ok else 'NOT EQUAL'} (statuses {seen})", flush=True)

        # Sign-up, one event, one address: RATE_LIMITS["signup_event"].
        client = one_client(base, "203.0.113.1")
        url = events[0].url
        token = token_of(client, base + url)
        n = 20
        statuses = fire(n, lambda i: client.post(
            f"{base}/events/{events[0].pk}/signup/", allow_redirects=False, timeout=60,
            data={"csrfmiddlewaretoken": token, "name": f"Bot {i}", "email": f"bot{i}@example.org",
                  "channels": "email", "consent_event": "on"}).status_code)
        report("sign-up, one event, one address", n, statuses, 302, limits.rate("signup_event").count)

        # Sign-up, all events, one address: RATE_LIMITS["signup"] (3 per event keeps under the per-event limit).
        client = one_client(base, "203.0.113.2")
        token = token_of(client, base + url)
        n = 30
        statuses = fire(n, lambda i: client.post(
            f"{base}/events/{events[i // 3].pk}/signup/", allow_redirects=False, timeout=60,
            data={"csrfmiddlewaretoken": token, "name": f"Bot {i}", "email": f"bot2-{i}@example.org",
                  "channels": "email", "consent_event": "on"}).status_code)
        report("sign-up, 10 events, one address", n, statuses, 302, limits.rate("signup").count)

        # Panel applications.
        client = one_client(base, "203.0.113.3")
        apply_url = f"{base}/panels/{panel.pk}/apply/"
        token = token_of(client, apply_url)
        n = 25
        statuses = fire(n, lambda i: client.post(apply_url, allow_redirects=False, timeout=60, data={
            "csrfmiddlewaretoken": token, "name": f"Sara {i}", "email": f"sara{i}@example.org",
            "consent": "on"}).status_code)
        report("panel applications, one address", n, statuses, 302, limits.rate("panel_apply").count)

        # Signals: every request a new session (no cookie), one address.
        n = 15

        def signal_post(i):
            fresh = one_client(base, "203.0.113.4")
            form_token = token_of(fresh, f"{base}/outcomes/signal/")
            return fresh.post(f"{base}/outcomes/signal/", allow_redirects=False, timeout=60, data={
                "csrfmiddlewaretoken": form_token, "text": f"De stoep ligt vol losse tegels ({i})."}).status_code

        report("signals, new session each, one address", n, fire(n, signal_post), 302, limits.rate("signal").count)

        # Statement votes: cookie-less voters, one address (voting needs no CSRF token: the vote view is
        # a public form behind the QR code; it still checks it, so each voter gets one).
        def vote(i):
            fresh = one_client(base, "203.0.113.5")
            vote_token = token_of(fresh, f"{base}/formats/stem/{game.key}/")
            return fresh.post(f"{base}/formats/stem/{game.key}/", allow_redirects=False, timeout=60, data={
                "csrfmiddlewaretoken": vote_token, "statement": statement.pk, "choice": "agree"}).status_code

        n = 25
        report("new voters in one game, one address", n, fire(n, vote), 302, limits.rate("vote_voter").count)
        open_in_room(game)
        report("  the same, game open 'in the room'", n, fire(n, vote), 302, n)

        # Invitations sent by an intermediary (logged in), one address.
        client = one_client(base, "203.0.113.6")
        client.cookies.set(settings.SESSION_COOKIE_NAME, session.session_key)
        client.extra_cookies = {settings.SESSION_COOKIE_NAME: session.session_key}
        invite_url = f"{base}/r/dashboard/invite/"
        token = token_of(client, invite_url)
        n = 30
        statuses = fire(n, lambda i: client.post(invite_url, allow_redirects=False, timeout=60, data={
            "csrfmiddlewaretoken": token, "event": events[1].pk, "contacts": f"inv{i}@example.org", "note": "",
            "action": "send"}).status_code)
        report("invitation batches, one address", n, statuses, 200, limits.rate("invite").count)

        # Login codes (allauth's own limit, 3 a minute per email address, on the shared cache).
        client = one_client(base, "203.0.113.7")
        code_url = f"{base}/account/login/code/"
        token = token_of(client, code_url)
        n = 12
        statuses = fire(n, lambda i: client.post(code_url, allow_redirects=False, timeout=60, data={
            "csrfmiddlewaretoken": token, "email": "an@example.org"}).status_code)
        expected = int(settings.ACCOUNT_RATE_LIMITS["request_login_code"].split(",")[-1].split("/")[0])
        report("login codes for one email address", n, statuses, 302, expected)

    if not args.limits_off:
        server = bench_events.start_server(port, args.workers)
        try:
            print(f"server: gunicorn, {args.workers} sync workers, {base}", flush=True)
            check_limits()
        finally:
            stop(server)
        # Throughput: bench_events' burst, every sign-up from its own address, on a fresh server (so no
        # database connection from the checks above reaches CONN_MAX_AGE and is replaced mid-burst).
        server = bench_events.start_server(port, args.workers)
        try:
            bursts.append(("on", burst_events[0], run_burst(base, burst_events[0], args, server)))
        finally:
            stop(server)
    if args.compare or args.limits_off:
        limits_on_env = db.env  # bench_events.DB is db: start_server takes its environment from there
        db.env = {**limits_on_env, "RATE_LIMITS_ENABLED": "0"}
        port = bench_events.free_port()
        base = f"http://127.0.0.1:{port}"
        server = bench_events.start_server(port, args.workers)
        try:
            print(f"server: gunicorn, {args.workers} sync workers, {base}, RATE_LIMITS_ENABLED=0", flush=True)
            bursts.append(("off", burst_events[1], run_burst(base, burst_events[1], args, server)))
        finally:
            stop(server)
            db.env = limits_on_env

    from events import services

    ok = all(results)
    for state, event, (wall, latencies, statuses, errors, cpu, load_before) in bursts:
        counts = services.counts(event)
        bad = [status for status in statuses if status != 302]
        done = [value for value in latencies if value is not None]
        print(f"sign-up burst, limits {state}: {args.signups} at once for 50 places, each from its own address: "
              f"{counts['confirmed']} confirmed, {counts['waiting']} waiting, {len(errors) + len(bad)} errors"
              + (f" (statuses {sorted(set(bad))})" if bad else ""))
        print(f"  sign-ups/s with the limits {state}: {args.signups / wall:.0f} (burst {wall:.2f} s; p50 "
              f"{bench_events.percentile(done, 50) * 1000:.0f} ms, p95 "
              f"{bench_events.percentile(done, 95) * 1000:.0f} ms)")
        per = (cpu[0] + cpu[1]) / args.signups
        others = max(0.0, cpu[3] - cpu[0] - cpu[1] - cpu[2])
        if cpu[1] < 0:  # a backend ended during the burst: its CPU cannot be told apart
            print(f"  CPU per sign-up: {cpu[0] / args.signups * 1000:.1f} ms gunicorn (PostgreSQL: n/a)")
        else:
            print(f"  CPU per sign-up: {cpu[0] / args.signups * 1000:.1f} ms gunicorn + "
                  f"{cpu[1] / args.signups * 1000:.1f} ms PostgreSQL = {per * 1000:.1f} ms (bounds 2 idle cores at "
                  f"about {os.cpu_count() / per:.0f}/s)")
        print(f"  machine: load average before {load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f} "
              f"on {os.cpu_count()} cores; other processes took {others:.2f} of {wall * os.cpu_count():.2f} CPU s "
              f"during the burst; this client took {cpu[2]:.2f}")
        ok = ok and counts["confirmed"] == 50 and not bad and not errors
    if not args.limits_off:
        print("every limit accepted exactly its count:", "yes" if all(results) else "NO")
    sys.exit(0 if ok else 1)


def run_burst(base, event, args, server):
    import requests

    for _ in range(args.workers * 3):  # every worker has served a page before the burst
        requests.get(base + event.url, timeout=30)
    load_before = os.getloadavg()
    wall, latencies, statuses, errors, cpu = bench_events.burst(
        base + event.url, args.signups, lambda: bench_events.server_pids(server))
    return wall, latencies, statuses, errors, cpu, load_before


def stop(server):
    server.send_signal(signal.SIGQUIT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


if __name__ == "__main__":
    main()
