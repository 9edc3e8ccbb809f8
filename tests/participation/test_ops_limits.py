"""Issue 12, point 3: the limiter itself (participation/limits.py) and the 429 page."""

import json
import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from participation import limits

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops_limit(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ops_test": "3/h"}
    return "ops_test"


def test_rates_are_parsed_and_bad_ones_refused():
    assert limits.parse_rate("5/h") == limits.Rate(5, 3600)
    assert limits.parse_rate("20/10m") == limits.Rate(20, 600)
    assert limits.parse_rate(" 1 / 30s ") == limits.Rate(1, 30)
    for bad in ("5", "h/5", "5/w", "", "-1/h"):
        with pytest.raises(ValueError):
            limits.parse_rate(bad)


def test_every_configured_limit_parses(settings):
    for name in settings.RATE_LIMITS:
        assert limits.rate(name).count > 0


def test_environment_overrides_a_limit(monkeypatch):
    import importlib

    from participation.settings import base

    monkeypatch.setenv("RATE_LIMIT_SIGNUP", "50/h")
    try:
        assert importlib.reload(base).RATE_LIMITS["signup"] == "50/h"
    finally:
        monkeypatch.delenv("RATE_LIMIT_SIGNUP")
        importlib.reload(base)


def test_hit_counts_up_to_the_limit_per_key_and_release_gives_one_back(ops_limit):
    assert [limits.hit(ops_limit, "a") for _ in range(5)] == [True, True, True, False, False]
    assert limits.hit(ops_limit, "b")
    limits.release(ops_limit, "b")
    assert [limits.hit(ops_limit, "b") for _ in range(4)] == [True, True, True, False]


def test_the_window_starts_at_the_first_request_and_ends(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ops_short": "2/1s"}
    assert [limits.hit("ops_short", "a") for _ in range(3)] == [True, True, False]
    time.sleep(2.1)
    assert limits.hit("ops_short", "a")


def test_addresses_are_hashed_and_ipv6_counts_per_64():
    key = limits.address("203.0.113.9")
    assert "203" not in key and len(key) == 24
    assert limits.address("2001:db8:1:2::1") == limits.address("2001:db8:1:2:ffff::9")
    assert limits.address("2001:db8:1:2::1") != limits.address("2001:db8:1:3::1")


def view(request, thing_id):
    return HttpResponse(status=int(request.POST.get("status", 200)))


def test_decorator_counts_posts_per_address_and_key_and_gives_back_a_400(ops_limit):
    limited = limits.limit(ops_limit, key=lambda request, thing_id: thing_id)(view)
    factory = RequestFactory()

    def post(thing=1, ip="198.51.100.7", **data):
        return limited(factory.post("/", data, REMOTE_ADDR=ip), thing)

    assert limited(factory.get("/", REMOTE_ADDR="198.51.100.7"), 1).status_code == 200  # GET: not counted
    assert post(status=400).status_code == 400  # a form with a mistake gives its count back
    assert [post().status_code for _ in range(4)] == [200, 200, 200, 429]
    assert post(thing=2).status_code == 200  # another key
    assert post(ip="198.51.100.8").status_code == 200  # another address
    blocked = post()
    assert blocked.status_code == 429 and blocked["Retry-After"] == "3600"


def test_decorator_when_narrows_what_counts(ops_limit):
    limited = limits.limit(ops_limit, when=lambda request, thing_id: request.POST.get("action") == "send")(view)
    factory = RequestFactory()
    for _ in range(5):
        assert limited(factory.post("/", {"action": "preview"}), 1).status_code == 200
    assert [limited(factory.post("/", {"action": "send"}), 1).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_429_page_in_the_users_language_and_json_for_the_phone_queue(client, site, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signal": "1/h"}
    for prefix, text in (("", "Wacht 1 uur en probeer het dan opnieuw"), ("/en", "Please wait 1 hour and try again")):
        request = RequestFactory().get(prefix + "/")
        with translation.override(prefix.strip("/") or "nl"):
            request.LANGUAGE_CODE = translation.get_language()
            response = limits.too_many_requests(request, seconds=3600)
        assert response.status_code == 429
        assert text in response.content.decode()
    request = RequestFactory().post("/", HTTP_X_REQUESTED_WITH="fetch")
    with translation.override("nl"):
        response = limits.too_many_requests(request, seconds=120)
    body = json.loads(response.content)
    assert response.status_code == 429 and body["ok"] is False and "2 minuten" in body["error"]
