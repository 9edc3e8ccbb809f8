"""Issue 12, point 2: the client's address, honestly (TRUSTED_PROXIES), and forged headers."""

import pytest
from django.test import Client, RequestFactory

from outcomes.models import Signal
from participation.http import client_ip


def request(remote="198.51.100.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request()) == "198.51.100.7"
    assert client_ip(request(forwarded="203.0.113.9")) == "198.51.100.7"
    assert client_ip(request(forwarded="1.2.3.4, 203.0.113.9")) == "198.51.100.7"


def test_with_one_proxy_the_rightmost_entry_is_the_client(settings):
    settings.TRUSTED_PROXIES = 1
    # The proxy appends the address it saw; whatever the client wrote stands to the left of it.
    assert client_ip(request("10.0.0.2", "203.0.113.9")) == "203.0.113.9"
    assert client_ip(request("10.0.0.2", "6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(request("10.0.0.2")) == "10.0.0.2"  # not through the proxy
    assert client_ip(request("10.0.0.2", "2001:db8::1")) == "2001:db8::1"


def test_with_two_proxies_the_second_from_the_right(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_ip(request("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"
    assert client_ip(request("10.0.0.2", "203.0.113.9")) == "203.0.113.9"  # fewer entries: the leftmost


def test_rubbish_in_the_header_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_ip(request("10.0.0.2", "not-an-address")) == "10.0.0.2"
    assert client_ip(request("10.0.0.2", "203.0.113.9:4711")) == "203.0.113.9"
    assert client_ip(request("10.0.0.2", "[2001:db8::1]:443")) == "2001:db8::1"


@pytest.mark.django_db
def test_forged_x_forwarded_for_does_not_escape_the_signal_limit(settings):
    """The issue: 30 of 30 forged submissions were accepted (the last XFF entry was trusted)."""
    from outcomes import services

    settings.TRUSTED_PROXIES = 0
    statuses = [
        Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").post(
            "/outcomes/signal/", {"text": "Een idee voor het buurthuis."}).status_code
        for n in range(services.RATE_LIMIT + 3)
    ]
    assert statuses == [302] * services.RATE_LIMIT + [429] * 3
    assert Signal.objects.count() == services.RATE_LIMIT


@pytest.mark.django_db
def test_behind_one_proxy_forged_entries_left_of_the_proxys_do_not_help(settings):
    from outcomes import services

    settings.TRUSTED_PROXIES = 1
    statuses = [
        Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 203.0.113.9").post(
            "/outcomes/signal/", {"text": "Een idee voor het buurthuis."}).status_code
        for n in range(services.RATE_LIMIT + 1)
    ]
    assert statuses[-1] == 429 and statuses.count(302) == services.RATE_LIMIT
    # a different real client behind the same proxy is not blocked
    other = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.post("/outcomes/signal/", {"text": "Een idee voor het buurthuis."}).status_code == 302
