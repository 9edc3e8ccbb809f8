"""Representativeness of an event's registrants and attendees (events.models.Registration)."""

import pytest
from django.urls import reverse

from population import groups

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_with_people(home_page, utrecht):
    from events import services as event_services
    from events.models import EventIndexPage
    from tests.events.conftest import make_event

    index = home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    overvecht = utrecht.children.get(code="WK034403")
    event = make_event(index, capacity=20, wijk=overvecht)
    west = utrecht.children.get(code="WK034401")
    answers = [("65+", "woman", overvecht, "nl", True), ("65+", "man", overvecht, "", False),
               ("45-64", "woman", west, "", False), ("15-24", "", overvecht, "europe", True),
               ("65+", "woman", None, "nl", True)]
    registrations = []
    for n, (age, gender, wijk, origin, consent) in enumerate(answers):
        result = event_services.register(event, {
            "name": f"Bewoner {n}", "email": f"b{n}@example.org", "consent_event": True, "age_band": age,
            "gender": gender, "wijk": wijk.pk if wijk else None, "origin": origin, "origin_consent": consent})
        registrations.append(result.registration)
    event_services.mark_attended(registrations[0])
    event_services.mark_attended(registrations[3])
    return event


def test_people_from_registrants_and_attendees(event_with_people):
    registrants = groups.get("event_registrants").people(event_with_people.pk)
    attendees = groups.get("event_attendees").people(event_with_people.pk)
    assert len(registrants) == 5 and len(attendees) == 2
    # Origin only with consent (events enforces it); a missing wijk is unknown.
    assert sorted(p["origin"] for p in registrants) == ["", "", "europe", "nl", "nl"]
    assert sorted(p["wijk"] for p in registrants) == ["", "WK034401", "WK034403", "WK034403", "WK034403"]


def test_admin_view_for_an_event_against_its_wijk(client, coordinator, event_with_people):
    client.force_login(coordinator)
    response = client.get(reverse("population_admin:representativeness"),
                          {"group": "event_registrants", "event": event_with_people.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "vergeleken met Overvecht" in html
    # The one registrant from West lives outside Overvecht: said so.
    assert "1 persoon in de groep woont buiten Overvecht" in html
    attendees = client.get(reverse("population_admin:representativeness"),
                           {"group": "event_attendees", "event": event_with_people.pk}).content.decode()
    assert "2 mensen" in attendees
