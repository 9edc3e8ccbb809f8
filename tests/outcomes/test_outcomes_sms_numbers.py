"""The signal form texts news only to Dutch/EU mobile numbers (issue 12, point 4)."""

import pytest
from django.core.cache import cache

from messaging.models import Channel, Message, MessageState
from outcomes.models import Signal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def post_signal(client, **data):
    payload = {"text": "De stoep bij de Amsterdamsestraatweg ligt vol losse tegels.", "website": ""}
    payload.update(data)
    return client.post("/outcomes/signal/", payload)


@pytest.mark.parametrize("number, text", [("0900 1234567", "geen mobiel nummer"),
                                          ("+44 7400 123456", "nederland en andere eu-landen")])
def test_a_number_we_may_not_text_as_the_only_contact_is_refused(client, number, text):
    response = post_signal(client, phone=number)
    assert text in response.content.decode().lower()
    assert not Signal.objects.exists() and not Message.objects.exists()


def test_beside_an_email_address_a_foreign_number_is_kept_and_not_texted(client):
    response = post_signal(client, email="an@example.org", phone="+44 7400 123456")
    assert response.status_code == 302
    assert Signal.objects.get().phone == "+447400123456"
    sms = Message.objects.get(channel=Channel.SMS)
    assert sms.state == MessageState.SKIPPED and "SMS_ALLOWED_REGIONS" in sms.error
    assert Message.objects.get(channel=Channel.EMAIL).state == MessageState.QUEUED


def test_the_signal_form_says_where_sms_go(client):
    page = client.get("/outcomes/signal/").content.decode()
    assert "alleen naar mobiele nummers uit Nederland en andere EU-landen" in page
