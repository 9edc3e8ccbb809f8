"""A resident with data in every app, for the "my data" tests."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

EMAIL = "anna@example.org"
PHONE = "+31612345678"


@pytest.fixture(autouse=True)
def dutch():
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")


@pytest.fixture
def event_index(home_page):
    from events.models import EventIndexPage

    return home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))


@pytest.fixture
def make_event(event_index):
    def make(title="Dialoogtafel Overvecht", days=7, capacity=1):
        from events.models import EventPage

        start = timezone.now() + timedelta(days=days)
        event = event_index.add_child(instance=EventPage(
            title=title, slug=f"e{EventPage.objects.count()}", start=start, end=start + timedelta(hours=2),
            capacity=capacity, venue_name="Buurthuis De Boog", organiser_email="organisator@example.org"))
        event.save_revision().publish()
        event.refresh_from_db()
        return event

    return make


def register(event, name, email="", phone="", **extra):
    from events.services import register as do_register

    data = {"name": name, "email": email, "phone": phone, "consent_event": True,
            "channels": "both" if email and phone else ("sms" if phone else "email")}
    data.update(extra)
    return do_register(event, data).registration


@pytest.fixture
def resident(make_event, db):
    """Anna: a place at one event (someone waits behind her), on the waiting list of another, a pool
    application, a signal, an invitation, a dialogue seat, messages; and Bert, who must stay untouched."""
    from content.models import Theme
    from events.models import Registration
    from formats.models import DialogueParticipant, DialogueSession
    from outcomes.services import SignalData, submit_signal
    from panels.models import Panel
    from panels.services import apply
    from population.models import Area
    from recruitment import services as recruitment
    from recruitment.models import Intermediary

    full = make_event("Dialoogtafel Overvecht", capacity=1)
    anna_place = register(full, "Anna de Vries", email="Anna@Example.org", phone="06 12345678",
                          access_other="Rolstoel, graag een plek bij de deur")
    bert_waiting = register(full, "Bert Jansen", email="bert@example.org")
    other = make_event("Pizza-avond", capacity=1)
    register(other, "Bert Jansen", email="bert@example.org")
    anna_waiting = register(other, "Anna de Vries", phone="+31 6 12345678")
    past = make_event("Verleden avond", days=-30)
    old = Registration.objects.create(event=past, name="Anna de Vries", email=EMAIL, status="confirmed")

    area = Area.objects.create(code="GM0344", name="Utrecht", level=Area.Level.MUNICIPALITY)
    panel = Panel.objects.create(name="Bewonerspanel Zorg", purpose="Meedenken", area=area)
    volunteer = apply(panel, {"name": "Anna de Vries", "email": EMAIL, "motivation": "Ik wil meedenken"}).volunteer
    bert_volunteer = apply(panel, {"name": "Bert Jansen", "email": "bert@example.org"}).volunteer

    signal = submit_signal(SignalData(text="De stoep bij mijn huis is kapot", name="Anna", email=EMAIL))

    coordinator = get_user_model().objects.create_user(username="coord", email="coord@example.org")
    worker = get_user_model().objects.create_user(username="sam", email="sam@example.org")
    intermediary = Intermediary.objects.create(user=worker, organisation="Jongerenwerk", organisation_type="youth_centre")
    recruitment.approve(intermediary, by=coordinator)
    invite_event = make_event("Jongerenavond", capacity=20)
    recruitment.send_invitations(intermediary, invite_event, f"{EMAIL}\nkees@example.org")

    theme = Theme.objects.create(slug="jeugd", name="Jeugd")
    session = DialogueSession.objects.create(event=full, theme=theme)
    seat = DialogueParticipant.objects.create(session=session, registration=anna_place,
                                              seat_reason="Leeftijd 65+ verdeeld over tafels")
    return SimpleNamespace(
        full=full, other=other, past=past, anna_place=anna_place, anna_waiting=anna_waiting, old=old,
        bert_waiting=bert_waiting, volunteer=volunteer, bert_volunteer=bert_volunteer, signal=signal,
        invite_event=invite_event, seat=seat, panel=panel,
    )
