from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import FACILITATOR
from content.models import Theme
from events.models import EventIndexPage, EventPage
from formats.models import Statement, StatementGame, StatementSet


@pytest.fixture(autouse=True)
def dutch():
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")


@pytest.fixture
def index(home_page):
    return home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))


def make_event(index, days=7, **extra):
    start = timezone.now() + timedelta(days=days)
    fields = dict(title="Stellingenspel Zuilen", slug=f"f{EventPage.objects.count()}", start=start,
                  end=start + timedelta(hours=2), venue_name="Wijkcentrum", format="statement_game")
    fields.update(extra)
    event = index.add_child(instance=EventPage(**fields))
    event.save_revision().publish()
    event.refresh_from_db()
    return event


@pytest.fixture
def event(index):
    return make_event(index)


@pytest.fixture
def theme(db):
    return Theme.objects.get_or_create(slug="wmo", defaults={"name": "Wmo"})[0]


@pytest.fixture
def statement_set(theme):
    statement_set = StatementSet.objects.create(title="Hulp thuis", theme=theme)
    for n, text in enumerate(["Ik weet waar ik hulp kan vragen.", "De wachttijd is te lang.",
                              "Mijn buren helpen mij."]):
        Statement.objects.create(statement_set=statement_set, text=text, sort_order=n)
    return statement_set


@pytest.fixture
def game(event, statement_set):
    return StatementGame.objects.create(event=event, statement_set=statement_set,
                                        groups="Jongeren\nProfessionals", rounds=2)


@pytest.fixture
def facilitator(db, django_user_model):
    user = django_user_model.objects.create_user(username="leider", email="leider@example.org", password="x")
    user.groups.add(Group.objects.get(name=FACILITATOR))
    return user
