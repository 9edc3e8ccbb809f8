"""The registration states are named once, on the QuerySet (issue 13, point 4)."""

import pytest
from django.utils import timezone

from events import services
from events.models import EventPage, Registration
from tests.events.conftest import make_event, person

pytestmark = pytest.mark.django_db


def test_registration_states(index):
    event = make_event(index, capacity=1)
    first, second, third = (services.register(event, person(n)).registration for n in range(3))
    services.cancel(first)
    Registration.objects.filter(pk=second.pk).update(attended_at=timezone.now())
    states = event.registrations
    assert set(states.live()) == {second, third}
    assert list(states.cancelled()) == [first]
    assert [r.pk for r in states.confirmed()] == [second.pk]
    assert [r.pk for r in states.waiting()] == [third.pk]  # the second took the freed place
    assert list(states.attended()) == [second]


def test_not_cancelled_events(index):
    kept = make_event(index)
    make_event(index, status="cancelled")
    assert list(EventPage.objects.live().not_cancelled()) == [kept]
