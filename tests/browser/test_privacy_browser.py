import pytest

from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_privacy_page_from_the_footer_on_a_phone(home_page, live_server, phone_page):
    phone_page.goto(live_server.url + "/")
    phone_page.get_by_role("link", name="Hoe wij met uw gegevens omgaan").click()
    phone_page.wait_for_url(live_server.url + "/privacy/")
    assert phone_page.locator("h1").inner_text() == "Hoe wij met uw gegevens omgaan"
    assert phone_page.get_by_role("table").count() == 1
    # The table scrolls inside its box; the page itself never gets wider than the phone.
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    violations = axe_violations(phone_page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
