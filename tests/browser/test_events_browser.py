import re

import pytest

from events import services
from events.models import EventIndexPage, Registration
from tests.conftest import axe_violations
from tests.events.conftest import make_event, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def personal_path(registration):
    """The personal page's path, as the link in the person's message gives it."""
    from messaging.models import Message

    body = Message.objects.filter(dedupe_key__startswith=f"events:reg:{registration.pk}:").first().body
    return re.search(r"/events/r/[\w-]+/", body).group(0)


@pytest.fixture
def full_event(home_page):
    index = home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    event = make_event(index, capacity=1, title="Dialoogtafel jeugdhulp")
    services.register(event, person(1))
    return event


def test_resident_lands_on_waiting_list_and_cancels(full_event, live_server, phone_page):
    page = phone_page
    page.goto(live_server.url + full_event.url)
    assert "wachtlijst" in page.locator(".signup").inner_text()
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]

    page.get_by_label("Uw naam").fill("Noor")
    page.get_by_label("Mobiel nummer").fill("0612")  # a typo first
    page.get_by_label("Sms", exact=True).check()
    page.get_by_label("Ik vind het goed dat de gemeente").check()
    page.get_by_role("button", name="Aanmelden voor de wachtlijst").click()
    assert "geen geldig telefoonnummer" in page.locator("#id_phone_error").inner_text()
    assert page.get_by_label("Mobiel nummer").get_attribute("aria-invalid") == "true"
    assert Registration.objects.count() == 1

    page.get_by_label("Mobiel nummer").fill("06 12345678")
    page.get_by_role("button", name="Aanmelden voor de wachtlijst").click()
    # Since issue 11 the answer is the neutral "check your messages" page; the personal page is reached
    # by the link in the message.
    page.wait_for_url("**/signup/sent/**")
    assert "Kijk in uw sms-berichten" in page.locator("main").inner_text()
    page.goto(live_server.url + personal_path(Registration.objects.get(phone="+31612345678")))
    assert "wachtlijst (nummer 1)" in page.locator("main").inner_text()
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    registration = Registration.objects.get(phone="+31612345678")
    assert registration.status == "waiting" and registration.channels == "sms"

    page.get_by_role("button", name="Van de wachtlijst af").click()
    page.wait_for_load_state()
    assert "U bent afgemeld" in page.locator("main").inner_text()
    registration.refresh_from_db()
    assert registration.status == "cancelled"
