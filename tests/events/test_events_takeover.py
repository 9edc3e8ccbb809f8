"""Issue 11, point 1: a sign-up never reveals (or hands over) an existing registration.

Whoever signs up with an email address or number that is already registered for the event gets the same
answer as a new sign-up; the holder of the registration is sent their personal link at the address on
file, at most once per registration per 10 minutes.
"""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from events import services
from events.models import Registration
from messaging.models import Message
from tests.events.conftest import person

pytestmark = pytest.mark.django_db


def age(registration, minutes=30):
    """Make a registration older than the 10 minutes in which its confirmation has just gone out."""
    Registration.objects.filter(pk=registration.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes))
    registration.refresh_from_db()
    return registration


def link_messages(registration):
    return Message.objects.filter(dedupe_key__startswith=f"events:reg:{registration.pk}:link:")


def form(**extra):
    data = {"name": "Vreemde", "email": "bewoner1@example.org", "phone": "", "channels": "email",
            "consent_event": "on", "age_band": "", "gender": "", "wijk": "", "origin": "",
            "access_other": ""}
    data.update(extra)
    return data


def main(html):
    return re.search(r"<main.*</main>", html, re.S).group(0)


def test_same_email_any_case_gives_already_and_sends_the_link_to_the_address_on_file(event):
    first = age(services.register(event, person(1, access_other="rolstoel en hulphond")).registration)
    result = services.register(event, person(9, email=" BEWONER1@Example.org", name="Vreemde"))
    assert (result.outcome, result.created, result.registration, result.status, result.own) == (
        services.ALREADY, False, None, "", False)
    unchanged = Registration.objects.get()
    assert (unchanged.pk, unchanged.name, unchanged.status, unchanged.access_other) == (
        first.pk, "Bewoner 1", "confirmed", "rolstoel en hulphond")
    message = link_messages(first).get()
    assert message.recipient == "bewoner1@example.org" and message.channel == "email"
    assert f"/events/r/{first.token}/" in message.body and "U hebt een plek" in message.body


def test_same_phone_in_another_format_sends_the_link_by_the_channel_on_file(event):
    first = age(services.register(event, person(1, email="", phone="+31 6 12345678", channels="sms")).registration)
    result = services.register(event, person(2, email="", phone="06-12345678"))
    assert result.outcome == services.ALREADY and result.registration is None
    message = link_messages(first).get()
    assert (message.channel, message.recipient) == ("sms", "+31612345678")
    assert first.token in message.body
    assert Registration.objects.count() == 1


def test_a_stranger_with_a_new_address_and_a_known_number_does_not_get_a_second_place(event):
    first = age(services.register(event, person(1, phone="0612345678", channels="both")).registration)
    result = services.register(event, person(2, phone="+31612345678"))
    assert result.outcome == services.ALREADY
    assert Registration.objects.count() == 1
    # The link goes where the holder chose: both their email address and their number, never the stranger's.
    assert set(link_messages(first).values_list("recipient", flat=True)) == {"bewoner1@example.org", "+31612345678"}
    assert not Message.objects.filter(recipient="bewoner2@example.org").exists()


def test_the_waiting_list_is_told_as_such(event):
    for n in range(2):
        services.register(event, person(n))
    waiting = age(services.register(event, person(3)).registration)
    assert waiting.status == "waiting"
    services.register(event, person(4, email="bewoner3@example.org"))
    assert "wachtlijst" in link_messages(waiting).get().body


def test_at_most_one_link_per_registration_per_ten_minutes(event):
    first = age(services.register(event, person(1)).registration, minutes=60)
    # Two hours ahead, at the start of a 10-minute bucket: never the bucket of the real clock, in which the
    # sign-up above sent its confirmation (the test failed when it ran in the first 10 minutes of an hour).
    start = (timezone.now() + timedelta(hours=2)).replace(minute=0, second=1, microsecond=0)
    for minutes in (0, 3, 9):
        with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=minutes)):
            services.register(event, person(1))
    assert link_messages(first).count() == 1
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=11)):
        services.register(event, person(1))
    assert link_messages(first).count() == 2


def test_a_double_click_sends_nothing_more_than_the_confirmation(event):
    first = services.register(event, person(1)).registration
    again = services.register(event, person(1))
    assert again.outcome == services.ALREADY
    assert not link_messages(first).exists()
    assert Message.objects.filter(dedupe_key=f"events:reg:{first.pk}:confirmed:email").count() == 1


def test_the_database_rule_path_answers_the_same(event, monkeypatch):
    """When the row lock did not see the first registration (SQLite), the unique constraint catches it."""
    first = age(services.register(event, person(1)).registration)
    real, calls = services._same_person, []

    def blind_once(email, phone):  # the look-up under the lock misses; the one after the error finds it
        calls.append(email)
        return real("", "") if len(calls) == 1 else real(email, phone)

    monkeypatch.setattr(services, "_same_person", blind_once)
    result = services.register(event, person(2, email="bewoner1@example.org"))
    assert result.outcome == services.ALREADY and result.registration is None and len(calls) == 2
    assert link_messages(first).count() == 1 and Registration.objects.count() == 1


def test_a_stranger_sees_the_same_page_as_a_new_sign_up_and_nothing_of_the_holder(client, event):
    holder = age(services.register(event, person(1, access_other="gebarentolk")).registration)
    new = client.post(f"/events/{event.pk}/signup/", form(email="nieuw@example.org"))
    assert new.status_code == 302
    assert Registration.objects.count() == 2
    stranger = client.post(f"/events/{event.pk}/signup/", form(email="Bewoner1@example.org"))
    assert stranger.status_code == 302 and stranger["Location"] == new["Location"]
    assert Registration.objects.count() == 2
    page = client.get(stranger["Location"])
    text = page.content.decode()
    assert page.status_code == 200 and "Kijk in uw e-mail" in text
    assert "wachtlijst" in text  # it tells how they learn whether they have a place
    for secret in (holder.token, holder.name, "gebarentolk", "bewoner1"):
        assert secret not in text
    assert main(client.get(new["Location"]).content.decode()) == main(text)
    assert link_messages(holder).count() == 1


def test_the_answer_names_the_channel_typed_not_the_one_on_file(client, event):
    age(services.register(event, person(1, email="", phone="0612345678", channels="sms")).registration)
    response = client.post(f"/events/{event.pk}/signup/",
                           form(email="", phone="+31 6 1234 5678", channels="sms"), follow=True)
    assert "Kijk in uw sms-berichten" in response.content.decode()


def test_the_signed_in_owner_goes_to_their_own_page_others_do_not(client, event):
    users = get_user_model()
    owner = users.objects.create_user(username="eigenaar", email="bewoner1@example.org", password="x")
    other = users.objects.create_user(username="ander", email="ander@example.org", password="x")
    registration = services.register(event, person(1), user=owner).registration
    client.force_login(owner)
    response = client.post(f"/events/{event.pk}/signup/", form(name="Bewoner 1"))
    assert response["Location"] == f"/events/r/{registration.token}/"
    client.force_login(other)
    response = client.post(f"/events/{event.pk}/signup/", form())
    assert response["Location"].startswith(f"/events/{event.pk}/signup/sent/")
    assert registration.token not in client.get(response["Location"]).content.decode()


def test_service_result_for_the_owner_carries_their_registration(event):
    owner = get_user_model().objects.create_user(username="eigenaar", email="bewoner1@example.org", password="x")
    first = services.register(event, person(1), user=owner).registration
    again = services.register(event, person(1), user=owner)
    assert again.own and again.registration.pk == first.pk and again.status == "confirmed"
