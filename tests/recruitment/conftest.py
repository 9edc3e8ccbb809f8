from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from recruitment import services
from recruitment.models import Intermediary, OrganisationType


@pytest.fixture
def event_index(home_page):
    from events.models import EventIndexPage

    return home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))


@pytest.fixture
def make_event(event_index):
    def make(title="Jongerenavond Overvecht", days=7, **extra):
        from events.models import EventPage

        start = timezone.now() + timedelta(days=days)
        fields = dict(title=title, slug=f"event-{EventPage.objects.count()}", start=start,
                      end=start + timedelta(hours=2), venue_name="Jongerencentrum De Plek",
                      venue_address="Zamenhofdreef 1, Utrecht", organiser_email="org@example.org")
        fields.update(extra)
        event = event_index.add_child(instance=EventPage(**fields))
        event.save_revision().publish()
        return event

    return make


@pytest.fixture
def event(make_event):
    return make_event()


@pytest.fixture
def coordinator(db):
    return get_user_model().objects.create_user(username="coord", email="coord@example.org")


@pytest.fixture
def make_intermediary(coordinator):
    def make(name="Sam", approved=True, organisation="Jongerenwerk Overvecht",
             kind=OrganisationType.YOUTH_CENTRE):
        user = get_user_model().objects.create_user(
            username=name.lower(), email=f"{name.lower()}@example.org", first_name=name,
        )
        intermediary = Intermediary.objects.create(user=user, organisation=organisation, organisation_type=kind)
        if approved:
            services.approve(intermediary, by=coordinator)
        return intermediary

    return make


@pytest.fixture
def intermediary(make_intermediary):
    return make_intermediary()


@pytest.fixture
def visitor():
    """A browser session as the signal sees it: a request with a session."""
    def make():
        return SimpleNamespace(session={})

    return make


def signup(event, n, request=None, **extra):
    from events.services import register
    from participation.invites import invite_from_session

    data = {"name": f"Bewoner {n}", "email": f"bewoner{n}@example.org", "consent_event": True}
    data.update(extra)
    invite = invite_from_session(request.session) if request is not None else None
    return register(event, data, invite=invite).registration
