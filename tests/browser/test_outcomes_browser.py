import pytest

from outcomes import services
from outcomes.models import OutcomeIndexPage, OutcomePage, OutcomeStatus, OutcomeUpdate, Signal, SignalStatus
from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_no_axe_violations(page):
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_resident_submits_a_signal_and_follows_it(site, live_server, phone_page):
    page = phone_page
    page.goto(live_server.url + "/outcomes/signal/")
    assert page.locator("h1").inner_text() == "Vertel het ons: een probleem, een signaal of een idee."
    assert_no_axe_violations(page)

    # Too short: a clear Dutch message tied to the field, nothing stored.
    page.get_by_label("Wat wilt u ons vertellen?").fill("kapot")
    page.get_by_role("button", name="Versturen").click()
    field = page.get_by_label("Wat wilt u ons vertellen?")
    assert field.get_attribute("aria-invalid") == "true"
    assert "minstens 10 tekens" in page.locator("#id_text-error").inner_text()
    assert Signal.objects.count() == 0

    field.fill("De lift in de flat aan de Bernadottelaan is al een week kapot.")
    page.get_by_label("E-mailadres (niet verplicht)").fill("bewoner@example.org")
    page.get_by_role("button", name="Versturen").click()
    page.get_by_role("heading", name="Bedankt dat u het ons vertelt").wait_for()
    page.get_by_role("link", name="Mijn bericht volgen").click()
    assert page.locator(".signal-status").inner_text() == "Ontvangen"
    assert_no_axe_violations(page)

    signal = Signal.objects.get()
    services.handle_signal(signal, status=SignalStatus.IN_PROGRESS,
                           public_message="De monteur komt donderdag.")
    page.reload()
    assert page.locator(".signal-status").inner_text() == "In behandeling"
    assert "De monteur komt donderdag." in page.locator(".signal-timeline").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling


def test_public_outcome_page_and_index(site, live_server, page):
    home = site.root_page
    index = home.add_child(instance=OutcomeIndexPage(title="Wat we doen met wat u zei", slug="uitkomsten"))
    outcome = index.add_child(instance=OutcomePage(
        title="Gratis openbaar vervoer voor minima", slug="gratis-ov", summary="Het panel vroeg erom.",
        decision="<p>We verruimen de U-pas.</p>", status=OutcomeStatus.NOT_ADOPTED,
        status_reason="Te duur binnen de begroting.", progress=0,
    ))
    OutcomeUpdate.objects.create(page=outcome, title="Besluit van het college")
    outcome.save_revision().publish()
    index.save_revision().publish()

    page.goto(live_server.url + "/uitkomsten/")
    page.get_by_label("Status").select_option("not_adopted")
    page.get_by_role("button", name="Tonen").click()
    page.get_by_role("link", name="Gratis openbaar vervoer voor minima").click()
    assert page.locator("h1").inner_text() == "Gratis openbaar vervoer voor minima"
    assert "Te duur binnen de begroting." in page.locator("main").inner_text()
    assert "Besluit van het college" in page.locator(".outcome-timeline").inner_text()
    assert_no_axe_violations(page)
    page.goto(live_server.url + "/uitkomsten/")
    assert_no_axe_violations(page)
