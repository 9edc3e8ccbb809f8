"""Issue 12, point 10: /healthz for the load balancer, and production as the default settings."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def health(client=None, **extra):
    response = (client or Client()).get("/healthz", **extra)
    return response.status_code, json.loads(response.content), response


def test_healthy_site_answers_200_with_no_personal_data(settings):
    from messaging.models import Message

    settings.ALLOWED_HOSTS = ["meedoen.example.org"]
    status, body, response = health(HTTP_HOST="10.1.2.3")  # a probe by IP address is answered anyway
    assert status == 200
    assert body["status"] == "ok" and body["checks"] == {"database": "ok", "cache": "ok"}
    assert body["worker"] == {"ready_tasks": 0, "oldest_ready_seconds": None, "last_finished_seconds": None}
    assert response["Cache-Control"] == "no-store"
    assert Message.objects.count() == 0
    assert Client().get("/en/healthz/", HTTP_HOST="meedoen.example.org").status_code == 404  # one address, without a language


def test_worker_heartbeat_and_queue_age_come_from_the_task_table():
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    common = {"args_kwargs": {"args": [], "kwargs": {}}, "task_path": "messaging.tasks.deliver",
              "queue_name": "messages", "backend_name": "messages", "exception_class_path": "", "traceback": "",
              "priority": 0}
    old = DBTaskResult.objects.create(status="READY", run_after=now - timedelta(minutes=20), **common)
    DBTaskResult.objects.filter(pk=old.pk).update(enqueued_at=now - timedelta(minutes=20))
    later = DBTaskResult.objects.create(status="READY", run_after=now + timedelta(days=1), **common)  # not due
    done = DBTaskResult.objects.create(status="SUCCESSFUL", run_after=now, finished_at=now - timedelta(seconds=90),
                                       **common)
    status, body, _ = health()
    assert status == 200  # a slow worker is not the web server's fault: alert, do not take it out
    assert body["status"] == "degraded"
    worker = body["worker"]
    assert worker["ready_tasks"] == 1
    assert 1195 <= worker["oldest_ready_seconds"] <= 1210
    assert 85 <= worker["last_finished_seconds"] <= 100
    assert later.pk and done.pk


def test_cache_down_gives_503():
    with mock.patch("participation.health.cache.set", side_effect=ConnectionError("redis gone")):
        status, body, response = health()
    assert status == 503
    assert body["status"] == "down" and body["checks"]["cache"] == "down" and body["checks"]["database"] == "ok"
    assert "redis gone" not in response.content.decode()


def test_database_down_gives_503():
    class Broken:
        def cursor(self):
            raise OSError("could not connect to server at db.internal")

    with mock.patch("participation.health.connection", Broken()):
        status, body, response = health()
    assert status == 503
    assert body["checks"]["database"] == "down" and "db.internal" not in response.content.decode()


def test_manage_py_defaults_to_production():
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY")}
    done = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode != 0
    assert "Set SECRET_KEY in the environment for production" in done.stderr


def test_wsgi_defaults_to_production():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(SECRET_KEY="k" * 50, ALLOWED_HOSTS="meedoen.example.org")
    code = "import participation.wsgi; from django.conf import settings; print(settings.SETTINGS_MODULE)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "participation.settings.production", done.stderr


def test_makemigrations_check_works_without_production_secrets():
    """A newcomer's `manage.py makemigrations --check` needs no SECRET_KEY: it only reads the code."""
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY")}
    done = subprocess.run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "No changes detected" in done.stdout
