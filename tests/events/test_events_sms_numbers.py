"""SMS only to Dutch/EU mobile numbers (issue 12, point 4), in every form where residents leave a number."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import FACILITATOR
from events.forms import SignupForm, WalkInForm
from events.models import Registration
from messaging.models import Channel, Message, MessageState
from panels.forms import ApplicationForm
from tests.events.test_events_pages import form

pytestmark = pytest.mark.django_db

LANDLINE, PREMIUM, UK_MOBILE, BE_MOBILE = "030 123 4567", "0900 1234567", "+44 7400 123456", "+32 470 12 34 56"


@pytest.mark.parametrize("channels", ["sms", "both"])
@pytest.mark.parametrize("number, text", [
    (LANDLINE, "geen mobiel nummer"), (PREMIUM, "geen mobiel nummer"), ("085 123 4567", "geen mobiel nummer"),
    (UK_MOBILE, "nederland en andere eu-landen"),
])
def test_sign_up_with_sms_to_a_number_we_may_not_text_is_refused_in_dutch(client, event, channels, number, text):
    response = client.post(f"/events/{event.pk}/signup/", form(phone=number, channels=channels))
    assert response.status_code == 400
    assert text in response.content.decode().lower()
    assert not Registration.objects.exists() and not Message.objects.exists()


def test_sign_up_by_sms_to_an_eu_mobile_number_works(client, event):
    response = client.post(f"/events/{event.pk}/signup/", form(phone=BE_MOBILE, email="", channels="sms"))
    assert response.status_code == 302
    sms = Message.objects.filter(channel=Channel.SMS)
    assert sms.exists() and set(sms.values_list("state", flat=True)) == {MessageState.QUEUED}


@pytest.mark.parametrize("number", [UK_MOBILE, LANDLINE])
def test_email_only_sign_up_keeps_a_foreign_or_landline_number_and_texts_nothing(client, event, number):
    response = client.post(f"/events/{event.pk}/signup/", form(phone=number, channels="email"))
    assert response.status_code == 302
    assert Registration.objects.get().phone.startswith(("+44", "+3130"))
    assert not Message.objects.filter(channel=Channel.SMS).exists()


def test_the_form_says_near_the_phone_field_where_sms_go(client, event):
    page = client.get(event.url).content.decode()
    help_text = page.split('id="id_phone_helptext"', 1)[1].split("</p>", 1)[0]
    assert "alleen naar mobiele nummers uit Nederland en andere EU-landen" in help_text
    assert 'aria-describedby="id_phone_helptext"' in page
    english = client.get("/en" + event.url).content.decode()
    assert "only send text messages to mobile numbers from the Netherlands" in english


def test_signup_form_in_english_says_it_in_english(event):
    from django.utils import translation

    with translation.override("en"):
        bound = SignupForm(form(phone=UK_MOBILE, channels="sms"))
        assert not bound.is_valid()
        assert "Netherlands and other EU countries" in bound.errors["phone"][0]


def test_panel_call_refuses_a_landline_as_the_only_contact_but_keeps_it_beside_email():
    base = {"name": "An", "consent": "on", "age_band": "", "gender": "", "wijk": "", "origin": ""}
    only_phone = ApplicationForm({**base, "email": "", "phone": PREMIUM})
    assert not only_phone.is_valid() and "geen mobiel nummer" in only_phone.errors["phone"][0]
    with_email = ApplicationForm({**base, "email": "an@example.org", "phone": UK_MOBILE})
    assert with_email.is_valid(), with_email.errors
    assert "EU-landen" in str(ApplicationForm().fields["phone"].help_text)


def test_walk_in_with_only_a_landline_is_refused_with_email_it_is_kept():
    assert WalkInForm({"name": "Jan", "email": "", "phone": "0612345678"}).is_valid()
    refused = WalkInForm({"name": "Jan", "email": "", "phone": LANDLINE})
    assert not refused.is_valid() and "geen mobiel nummer" in refused.errors["phone"][0]
    kept = WalkInForm({"name": "Jan", "email": "jan@example.org", "phone": LANDLINE})
    assert kept.is_valid() and kept.cleaned_data["phone"] == "+31301234567"


def test_walk_in_at_the_check_in_page_refuses_a_premium_number(client, event, django_user_model):
    facilitator = django_user_model.objects.create_user(username="f", password="pw-long-enough-1")
    facilitator.groups.add(Group.objects.get(name=FACILITATOR))
    client.force_login(facilitator)
    response = client.post(f"/events/{event.pk}/checkin/",
                           {"action": "walk_in", "walkin-name": "Jan", "walkin-phone": PREMIUM})
    assert "geen mobiel nummer" in response.content.decode()
    assert not Registration.objects.exists()
