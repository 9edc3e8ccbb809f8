from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import EventIndexPage, EventPage


@pytest.fixture
def index(home_page):
    return home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))


def make_event(index, capacity=2, **extra):
    start = timezone.now() + timedelta(days=7)
    fields = dict(title="Dialoogtafel Overvecht", slug=f"e{EventPage.objects.count()}", start=start,
                  end=start + timedelta(hours=2), capacity=capacity, venue_name="Buurthuis De Boog",
                  venue_address="Boogstraat 1, Utrecht", organiser_email="organisator@example.org")
    fields.update(extra)
    event = index.add_child(instance=EventPage(**fields))
    event.save_revision().publish()
    event.refresh_from_db()
    return event


@pytest.fixture
def event(index):
    return make_event(index)


def person(n, **extra):
    data = {"name": f"Bewoner {n}", "email": f"bewoner{n}@example.org", "consent_event": True}
    data.update(extra)
    return data


@pytest.fixture(autouse=True)
def dutch():
    """Each test starts in Dutch (an earlier request may have left English active in this thread)."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")
