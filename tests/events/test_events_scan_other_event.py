"""Scanning a QR code at the door (issue 16 point 5): a code of another activity, or of an activity that
is not today, is never checked in silently; the confirmation names the activity and its date."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import FACILITATOR
from events import services
from tests.events.conftest import make_event, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator_client(client, django_user_model):
    user = django_user_model.objects.create_user(username="leider", email="l@example.org", password="x")
    user.groups.add(Group.objects.get_or_create(name=FACILITATOR)[0])
    client.force_login(user)
    return client


def at(event, start):
    event.start, event.end = start, start + timezone.timedelta(hours=2)
    event.save()
    return event


def test_code_of_another_event_warns_and_asks(facilitator_client, index):
    client = facilitator_client
    today = at(make_event(index), timezone.now())
    later = at(make_event(index, title="Buurtavond later", slug="later"), timezone.now() + timezone.timedelta(days=9))
    registration = services.register(later, person(1)).registration
    client.get(f"/events/{today.pk}/checkin/")  # the facilitator works from today's list

    page = client.get(f"/events/checkin/{registration.token}/").content.decode()
    assert "andere activiteit" in page and "Buurtavond later" in page
    assert "niet vandaag" in page
    assert str(later.start.astimezone(timezone.get_current_timezone()).day) in page
    refused = client.post(f"/events/checkin/{registration.token}/")
    assert refused.status_code == 409
    registration.refresh_from_db()
    assert registration.attended_at is None

    done = client.post(f"/events/checkin/{registration.token}/", {"confirm": "1"})
    registration.refresh_from_db()
    assert registration.attended_at is not None
    assert done.url == f"/events/{today.pk}/checkin/"  # back to the list in use, no jump


def test_code_of_todays_event_checks_in_with_one_tap(facilitator_client, index):
    client = facilitator_client
    today = make_event(index)
    registration = services.register(today, person(2)).registration
    at(today, timezone.now())  # the activity starts now
    client.get(f"/events/{today.pk}/checkin/")
    page = client.get(f"/events/checkin/{registration.token}/").content.decode()
    assert "scan-warning" not in page and "Markeer aanwezig: Bewoner 2" in page
    client.post(f"/events/checkin/{registration.token}/")
    registration.refresh_from_db()
    assert registration.attended_at is not None


def test_check_in_list_says_mark_present_and_present_tick(facilitator_client, index):
    client = facilitator_client
    today = make_event(index)
    first = services.register(today, person(3)).registration
    services.register(today, person(4))
    at(today, timezone.now())
    services.check_in(first)
    page = client.get(f"/events/{today.pk}/checkin/").content.decode()
    assert "Aanwezig ✓" in page and ">Markeer aanwezig<" in page
