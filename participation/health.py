"""`/healthz` for the load balancer: is the database there, is the cache there, is the message worker
keeping up? JSON, no personal data, no error texts (they can name hosts): only states and ages.

It is a middleware at the top of the stack so that a probe by IP address over plain HTTP gets an
answer: no ALLOWED_HOSTS check, no HTTPS redirect, no session, no language prefix.

503 when the database or the cache does not answer (take this web server out of rotation); the worker's
figures never make it 503 (a stuck worker is not fixed by another web server), they set "status" to
"degraded" and are for the monitoring to alert on.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone

logger = logging.getLogger(__name__)
PATH = "/healthz"


def _database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:  # noqa: BLE001 - any failure means "down"; logged, not shown
        logger.exception("healthz: database check failed")
        return False


def _cache():
    key, value = "healthz:probe", uuid.uuid4().hex
    try:
        cache.set(key, value, 30)
        return cache.get(key) == value
    except Exception:  # noqa: BLE001
        logger.exception("healthz: cache check failed")
        return False


def _seconds_since(moment, now):
    return None if moment is None else max(0, round((now - moment).total_seconds()))


def worker_state(now=None):
    """Ages in seconds: of the oldest task waiting to run, and of the newest finished one."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    oldest_ready = None
    if oldest is not None:
        enqueued_at, run_after = oldest
        oldest_ready = max(enqueued_at, run_after) if run_after and run_after <= now else enqueued_at
    newest_finished = (DBTaskResult.objects
                       .filter(status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED])
                       .order_by("-finished_at").values_list("finished_at", flat=True).first())
    return {
        "ready_tasks": ready.count(),
        "oldest_ready_seconds": _seconds_since(oldest_ready, now),
        "last_finished_seconds": _seconds_since(newest_finished, now),
    }


def health():
    """(status code, body)"""
    checks = {"database": "ok" if _database() else "down", "cache": "ok" if _cache() else "down"}
    body = {"status": "ok", "checks": checks}
    if checks["database"] == "ok":
        try:
            body["worker"] = worker_state()
        except Exception:  # noqa: BLE001 - e.g. the tasks table is not migrated yet
            logger.exception("healthz: worker state failed")
            body["worker"] = None
        limit = settings.HEALTH_QUEUE_MAX_SECONDS
        waiting = (body["worker"] or {}).get("oldest_ready_seconds")
        if body["worker"] is None or (waiting is not None and waiting > limit):
            body["status"] = "degraded"
    if "down" in checks.values():
        body["status"] = "down"
        return 503, body
    return 200, body


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") != PATH:
            return self.get_response(request)
        status, body = health()
        response = JsonResponse(body, status=status)
        response["Cache-Control"] = "no-store"
        return response
