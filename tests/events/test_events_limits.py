"""Issue 12: abuse limits on event sign-up (per address and per event, per address overall), and
check-in by POST only."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts.roles import FACILITATOR
from events import services
from events.models import Registration
from tests.events.conftest import make_event, person

pytestmark = pytest.mark.django_db


def form(n, **extra):
    data = {"name": f"Bot {n}", "email": f"bot{n}@example.org", "phone": "", "channels": "email",
            "consent_event": "on", "age_band": "", "gender": "", "wijk": "", "origin": ""}
    data.update(extra)
    return data


def sign_up(event, n, ip="198.51.100.7", **extra):
    return Client(REMOTE_ADDR=ip).post(f"/events/{event.pk}/signup/", form(n, **extra))


def test_sign_ups_per_address_and_event_stop_at_the_limit_and_store_nothing(index, settings):
    event = make_event(index, capacity=50)
    limit = 5
    assert settings.RATE_LIMITS["signup_event"] == f"{limit}/h"
    statuses = [sign_up(event, n).status_code for n in range(limit + 2)]
    assert statuses == [302] * limit + [429, 429]
    assert Registration.objects.filter(event=event).count() == limit
    blocked = sign_up(event, 99)
    assert "Wacht 1 uur en probeer het dan opnieuw" in blocked.content.decode()
    assert blocked["Retry-After"] == "3600"
    assert not Registration.objects.filter(email="bot99@example.org").exists()
    assert sign_up(event, 100, ip="198.51.100.8").status_code == 302  # someone else


def test_a_form_with_a_mistake_does_not_count(index, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup_event": "2/h"}
    event = make_event(index, capacity=50)
    for _ in range(4):
        assert sign_up(event, 1, email="geen-adres").status_code == 400
    assert [sign_up(event, n).status_code for n in range(3)] == [302, 302, 429]


def test_sign_ups_per_address_over_all_events(index, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": "3/h"}
    events = [make_event(index, capacity=50) for _ in range(4)]
    assert [sign_up(event, n).status_code for n, event in enumerate(events)] == [302, 302, 302, 429]
    assert not Registration.objects.filter(event=events[3]).exists()


def test_posting_to_the_event_page_itself_is_limited_too(index, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup_event": "1/h"}
    event = make_event(index, capacity=50)
    client = Client(REMOTE_ADDR="198.51.100.7")
    assert client.post(event.url, form(1)).status_code == 302
    assert client.post(event.url, form(2)).status_code == 429
    assert Registration.objects.filter(event=event).count() == 1


def test_english_429(index, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup_event": "1/h"}
    event = make_event(index, capacity=50)
    client = Client(REMOTE_ADDR="198.51.100.7")
    client.post(f"/en/events/{event.pk}/signup/", form(1))
    blocked = client.post(f"/en/events/{event.pk}/signup/", form(2))
    assert blocked.status_code == 429
    assert "Please wait 1 hour and try again" in blocked.content.decode()


def test_scanning_a_qr_code_needs_a_post_to_check_in(event, django_user_model):
    registration = services.register(event, person(1)).registration
    facilitator = django_user_model.objects.create_user(username="gl", email="gl@example.org", password="x")
    facilitator.groups.add(Group.objects.get(name=FACILITATOR))
    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)
    url = f"/events/checkin/{registration.token}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html and "Bewoner 1" in html
    registration.refresh_from_db()
    assert registration.attended_at is None
    # a page elsewhere that posts here without our CSRF token changes nothing
    assert client.post(url).status_code == 403
    registration.refresh_from_db()
    assert registration.attended_at is None
    token = page.context["csrf_token"]
    # The event is next week: the page's own form confirms that date (issue 16: never silently early).
    assert client.post(url, {"csrfmiddlewaretoken": str(token), "confirm": "1"}).status_code == 302
    registration.refresh_from_db()
    assert registration.attended_at is not None
