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
    page.get_by_role("button", name="Op de wachtlijst").click()
    assert "geen geldig telefoonnummer" in page.locator("#id_phone_error").inner_text()
    assert page.get_by_label("Mobiel nummer").get_attribute("aria-invalid") == "true"
    assert Registration.objects.count() == 1

    page.get_by_label("Mobiel nummer").fill("06 12345678")
    page.get_by_role("button", name="Op de wachtlijst").click()
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

    page.get_by_role("link", name="Van de wachtlijst af").click()
    page.get_by_role("button", name="Ja, van de wachtlijst af").click()
    page.wait_for_load_state()
    assert "U bent afgemeld" in page.locator("main").inner_text()
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_cancel_asks_first_and_can_be_undone_while_the_place_is_free(home_page, live_server, phone_page):
    """Issue 16: cancelling is two steps (a page that asks), then an undo for a short while; the undo
    gives the place back only while it is still free."""
    index = home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    event = make_event(index, capacity=1, title="Buurtavond")
    registration = services.register(event, person(1)).registration
    page = phone_page
    page.goto(live_server.url + personal_path(registration))
    page.get_by_role("link", name="Ik meld me af").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Afmelden?"
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    # "No" changes nothing.
    page.get_by_role("link", name="Nee, ik blijf aangemeld").click()
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    # Yes: cancelled, and an undo is offered.
    page.get_by_role("link", name="Ik meld me af").click()
    page.get_by_role("button", name="Ja, afmelden").click()
    page.wait_for_load_state()
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    undo = page.get_by_role("button", name="Afmelding terugdraaien")
    assert undo.is_visible()
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    undo.click()
    page.wait_for_load_state()
    assert "U bent weer aangemeld" in page.locator("main").inner_text()
    registration.refresh_from_db()
    assert registration.status == "confirmed"

    # Cancel again; this time someone takes the free place before the undo.
    page.get_by_role("link", name="Ik meld me af").click()
    page.get_by_role("button", name="Ja, afmelden").click()
    page.wait_for_load_state()
    services.register(event, person(2))
    page.get_by_role("button", name="Afmelding terugdraaien").click()
    page.wait_for_load_state()
    assert "al naar iemand anders gegaan" in page.locator("main").inner_text()
    registration.refresh_from_db()
    assert registration.status == "cancelled"
