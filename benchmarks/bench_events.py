"""Benchmark of event sign-up under load, on PostgreSQL, through a real server.

    .venv/bin/python benchmarks/bench_events.py [--signups 200] [--capacity 50] [--workers 2]

1. Creates (drops and recreates) its own database `events_bench` on the PostgreSQL server in
   BENCH_PG (default postgres://postgres@127.0.0.1:5432) and migrates it.
2. Starts gunicorn (sync workers, persistent connections) on 127.0.0.1 at a free port.
3. Gives each of N clients its own session: a GET of the event page for the CSRF cookie and form token.
   Then all N fire their sign-up POST at the same moment (threads behind a barrier), each on its own
   connection through a plain socket with the request prepared beforehand, so the client takes as little
   as possible of the cores it shares with the server.
4. Prints confirmed, waiting, errors, sign-ups per second (N / wall time of the burst) and p50/p95
   latency of the POSTs; then the SQL query counts of the event page and the events index with 10 and
   with 10,000 registrations (Django's CaptureQueriesContext, in-process).

Targets (issue 3): exactly `capacity` confirmed and N - capacity waiting with 0 errors; at least 100
sign-ups per second on 2 cores; query counts that do not grow with registrations.
"""

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import BenchDatabase  # noqa: E402

# Persistent connections, as production would run. Every sign-up comes from its own client address
# (X-Forwarded-For behind one trusted proxy, addresses from the benchmarking range 198.18.0.0/15), so the
# per-address sign-up limits of issue 12 are on but do not stop the burst.
DB = BenchDatabase("events_bench", CONN_MAX_AGE="60", TRUSTED_PROXIES="1")


def client_address(i):
    return f"198.18.{i // 256 % 256}.{i % 256}"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_event(index, capacity, title, slug):
    from django.utils import timezone

    from events.models import EventPage

    start = timezone.now() + timedelta(days=14)
    event = index.add_child(instance=EventPage(
        title=title, slug=slug, format="dialogue_table", start=start, end=start + timedelta(hours=2),
        capacity=capacity, venue_name="Buurthuis", venue_address="Straat 1, Utrecht",
        organiser_email="organisator@example.org",
    ))
    event.save_revision().publish()
    event.refresh_from_db()
    return event


