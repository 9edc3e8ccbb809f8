"""The signal form and the on-behalf sign-up, submitted wrongly by keyboard: Dutch errors, focus, wiring."""

import pytest

from events.models import Registration
from outcomes.models import Signal
from recruitment.models import OnBehalfRecord
from tests.browser.test_recruitment_browser import logged_in, youth_worker  # noqa: F401 (fixture)
from tests.browser.test_signup_keyboard_browser import active_id, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def error_for(page, element_id):
    """The field is marked invalid and aria-describedby names a visible error message; its text."""
    field = page.locator(f"#{element_id}")
    assert field.get_attribute("aria-invalid") == "true"
    ids = (field.get_attribute("aria-describedby") or "").split()
    messages = [page.locator(f"#{i}") for i in ids]
    assert all(m.count() == 1 for m in messages), ids  # no dangling ids
    errors = [m for m in messages if "errorlist" in (m.get_attribute("class") or "")]
    assert errors and all(m.is_visible() for m in errors), ids
    return " ".join(m.inner_text() for m in errors)


def submit_by_keyboard(page, after_id):
    """From the field with this id, Tab to the form's submit button and press Enter."""
    tab_to(page, after_id)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_signal_form_errors_by_keyboard(site, live_server, page):
    page.goto(live_server.url + "/outcomes/signal/")
    tab_to(page, "id_text")
    page.keyboard.type("kapot")
    tab_to(page, "id_email")
    page.keyboard.type("geen-adres")
    submit_by_keyboard(page, "id_phone")

    summary = page.locator("#form-errors")
    summary.wait_for()
    assert "nog niet verstuurd" in summary.inner_text()
    assert active_id(page) == "form-errors"
    assert "minstens 10 tekens" in error_for(page, "id_text")
    assert "e-mailadres" in error_for(page, "id_email").lower()
    assert Signal.objects.count() == 0


def test_on_behalf_form_errors_by_keyboard(youth_worker, live_server, page):  # noqa: F811
    page = logged_in(page, live_server, youth_worker)
    page.goto(live_server.url + "/r/dashboard/register/")
    tab_to(page, "id_name")
    page.keyboard.type("Meneer Jansen")
    tab_to(page, "id_phone")
    page.keyboard.type("12345")
    submit_by_keyboard(page, "id_consent_given_at")

    summary = page.locator("#form-errors")
    summary.wait_for()
    assert "Kijk de velden hieronder nog eens na" in summary.inner_text()
    assert active_id(page) == "form-errors"
    assert "verplicht" in error_for(page, "id_under_16_0")
    assert "verplicht" in error_for(page, "id_consent_method_0")
    assert OnBehalfRecord.objects.count() == 0 and Registration.objects.count() == 0
