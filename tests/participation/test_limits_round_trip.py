"""The limits of one request are counted together: one round trip on Redis, the same counts everywhere.

Stacked `@limits.limit` decorators become one wrapper; the first limit that is over answers 429 and the
ones after it are not counted (as when each decorator wrapped the next). Runs on the database cache
(SQLite/PostgreSQL) and, with CACHE_URL=redis://…, on Redis, where it also checks the single round trip.
"""

import functools

import pytest
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from participation import limits

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "rt_all": "4/h", "rt_one": "2/h"}
    cache.delete_many([f"limit:{name}:{part}" for name in ("rt_all", "rt_one") for part in ("a", "a:1", "a:2")])


def view(request, thing_id):
    return HttpResponse(status=int(request.POST.get("status", 200)))


def _redis():
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def test_hit_first_over_counts_in_order_and_stops_at_the_first_over(two_limits):
    both = [("rt_all", ("a",)), ("rt_one", ("a", 1))]
    assert [limits.hit_first_over(both) for _ in range(3)] == [None, None, 1]
    # The third was refused by rt_one but counted by rt_all (it came first): 3 of 4 used.
    assert limits.hit_first_over([("rt_all", ("a",)), ("rt_one", ("a", 2))]) is None
    assert limits.hit_first_over([("rt_all", ("a",)), ("rt_one", ("a", 2))]) == 0
    # Refused by rt_all (the first): rt_one for thing 2 did not count it, one left there.
    assert limits.hit("rt_one", "a", 2) is True
    assert limits.hit("rt_one", "a", 2) is False


def test_stacked_decorators_are_one_wrapper_with_the_old_counts(two_limits):
    limited = limits.limit("rt_all")(limits.limit("rt_one", key=lambda request, thing_id: thing_id)(view))
    assert limited._limit_specs[0].name == "rt_all" and len(limited._limit_specs) == 2
    factory = RequestFactory()

    def post(thing, **data):
        return limited(factory.post("/", data, REMOTE_ADDR="198.51.100.9"), thing).status_code

    assert post(1, status=400) == 400  # gives both counts back
    assert [post(1) for _ in range(3)] == [200, 200, 429]  # rt_one: 2 per thing
    assert [post(2), post(3)] == [200, 429]  # rt_all: 4 in all, the refused one above included
    assert limited(factory.get("/", REMOTE_ADDR="198.51.100.9"), 1).status_code == 200  # GET: not counted


def test_a_decorator_in_between_is_not_skipped(two_limits):
    calls = []

    def noting(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            calls.append(1)
            return function(*args, **kwargs)
        return wrapper

    limited = limits.limit("rt_all")(noting(limits.limit("rt_one", key=lambda request, thing_id: thing_id)(view)))
    factory = RequestFactory()
    assert limited(factory.post("/", REMOTE_ADDR="198.51.100.10"), 1).status_code == 200
    assert calls == [1]
    assert len(limited._limit_specs) == 1  # not merged through the other decorator


def test_limits_switched_off_count_nothing(two_limits, settings):
    settings.RATE_LIMITS_ENABLED = False
    assert all(limits.hit("rt_one", "a", 1) for _ in range(5))
    settings.RATE_LIMITS_ENABLED = True
    assert [limits.hit("rt_one", "a", 1) for _ in range(3)] == [True, True, False]


def test_one_redis_round_trip_for_all_the_limits_of_a_request(two_limits):
    if not _redis():
        pytest.skip("runs with CACHE_URL=redis://…")
    import redis

    sent = []
    original = redis.Redis.execute_command

    def counting(self, *args, **options):
        sent.append(args[0])
        return original(self, *args, **options)

    redis.Redis.execute_command = counting
    try:
        limits.hit_first_over([("rt_all", ("a",)), ("rt_one", ("a", 1))])
        limits.hit_first_over([("rt_all", ("a",)), ("rt_one", ("a", 1))])
    finally:
        redis.Redis.execute_command = original
    assert [command for command in sent if command != "SCRIPT LOAD"] == ["EVALSHA", "EVALSHA"]
    # The window starts with the first count and keeps its expiry.
    client = cache._cache.get_client(write=True)
    ttl = client.ttl(cache.make_and_validate_key("limit:rt_all:a"))
    assert 3590 <= ttl <= 3600
    assert cache.get("limit:rt_all:a") == 2


def test_deploy_check_warns_when_the_limits_are_off(settings):
    from django.core.checks import run_checks

    settings.RATE_LIMITS_ENABLED = False
    assert "participation.W001" in {m.id for m in run_checks(include_deployment_checks=True)}
    settings.RATE_LIMITS_ENABLED = True
    assert "participation.W001" not in {m.id for m in run_checks(include_deployment_checks=True)}
