"""The event sign-up form used without a mouse, on a phone and in English."""

import pytest

from events.models import EventIndexPage, Registration
from tests.browser.test_events_browser import personal_path
from tests.conftest import axe_violations
from tests.events.conftest import make_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def event(home_page):
    index = home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    return make_event(index, capacity=10, title="Dialoogtafel Overvecht")


def active_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_to(page, element_id, limit=80):
    """Press Tab (only Tab) until the element with this id has focus; fails when it never gets it."""
    for _ in range(limit):
        if active_id(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} never got focus by Tab (last: #{active_id(page)})")


def assert_described_by_error(page, element_id):
    field = page.locator(f"#{element_id}")
    assert field.get_attribute("aria-invalid") == "true"
    described = (field.get_attribute("aria-describedby") or "").split()
    assert f"{element_id}_error" in described, described
    message = page.locator(f"#{element_id}_error")
    assert message.is_visible() and message.inner_text().strip()
    return message.inner_text()


def test_keyboard_only_signup_with_a_mistake_first(event, live_server, page):
    page.goto(live_server.url + event.url)
    tab_to(page, "id_name")
    page.keyboard.type("Noor de Vries")
    tab_to(page, "id_phone")  # passes the email field, left empty
    page.keyboard.type("12345")
    tab_to(page, "id_consent_event")
    page.keyboard.press("Space")
    assert page.locator("#id_consent_event").is_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    # A clear Dutch summary, with focus on it, and each invalid field tied to its message.
    summary = page.locator("#form-errors")
    summary.wait_for()
    assert "Er klopt nog iets niet" in summary.inner_text()
    assert active_id(page) == "form-errors"
    assert "geen geldig telefoonnummer" in assert_described_by_error(page, "id_phone")
    assert "e-mailadres" in assert_described_by_error(page, "id_email")
    assert Registration.objects.count() == 0

    # Correct the number, choose text messages, submit: all by keyboard.
    tab_to(page, "id_phone")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("06 12345678")
    page.keyboard.press("Tab")  # into the radio group, on the checked choice (email)
    assert page.evaluate("document.activeElement.name") == "channels"
    page.keyboard.press("ArrowDown")
    assert page.locator("input[name=channels][value=sms]").is_checked()
    tab_to(page, "id_consent_event")
    assert page.locator("#id_consent_event").is_checked()  # kept from the first try
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    # Since issue 11 the answer is the neutral "check your messages" page (it was the personal page with
    # "U bent aangemeld"); the personal page is reached by the link in the message.
    page.wait_for_url("**/signup/sent/**")
    assert "Kijk in uw sms-berichten" in page.locator("main").inner_text()
    registration = Registration.objects.get()
    page.goto(live_server.url + personal_path(registration))
    assert "U hebt een plek" in page.locator("main").inner_text()
    assert registration.phone == "+31612345678" and registration.channels == "sms"


def assert_no_axe_violations(page):
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_signup_errors_on_a_phone(event, live_server, phone_page):
    page = phone_page
    page.goto(live_server.url + event.url)
    page.get_by_label("Uw naam").fill("Noor")
    page.get_by_label("Mobiel nummer").fill("12345")
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    page.locator("#form-errors").wait_for()
    assert page.locator("#id_phone").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_consent_event").get_attribute("aria-invalid") == "true"
    assert Registration.objects.count() == 0
    width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"sideways scrolling at 360 px: {width}"
    assert_no_axe_violations(page)


def test_signup_form_in_english(event, live_server, page):
    page.goto(live_server.url + event.url)
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Sign up", exact=True).wait_for()
    assert page.evaluate("document.documentElement.lang") == "en"
    for label in ("Your name", "Email address", "Mobile number", "Text message (SMS)"):
        assert page.get_by_label(label).count() == 1, label
    assert page.get_by_role("group", name="How do you want to hear from us?").count() == 1
    page.get_by_label("Your name").fill("Noor")
    page.get_by_label("Mobile number").fill("12345")
    page.get_by_role("button", name="Sign up", exact=True).click()
    summary = page.locator("#form-errors")
    summary.wait_for()
    assert "Something is not right yet" in summary.inner_text()
    assert "not a valid phone number" in page.locator("#id_phone_error").inner_text()
    assert "Please agree that we use your details" in page.locator("#id_consent_event_error").inner_text()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert Registration.objects.count() == 0
