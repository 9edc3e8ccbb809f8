"""Coordinators' screens, exports, retention, and messages through the fake Twilio transport."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from icalendar import Calendar
from openpyxl import load_workbook

from accounts.roles import COORDINATOR
from events import retention, services
from messaging.gsm import segments
from messaging.models import Message, MessageState
from messaging.services import deliver, deliver_due
from tests.events.conftest import make_event, person
from tests.fakes import use_fake_twilio

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, django_user_model):
    user = django_user_model.objects.create_user(email="co@example.org", username="co", password="x")
    user.groups.add(Group.objects.get(name=COORDINATOR))
    client.force_login(user)
    return user


def test_registrations_screen_with_filter_and_access_needs(client, coordinator, event):
    services.register(event, person(1, needs_wheelchair=True, dietary="halal"))
    services.register(event, person(2))
    services.register(event, person(3))
    page = client.get(f"/admin/events/{event.pk}/registrations/?status=waiting").content.decode()
    assert "Bewoner 3" in page and "bewoner1@example.org" not in page
    assert "halal" in page  # the access-needs details for the organiser
    assert "halal" not in client.get(event.url).content.decode()


def test_registrations_screen_refuses_others(client, django_user_model, event):
    user = django_user_model.objects.create_user(email="x@example.org", username="x", password="x")
    client.force_login(user)
    assert client.get(f"/admin/events/{event.pk}/registrations/").status_code in (302, 403)


def test_exports_only_needed_fields(client, coordinator, event):
    services.register(event, person(1, age_band="25-44", gender="woman", dietary="halal"))
    services.register(event, person(2, name="=HYPERLINK(1)"))
    csv_text = client.get(f"/admin/events/{event.pk}/registrations/export.csv").content.decode("utf-8-sig")
    header, row = csv_text.splitlines()[:2]
    assert "Bewoner 1" in row and "halal" in row
    assert "'=HYPERLINK(1)" in csv_text  # no formula injection into spreadsheets
    assert "25-44" not in csv_text and "woman" not in csv_text
    response = client.get(f"/admin/events/{event.pk}/registrations/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[1][0] == "Bewoner 1" and len(rows[0]) == 8


def test_capacity_panel_on_admin_home(client, coordinator, index):
    event = make_event(index, capacity=5, title="Bijna vol")
    for n in range(4):
        services.register(event, person(n))
    assert "Bijna vol" in client.get("/admin/").content.decode()


def test_retention_anonymises_but_keeps_counts(index, settings):
    settings.RETENTION = {**settings.RETENTION, "registrations_months": 12}
    event = make_event(index)
    a = services.register(event, person(1, phone="0612345678", channels="both", origin="nl",
                                        origin_consent=True, needs_wheelchair=True)).registration
    services.mark_attended(a)
    token = a.token
    assert retention.apply(event.end + timedelta(days=300)) == {"registrations anonymised": 0}
    assert retention.apply(event.end + timedelta(days=370)) == {"registrations anonymised": 1}
    a.refresh_from_db()
    assert a.name == a.email == a.phone == a.origin == "" and not a.needs_wheelchair
    assert a.anonymised_at and a.attended_at and a.token != token
    assert services.counts(event)["attended"] == 1
    assert retention.apply(event.end + timedelta(days=400)) == {"registrations anonymised": 0}


def test_sms_and_email_delivered_once_with_ics(settings, event):
    fake = use_fake_twilio(settings)
    result = services.register(event, person(1, phone="06 12345678", channels="both"))
    confirmations = Message.objects.filter(dedupe_key__startswith=f"events:reg:{result.registration.pk}:confirmed")
    for message in confirmations:
        deliver(message.pk)
        deliver(message.pk)  # a worker that runs again sends nothing twice
    assert len(fake.sent) == 1 and fake.sent[0]["data"]["To"] == "+31612345678"
    assert len(mail.outbox) == 1
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert Calendar.from_ical(content).walk("VEVENT")[0]["UID"]
    assert deliver_due() == 0  # reminders are not due yet
    assert Message.objects.filter(purpose="events:reminder", state=MessageState.QUEUED).count() == 4


def test_sms_texts_fit_one_segment(event):
    long_title = "Dialoogtafel over jeugdhulp, wonen, werk en alles wat er verder nog bij komt kijken"
    services.update_event(event, title=long_title)
    event.refresh_from_db()
    reg = services.register(event, person(1, phone="0612345678", channels="sms", email="")).registration
    services.register(event, person(2, phone="0612345679", channels="sms", email=""))
    services.register(event, person(3, phone="0612345670", channels="sms", email=""))
    services.cancel(reg)
    texts = list(Message.objects.filter(channel="sms").values_list("body", flat=True))
    assert len(texts) >= 6
    for text in texts:
        assert segments(text) == 1, (len(text), text)


def test_event_edit_form_and_registrations_list_render(client, coordinator, event):
    assert client.get(f"/admin/pages/{event.pk}/edit/").status_code == 200
    listing = client.get("/admin/events/registrations/").content.decode()
    assert event.title in listing


def test_publishing_a_new_venue_tells_old_and_new(django_user_model, event):
    # The Wagtail editor publishes a revision like this; page_published then tells registrants.
    registration = services.register(event, person(1)).registration
    admin = django_user_model.objects.create_superuser(email="admin@example.org", username="admin", password="x")
    new_venue = "Wijkcentrum Zuilen"
    event.venue_name = new_venue
    event.save_revision(user=admin).publish(user=admin)
    message = Message.objects.get(dedupe_key=f"events:reg:{registration.pk}:change:s1:email")
    assert "Buurthuis De Boog" in message.body and new_venue in message.body
