"""Check-in with a registration that is not a number, or not of this event: a message, never a 500."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts.roles import FACILITATOR
from events.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone(db, django_user_model):
    user = django_user_model.objects.create_user(username="leider", email="leider@example.org", password="x")
    user.groups.add(Group.objects.get(name=FACILITATOR))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1", "", "1\x00"])
def test_checkin_with_a_registration_that_is_not_there_gives_a_message(phone, event, value):
    registration = Registration.objects.create(event=event, name="Bewoner 1", email="b1@example.org")
    response = phone.post(f"/events/{event.pk}/checkin/", {"action": "attend", "registration": value},
                          follow=True)
    assert response.status_code in (200, 400)
    assert "niet gevonden" in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended_at is None


def test_an_unknown_action_changes_nothing(phone, event):
    response = phone.post(f"/events/{event.pk}/checkin/", {"action": ["attend", "x"], "registration": ["1", "2"]})
    assert response.status_code < 500


def test_a_search_with_a_nul_character_says_so_and_shows_the_list(phone, event):
    """On PostgreSQL a NUL character in a query is a database error; the form stops it first."""
    Registration.objects.create(event=event, name="Bewoner 1", email="b1@example.org")
    response = phone.get(f"/events/{event.pk}/checkin/", {"q": "Bew\x00oner"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Null-tekens zijn niet toegestaan" in page and "Bewoner 1" in page


def test_the_check_in_list_is_never_cached(phone, event):
    """The list shows names (and searches by email or number) on a phone or laptop at the venue: like the
    personal pages, it must not stay in a browser's or proxy's cache (issue 11, point 7)."""
    Registration.objects.create(event=event, name="Bewoner 1", email="b1@example.org")
    for query in ("", "?q=Bewoner"):
        response = phone.get(f"/events/{event.pk}/checkin/{query}")
        assert response.status_code == 200 and "Bewoner 1" in response.content.decode()
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
