"""Issue 11, "Done when": a stranger who signs up with a registered person's email address or phone number
(in another format) sees only the neutral message; the registered person receives their link; nothing of
theirs is shown and their place is unchanged."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import EventIndexPage, Registration
from messaging.models import Message
from tests.conftest import axe_violations
from tests.events.conftest import make_event, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def event(home_page):
    index = home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    return make_event(index, capacity=1, title="Dialoogtafel jeugdhulp")


def registered(event, **extra):
    """Fatima signed up an hour ago (her confirmation went out then), with access needs."""
    registration = services.register(event, person(
        1, name="Fatima El Amrani", needs_wheelchair=True, access_other="Ik neem mijn hulphond mee", **extra,
    )).registration
    Registration.objects.filter(pk=registration.pk).update(created_at=timezone.now() - timedelta(hours=1))
    registration.refresh_from_db()
    return registration


def sign_up_as_stranger(page, live_server, event, *, email="", phone=""):
    page.goto(live_server.url + event.url)
    page.get_by_label("Uw naam").fill("Iemand Anders")
    if email:
        page.get_by_label("E-mailadres").fill(email)
    if phone:
        page.get_by_label("Mobiel nummer").fill(phone)
        page.get_by_label("Sms", exact=True).check()
    page.get_by_label("Ik vind het goed dat de gemeente").check()
    page.get_by_role("button", name=re.compile("^(Aanmelden|Op de wachtlijst)")).click()
    page.wait_for_url("**/signup/sent/**")
    return page.locator("main").inner_text()


def assert_nothing_of(registration, page, text):
    html = page.content()
    for secret in (registration.token, registration.name, "hulphond", "rolstoel", registration.email or "\0",
                   registration.phone or "\0", "Afmelden", "Van de wachtlijst af"):
        assert secret not in html and secret not in text, secret
    assert page.locator("main svg").count() == 0  # no check-in QR code
    assert "/events/r/" not in page.url


def assert_unchanged(registration):
    fresh = Registration.objects.get(pk=registration.pk)
    assert (fresh.status, fresh.name, fresh.email, fresh.phone, fresh.access_other, fresh.cancelled_at) == (
        registration.status, registration.name, registration.email, registration.phone,
        registration.access_other, registration.cancelled_at)
    assert Registration.objects.filter(event=registration.event).count() == 1


def link_in_messages(registration, channel):
    message = Message.objects.get(dedupe_key__startswith=f"events:reg:{registration.pk}:link:",
                                  channel=channel)
    return message


def test_a_stranger_with_her_email_sees_only_the_neutral_message(event, live_server, page):
    fatima = registered(event)
    text = sign_up_as_stranger(page, live_server, event, email="BEWONER1@Example.org")
    assert "Kijk in uw e-mail" in text and "persoonlijke link" in text
    assert "plaats heeft of op de wachtlijst staat" in text
    assert_nothing_of(fatima, page, text)
    assert axe_violations(page) == []
    assert_unchanged(fatima)

    # Fatima gets her own link, at her own address; the stranger's name is not in it.
    message = link_in_messages(fatima, "email")
    assert message.recipient == "bewoner1@example.org"
    assert "Iemand Anders" not in message.body and "U hebt een plek" in message.body
    path = re.search(r"/events/r/[\w-]+/", message.body).group(0)
    assert path == f"/events/r/{fatima.token}/"

    # The answer is the one a new sign-up gets (the event is full, so that one is on the waiting list).
    newcomer = page.context.browser.new_context(locale="nl-NL").new_page()
    assert sign_up_as_stranger(newcomer, live_server, event, email="nieuw@example.org") == text
    newcomer.context.close()

    # Following her link, Fatima sees her page with her place.
    page.goto(live_server.url + path)
    assert "U hebt een plek" in page.locator("main").inner_text()


def test_a_stranger_with_her_number_in_another_format_sees_only_the_neutral_message(event, live_server, page):
    fatima = registered(event, email="", phone="+31 6 12345678", channels="sms")
    text = sign_up_as_stranger(page, live_server, event, phone="06-12345678")
    assert "Kijk in uw sms-berichten" in text
    assert_nothing_of(fatima, page, text)
    assert "12345678" not in page.content()
    assert_unchanged(fatima)
    message = link_in_messages(fatima, "sms")
    assert message.recipient == "+31612345678" and fatima.token in message.body
    # Trying again at once sends her nothing more (at most one link per 10 minutes).
    sign_up_as_stranger(page, live_server, event, phone="0612345678")
    assert Message.objects.filter(dedupe_key__startswith=f"events:reg:{fatima.pk}:link:").count() == 1
    assert_unchanged(fatima)