def start_server(port, workers):
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "participation.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--backlog", "1024", "--log-level", "warning", "--preload"],
        cwd=ROOT, env=DB.env, stdout=subprocess.DEVNULL,
    )
    import requests

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=10)
            return server
        except requests.RequestException:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def burst(url, n, pids_of):
    import requests

    token_re = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    action_re = re.compile(r'<form method="post" action="([^"]+)"[^>]*class="signup-form"')
    host, port = url.split("/", 3)[2].split(":")
    prepared = []
    for i in range(n):  # preparation, not timed: each client gets its CSRF cookie and token
        session = requests.Session()
        html = session.get(url, timeout=30).text
        body = urlencode({"csrfmiddlewaretoken": token_re.search(html).group(1), "name": f"Bewoner {i}",
                          "email": f"bewoner{i}@example.org", "phone": "", "channels": "email",
                          "consent_event": "on"}).encode()
        cookies = "; ".join(f"{name}={value}" for name, value in session.cookies.items())
        prepared.append((
            f"POST {action_re.search(html).group(1)} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"User-Agent: bench_events\r\nAccept: */*\r\nConnection: close\r\nCookie: {cookies}\r\n"
            f"X-Forwarded-For: {client_address(i)}\r\n"
            f"Referer: {url}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body)

    barrier = threading.Barrier(n + 1)
    latencies, statuses, errors = [None] * n, [None] * n, []

    def client(i):
        # A plain socket with the request prepared above: the client's own CPU (requests costs several
        # ms per POST) would otherwise be taken from the 2 cores the server is measured on.
        barrier.wait()
        began = time.perf_counter()
        try:
            with socket.create_connection((host, int(port)), timeout=60) as sock:
                sock.sendall(prepared[i])
                response = b""
                while chunk := sock.recv(65536):  # the sync worker closes the connection when done
                    response += chunk
            statuses[i] = int(response.split(b" ", 2)[1])
        except Exception as error:  # counted as an error
            errors.append(repr(error))
        latencies[i] = time.perf_counter() - began

    threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    workers, backends = pids_of()
    cpu_before = cpu_seconds(workers), cpu_seconds(backends), time.process_time(), machine_busy_seconds()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    # A process that started during the burst (a worker's first database connection) counts in full.
    workers_after, backends_after = pids_of()
    born = [pid for pid in workers_after if pid not in workers], [pid for pid in backends_after if pid not in backends]
    cpu = (cpu_seconds(workers) + cpu_seconds(born[0]) - cpu_before[0],
           cpu_seconds(backends) + cpu_seconds(born[1]) - cpu_before[1],
           time.process_time() - cpu_before[2], machine_busy_seconds() - cpu_before[3])
    return wall, latencies, statuses, errors, cpu


def machine_busy_seconds():
    """CPU seconds the whole machine spent busy (all processes), from /proc/stat."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICK


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / TICK


def server_pids(server):
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    import psycopg

    with psycopg.connect(DB.server_url, autocommit=True) as conn:
        backends = [row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [DB.name])]
    return [server.pid, *map(int, children)], backends


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def query_counts(index):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from events.models import Registration

    event = make_event(index, 50, "Querytelling", "querytelling")
    for i in range(4):
        make_event(index, 20, f"Andere activiteit {i}", f"andere-{i}")
    client = Client()

    def add(n, offset):
        Registration.objects.bulk_create([
            Registration(event=event, name=f"R {offset + i}", email=f"r{offset + i}@example.org",
                         status="confirmed" if offset + i < 50 else "waiting", consent_event=True,
                         created_at=timezone.now())
            for i in range(n)
        ], batch_size=2000)

    def count(url):
        client.get(url)  # warm caches (site root, templates)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        return len(captured)

    add(10, 0)
    small = (count(event.url), count(index.url))
    add(9990, 10)
    large = (count(event.url), count(index.url))
    return small, large


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--signups", type=int, default=200)
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    print(f"database: {DB.url} (recreated)", flush=True)
    DB.recreate()
    DB.setup_django()
    from events import services
    from events.models import EventIndexPage
    from home.demo import ensure_home_page

    home, _site = ensure_home_page()
    index = home.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    event = make_event(index, args.capacity, "Benchmark dialoogtafel", "benchmark")

    port = free_port()
    server = start_server(port, args.workers)
    try:
        for _ in range(args.workers * 3):  # every worker has served a page before the burst
            import requests

            requests.get(f"http://127.0.0.1:{port}{event.url}", timeout=30)
        url = f"http://127.0.0.1:{port}{event.url}"
        print(f"server: gunicorn, {args.workers} sync workers, {url}", flush=True)
        load_before = os.getloadavg()[0]
        wall, latencies, statuses, errors, cpu = burst(url, args.signups, lambda: server_pids(server))
    finally:
        server.send_signal(signal.SIGQUIT)  # quick shutdown; the burst is over
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    counts = services.counts(event)
    bad = [s for s in statuses if s != 302]
    print(f"sign-ups: {args.signups} at once for {args.capacity} places")
    print(f"confirmed: {counts['confirmed']}")
    print(f"waiting: {counts['waiting']}")
    print(f"errors: {len(errors) + len(bad)}" + (f" (statuses {sorted(set(bad))}, {errors[:3]})" if bad or errors else ""))
    print(f"sign-ups/s: {args.signups / wall:.0f} (burst of {wall:.2f} s; load average before: {load_before:.1f} "
          f"on {os.cpu_count()} cores, shared)")
    per = (cpu[0] + cpu[1]) / args.signups
    print(f"CPU per sign-up: {cpu[0] / args.signups * 1000:.1f} ms in gunicorn + {cpu[1] / args.signups * 1000:.1f} ms "
          f"in PostgreSQL backends = {per * 1000:.1f} ms; on {os.cpu_count()} idle cores that bounds "
          f"throughput at about {os.cpu_count() / per:.0f} sign-ups/s" if per else "CPU per sign-up: n/a")
    print(f"CPU per sign-up in this benchmark's client (same cores): {cpu[2] / args.signups * 1000:.1f} ms")
    others = max(0.0, cpu[3] - cpu[0] - cpu[1] - cpu[2])
    print(f"other processes during the burst: {others:.2f} CPU s of {wall * os.cpu_count():.2f} "
          f"({'a quiet machine' if others < 0.1 * wall * os.cpu_count() else 'NOT quiet: figures are low'})")
    done = [value for value in latencies if value is not None]
    print(f"latency p50: {percentile(done, 50) * 1000:.0f} ms, p95: {percentile(done, 95) * 1000:.0f} ms, "
          f"max: {max(done) * 1000:.0f} ms, mean: {statistics.mean(done) * 1000:.0f} ms")

    (event_small, index_small), (event_large, index_large) = query_counts(index)
    print(f"SQL queries, event page: {event_small} with 10 registrations, {event_large} with 10,000")
    print(f"SQL queries, events index: {index_small} with 10 registrations, {index_large} with 10,000")
    ok = (counts["confirmed"] == args.capacity and counts["waiting"] == args.signups - args.capacity
          and not errors and not bad and event_small == event_large and index_small == index_large)
    print("targets for correctness and query counts:", "met" if ok else "NOT met")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
