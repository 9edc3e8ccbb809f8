"""The benchmarks' own PostgreSQL database: one per script, dropped, created and migrated afresh each run.

Not a benchmark itself (`run.py` only runs `bench_*.py`). BENCH_PG names the server (default the local
one, user postgres, trust auth).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


class BenchDatabase:
    """``name`` on the BENCH_PG server; ``settings`` are extra environment variables for Django."""

    def __init__(self, name, **settings):
        self.name = name
        self.url = f"{PG}/{name}"
        self.server_url = f"{PG}/postgres"
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "participation.settings.test",
                    "DATABASE_URL": self.url, **settings}

    def recreate(self):
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {self.name}")
        subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=self.env,
                       check=True)
        # The database cache's table (issue 12), when CACHE_URL does not name Redis.
        subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=self.env, check=True)

    def setup_django(self):
        """Point this process's Django at the database and set it up."""
        os.environ.update(self.env)
        import django

        django.setup()
