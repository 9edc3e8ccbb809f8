"""Registering a resident on their behalf, with recorded consent; under 16 needs a guardian."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from messaging.models import Message
from recruitment import services
from recruitment.forms import OnBehalfForm
from recruitment.models import Channel, OnBehalfRecord

pytestmark = pytest.mark.django_db


def data(event, **extra):
    values = {
        "event": event, "name": "Mevrouw Jansen", "contact_via": "resident", "email": "",
        "phone": "06 12345678", "age_band": "65+", "under_16": "no", "guardian_name": "",
        "guardian_consent_method": "", "consent_method": "spoken",
        "consent_given_at": timezone.now() - timedelta(hours=1),
    }
    values.update(extra)
    return values


def test_register_on_behalf_records_consent_and_attribution(event, intermediary):
    outcome = services.register_on_behalf(intermediary, data(event))
    registration = outcome.registration
    assert registration.registered_by == intermediary.user and registration.phone == "+31612345678"
    record = OnBehalfRecord.objects.get(registration=registration)
    assert (record.consent_method, record.recorded_by, record.under_16) == ("spoken", intermediary.user, False)
    assert (registration.attribution.channel, registration.attribution.intermediary) == (
        Channel.ON_BEHALF, intermediary)
    assert registration in services.visible_registrations(intermediary)


def test_contact_through_the_intermediary(event, intermediary):
    outcome = services.register_on_behalf(intermediary, data(event, contact_via="intermediary", phone=""))
    assert outcome.registration.email == intermediary.user.email
    assert outcome.registration.on_behalf.contact_via == "intermediary"
    assert Message.objects.filter(recipient=intermediary.user.email).exists()
    with pytest.raises(services.RecruitmentError):  # a second person through the same address
        services.register_on_behalf(intermediary, data(event, name="Meneer Bakker", contact_via="intermediary"))


def test_under_16_without_guardian_consent_stops(event, intermediary):
    with pytest.raises(services.RecruitmentError, match="UAVG"):
        services.register_on_behalf(intermediary, data(event, age_band="15-24", under_16="yes"))
    assert not Registration.objects.exists()


def test_under_16_with_guardian_consent_is_recorded(event, intermediary):
    outcome = services.register_on_behalf(intermediary, data(
        event, age_band="0-14", under_16="yes", guardian_name="Fatma Yilmaz", guardian_consent_method="paper"))
    record = outcome.registration.on_behalf
    assert (record.under_16, record.guardian_name, record.guardian_consent_method) == (
        True, "Fatma Yilmaz", "paper")


def test_form_asks_explicitly_and_explains(event, intermediary):
    form = OnBehalfForm({**data(event, age_band="15-24", under_16="yes"), "event": event.pk,
                         "consent_given_at": "2020-01-01T10:00"})
    assert not form.is_valid()
    assert "ouder of voogd" in form.errors["guardian_name"][0] or "parent or guardian" in form.errors[
        "guardian_name"][0]
    contradiction = OnBehalfForm({**data(event, age_band="0-14", under_16="no"), "event": event.pk,
                                  "consent_given_at": "2020-01-01T10:00"})
    assert not contradiction.is_valid() and "under_16" in contradiction.errors


def test_on_behalf_through_the_dashboard(event, intermediary, client):
    client.force_login(intermediary.user)
    form = {**data(event), "event": event.pk, "consent_given_at": "2020-01-01T10:00"}
    response = client.post(reverse("recruitment:register_on_behalf"), form)
    registration = Registration.objects.get()
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Mevrouw Jansen" in page
    blocked = client.post(reverse("recruitment:register_on_behalf"), {
        **form, "name": "Kind", "phone": "0687654321", "age_band": "0-14", "under_16": "yes"})
    assert blocked.status_code == 200 and Registration.objects.count() == 1
    assert 'aria-describedby="id_guardian_name_help id_guardian_name_error"' in blocked.content.decode()
    assert registration.on_behalf.consent_given_at.year == 2020


def test_access_needs_are_recorded_when_signing_someone_up(event, intermediary, client):
    """Issue 16: an intermediary who signs someone up can note what they need, as the resident's own form
    asks; the person's page and the organiser's list show it."""
    client.force_login(intermediary.user)
    page = client.get(reverse("recruitment:register_on_behalf")).content.decode()
    assert 'name="needs_wheelchair"' in page and 'name="access_other"' in page
    form = {**data(event), "event": event.pk, "consent_given_at": "2020-01-01T10:00",
            "needs_wheelchair": "on", "needs_translation": "Arabisch", "dietary": "halal",
            "access_other": "Komt met rollator"}
    assert client.post(reverse("recruitment:register_on_behalf"), form).status_code == 302
    registration = Registration.objects.get()
    assert registration.needs_wheelchair and not registration.needs_childcare
    assert (registration.needs_translation, registration.dietary, registration.access_other) == (
        "Arabisch", "halal", "Komt met rollator")


def test_access_needs_are_optional_on_behalf(event, intermediary):
    registration = services.register_on_behalf(intermediary, data(event)).registration
    assert not registration.needs_wheelchair and registration.access_other == ""


def test_on_behalf_accepts_a_foreign_number_beside_an_email_address(event, intermediary):
    registration = services.register_on_behalf(intermediary, data(
        event, email="olivia@example.org", phone="+44 7911 123456")).registration
    assert registration.phone == "+447911123456" and registration.channels == "email"
