"""Run the real message worker once, as `manage.py db_worker` does in production."""

from io import StringIO

from django.core.management import call_command


def run_worker():
    call_command(
        "db_worker", "--batch", "--backend", "messages", "--queue-name", "messages",
        "--no-startup-delay", "--no-reload", stdout=StringIO(), stderr=StringIO(),
    )
