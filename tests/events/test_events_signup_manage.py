"""Issue 16: sign-up and manage as residents expect (waiting list truth, cancel with a second step and
undo, my registrations, calendar status per person) and machine-readable event pages."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from events import services
from events.models import Registration
from messaging.models import Message
from tests.events.conftest import make_event, person

pytestmark = pytest.mark.django_db


def json_ld(response):
    match = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.content.decode(), re.S)
    return json.loads(match.group(1))


def main(response):
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def personal_status(client, registration):
    calendar = Calendar.from_ical(client.get(f"/events/r/{registration.token}/calendar.ics").content)
    return str(calendar.walk("VEVENT")[0]["STATUS"])


# --- the personal calendar file follows the person's own registration -----------------------------

def test_personal_ics_is_tentative_on_the_waiting_list_and_cancelled_after_cancelling(client, index):
    event = make_event(index, capacity=1)
    confirmed = services.register(event, person(1)).registration
    waiting = services.register(event, person(2)).registration
    assert waiting.status == "waiting"
    assert personal_status(client, confirmed) == "CONFIRMED"
    assert personal_status(client, waiting) == "TENTATIVE"
    services.cancel(waiting)
    waiting.refresh_from_db()
    assert personal_status(client, waiting) == "CANCELLED"
    services.cancel(confirmed)
    confirmed.refresh_from_db()
    assert personal_status(client, confirmed) == "CANCELLED"
    # The public file still says the event takes place.
    public = Calendar.from_ical(client.get(f"/events/{event.pk}/calendar.ics").content).walk("VEVENT")[0]
    assert str(public["STATUS"]) == "CONFIRMED"


def test_uids_come_from_the_fixed_calendar_domain_not_the_address(client, event, settings):
    settings.SITE_URL = "https://elders.example.nl:8443"
    settings.WAGTAILADMIN_BASE_URL = "https://admin.example.nl"
    text = client.get(f"/events/{event.pk}/calendar.ics").content.decode()
    # The default is the host the UIDs always had (the old default address's), so they stay stable.
    assert f"UID:event-{event.pk}@127.0.0.1" in text
    settings.CALENDAR_UID_DOMAIN = "meedoen.utrecht.nl"
    assert f"UID:event-{event.pk}@meedoen.utrecht.nl" in client.get(f"/events/{event.pk}/calendar.ics").content.decode()


# --- the waiting list tells the truth ------------------------------------------------------------

def test_waiting_list_page_tells_position_and_next_steps_without_place_talk(client, index):
    event = make_event(index, capacity=1)
    services.register(event, person(1))
    services.register(event, person(2))
    third = services.register(event, person(3)).registration
    page = main(client.get(f"/events/r/{third.token}/"))
    assert "wachtlijst (nummer 2)" in page
    assert "Er staat 1 persoon voor u." in page
    assert "Wat er nu gebeurt" in page and "Zodra u een plek heeft" in page
    # Not the texts for people who have a place.
    assert "wachtlijst uw plek" not in page and "zodat iemand op de wachtlijst" not in page
    assert "Neem iemand mee" not in page and "/r/friend/" not in page
    assert "Van de wachtlijst af" in page


def test_the_button_on_a_full_event_says_join_the_waiting_list(client, index):
    event = make_event(index, capacity=1)
    assert "Op de wachtlijst</button>" not in main(client.get(event.url))
    services.register(event, person(1))
    assert "Op de wachtlijst</button>" in main(client.get(event.url))
    assert "Join the waiting list</button>" in main(client.get("/en" + event.url))


def test_for_whom_lists_everyone_once(client, index):
    page = main(client.get(index.url))
    select = re.search(r'<select id="f-audience".*?</select>', page, re.S).group(0)
    assert select.count(">Iedereen<") == 1
    assert "Alle groepen" in select


# --- cancelling: a second step, then undo while the place is free ---------------------------------

def test_cancel_asks_first_then_offers_undo_while_the_place_is_free(client, event):
    registration = services.register(event, person(1)).registration
    manage = f"/events/r/{registration.token}/"
    cancel_url = f"{manage}cancel/"
    assert f'href="{cancel_url}"' in main(client.get(manage))
    # The first step changes nothing.
    confirm = client.get(cancel_url)
    assert confirm.status_code == 200 and "Afmelden?" in main(confirm)
    assert "Nee, ik blijf aangemeld" in main(confirm)
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    # The second step cancels and offers undo.
    response = client.post(cancel_url, follow=True)
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert "Afmelding terugdraaien" in main(response)
    # Someone else's browser with the same link is not offered undo.
    other = Client()
    assert "Afmelding terugdraaien" not in main(other.get(manage))
    assert other.post(f"{manage}undo/").status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    # Undo: the place is back, the reminders are queued again and the person is told.
    restored = client.post(f"{manage}undo/", follow=True)
    registration.refresh_from_db()
    assert registration.status == "confirmed" and registration.cancelled_at is None
    assert "U bent weer aangemeld" in main(restored)
    assert Message.objects.filter(dedupe_key__startswith=f"events:reg:{registration.pk}:restored:").exists()
    assert Message.objects.filter(dedupe_key__startswith=f"events:reg:{registration.pk}:reminder",
                                  state="queued").exists()
    # A second undo is not offered (nothing to undo).
    assert "Afmelding terugdraaien" not in main(client.get(manage))


def test_undo_is_refused_when_the_place_went_to_the_waiting_list(client, index):
    event = make_event(index, capacity=1)
    first = services.register(event, person(1)).registration
    second = services.register(event, person(2)).registration
    manage = f"/events/r/{first.token}/"
    client.post(f"{manage}cancel/")
    second.refresh_from_db()
    assert second.status == "confirmed"  # promoted from the waiting list
    response = client.post(f"{manage}undo/", follow=True)
    first.refresh_from_db()
    assert first.status == "cancelled"
    assert "al naar iemand anders gegaan" in main(response)


def test_undo_puts_someone_waiting_back_at_their_old_number(client, index):
    event = make_event(index, capacity=1)
    services.register(event, person(1))
    second = services.register(event, person(2)).registration
    services.register(event, person(3))
    client.post(f"/events/r/{second.token}/cancel/")
    client.post(f"/events/r/{second.token}/undo/")
    second.refresh_from_db()
    assert second.status == "waiting" and services.waiting_position(second) == 1


def test_undo_expires(client, event):
    registration = services.register(event, person(1)).registration
    client.post(f"/events/r/{registration.token}/cancel/")
    Registration.objects.filter(pk=registration.pk).update(
        cancelled_at=timezone.now() - services.UNDO_CANCEL_WINDOW - timedelta(seconds=1))
    assert "Afmelding terugdraaien" not in main(client.get(f"/events/r/{registration.token}/"))
    response = client.post(f"/events/r/{registration.token}/undo/", follow=True)
    registration.refresh_from_db()
    assert registration.status == "cancelled" and "Terugdraaien kan niet meer" in main(response)


def test_undo_service_checks_capacity(index):
    event = make_event(index, capacity=1)
    first = services.register(event, person(1)).registration
    services.cancel(first)
    services.register(event, person(2))  # takes the free place
    first.refresh_from_db()
    with pytest.raises(services.SignupError) as error:
        services.undo_cancel(first, "confirmed")
    assert error.value.code == services.PLACE_GONE
    with pytest.raises(services.SignupError):
        services.undo_cancel(first, "attended")


# --- my registrations ------------------------------------------------------------------------------

def test_my_registrations_lists_the_accounts_own_registrations(client, index, django_user_model):
    assert client.get("/events/mine/").status_code == 302  # to the login
    user = django_user_model.objects.create_user(username="noor", email="noor@example.org")
    someone = django_user_model.objects.create_user(username="kees", email="kees@example.org")
    coming = make_event(index, title="Buurtavond", capacity=1)
    other = make_event(index, title="Geheime avond")
    mine = services.register(coming, person(1, email="noor@example.org"), user=user).registration
    services.register(other, person(2, email="kees@example.org"), user=someone)
    client.force_login(user)
    page = main(client.get("/events/mine/"))
    assert "Mijn aanmeldingen" in page and "Buurtavond" in page and "u heeft een plek" in page
    assert f'href="/events/r/{mine.token}/"' in page
    assert "Geheime avond" not in page
    assert 'href="/events/mine/"' in client.get("/").content.decode() or "Mijn aanmeldingen" in client.get(
        coming.url).content.decode()


# --- forms -----------------------------------------------------------------------------------------

def test_walk_in_form_says_optional_once(client, event, django_user_model):
    from django.contrib.auth.models import Group

    from accounts.roles import FACILITATOR

    user = django_user_model.objects.create_user(username="fac", email="fac@example.org")
    user.groups.add(Group.objects.get(name=FACILITATOR))
    client.force_login(user)
    page = client.get(f"/events/{event.pk}/checkin/").content.decode()
    assert "E-mailadres (niet verplicht)" in page
    assert "(niet verplicht) <span" not in page and page.count("niet verplicht") == 2


@pytest.mark.parametrize("number", ["+44 7911 123456", "0044 7911 123456", "+1 415 555 2671"])
def test_a_foreign_number_is_accepted_when_messages_go_by_email(client, event, number):
    data = {"name": "Olivia", "email": "olivia@example.org", "phone": number, "channels": "email",
            "consent_event": "on", "age_band": "", "gender": "", "wijk": "", "origin": ""}
    response = client.post(f"/events/{event.pk}/signup/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    registration = Registration.objects.get(email="olivia@example.org")
    assert registration.phone.startswith(("+44", "+1")) and registration.channels == "email"


def test_a_foreign_number_is_still_refused_for_sms(client, event):
    data = {"name": "Olivia", "email": "", "phone": "+44 7911 123456", "channels": "sms",
            "consent_event": "on", "age_band": "", "gender": "", "wijk": "", "origin": ""}
    response = client.post(f"/events/{event.pk}/signup/", data)
    assert response.status_code == 400
    assert "Nederland en andere EU-landen" in response.content.decode() or "EU" in main(response)
    assert not Registration.objects.exists()


# --- machine-readable ----------------------------------------------------------------------------

def test_json_ld_follows_googles_event_guidelines(client, index, settings):
    settings.SITE_URL = "https://meedoen.example.nl"
    event = make_event(index, capacity=1, venue_address="Boogstraat 1, 3511 AB Utrecht",
                       organiser_name="Buurtteam Overvecht", organiser_phone="14 030")
    response = client.get(event.url)
    data = json_ld(response)
    assert data["url"] == "https://meedoen.example.nl" + event.url
    assert data["image"] and all(url.startswith("https://meedoen.example.nl/static/img/") for url in data["image"])
    assert data["description"]
    offers = data["offers"]
    assert offers["price"] == 0 and offers["priceCurrency"] == "EUR"
    assert offers["availability"] == "https://schema.org/InStock"
    assert data["location"]["address"] == {
        "@type": "PostalAddress", "addressCountry": "NL", "streetAddress": "Boogstraat 1",
        "postalCode": "3511 AB", "addressLocality": "Utrecht"}
    assert data["organizer"]["name"] == "Buurtteam Overvecht"
    assert data["organizer"]["url"] == "https://meedoen.example.nl/"
    # The phone link has no spaces.
    assert 'href="tel:14030"' in response.content.decode()
    services.register(event, person(1))
    assert json_ld(client.get(event.url))["offers"]["availability"] == "https://schema.org/SoldOut"


@pytest.mark.parametrize("query", ["format=nonsense", "wijk=999999", "wijk=abc", "colour=red", "audience=parents"])
def test_the_calendar_feed_refuses_filters_it_does_not_know(client, query):
    response = client.get(f"/events/feed.ics?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain") and response.content.decode().strip()


def test_the_calendar_feed_still_filters_by_known_values(client, index):
    make_event(index, format="informal", title="Pizza-avond")
    assert client.get("/events/feed.ics?format=informal").status_code == 200
    assert client.get("/events/feed.ics").status_code == 200
