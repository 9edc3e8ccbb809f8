"""The formats in a real browser: the facilitator's tally on a phone (with a dropped connection), a vote
through the QR link, and the projector screen updating without a reload."""

import re

import pytest
import segno
from django.contrib.auth.models import Group, Permission
from django.test import Client

from accounts.roles import FACILITATOR
from content.models import Theme
from events.models import EventIndexPage
from formats import services
from formats.models import Statement, StatementGame, StatementSet, Tally, Vote
from formats.views import qr_svg
from tests.conftest import axe_violations
from tests.formats.conftest import make_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_until(page, expression, timeout=10.0):
    """Like page.wait_for_function, which evaluates its string with eval() inside the page: the
    Content-Security-Policy (issue 12: no 'unsafe-eval') forbids that. page.evaluate is not affected."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)


@pytest.fixture
def game(home_page):
    index = home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    theme = Theme.objects.create(name="Jeugd", slug="jeugd")
    statement_set = StatementSet.objects.create(title="Opgroeien", theme=theme)
    for n, text in enumerate(["Ik weet waar ik hulp kan vragen.", "De gemeente luistert naar jongeren."]):
        Statement.objects.create(statement_set=statement_set, text=text, sort_order=n)
    return StatementGame.objects.create(event=make_event(index), statement_set=statement_set,
                                        groups="Jongeren\nProfessionals")


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


@pytest.fixture
def facilitator(django_user_model):
    # A transactional test starts from a flushed database: give the role its formats permissions again,
    # as migration formats/0002 does.
    group = Group.objects.get_or_create(name=FACILITATOR)[0]
    group.permissions.add(*Permission.objects.filter(
        content_type__app_label="formats", codename__in=["add_tally", "change_tally", "view_tally", "add_argument"]))
    user = django_user_model.objects.create_user(username="leider", email="l@example.org", password="x")
    user.groups.add(group)
    return user


def test_facilitator_tally_on_a_phone_survives_a_dropped_connection(game, facilitator, live_server, phone_page):
    page = phone_page
    log_in(page, live_server, facilitator)
    page.goto(live_server.url + game.get_facilitate_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]

    page.get_by_label("Tafel of groep", exact=True).select_option("Jongeren")
    for _ in range(3):
        page.get_by_role("button", name="Eén meer: eens").click()
    page.get_by_label("Rode kaart: oneens").fill("2")
    page.context.set_offline(True)
    page.get_by_role("button", name="Telling opslaan").click()
    status = page.locator("#save-status")
    wait_until(page, "document.getElementById('save-status').dataset.state === 'pending'")
    assert "Nog niet opgeslagen" in status.inner_text()
    assert not Tally.objects.exists()
    assert page.evaluate("JSON.parse(localStorage.getItem('meedoen-formats-queue')).length") == 1

    page.context.set_offline(False)
    page.evaluate("window.formatsQueue.flush()")
    wait_until(page, "document.getElementById('save-status').dataset.state === 'saved'")
    assert status.inner_text() == "Opgeslagen"
    tally = Tally.objects.get()
    assert (tally.group, tally.agree, tally.disagree, tally.neutral) == ("Jongeren", 3, 2, 0)


def test_vote_through_the_qr_link(game, live_server, page, phone_page, settings):
    settings.SITE_URL = live_server.url  # the screen's link and QR code use the site's one address
    page.goto(live_server.url + game.get_screen_url())
    vote_url = page.locator(".short-url").inner_text()
    assert vote_url == live_server.url + f"/stem/{game.key[:6]}"  # short enough to type (issue 16)
    # The QR code on the screen encodes exactly this link.
    qr_file = page.request.get(live_server.url + f"/formats/spel/{game.key}/qr.svg").text()
    assert qr_file == qr_svg(vote_url) and 'xmlns="http://www.w3.org/2000/svg"' in qr_file
    expected = re.search(r'class="qrline"[^>]* d="([^"]+)"', segno.make(vote_url, error="m").svg_inline()).group(1)
    assert page.locator(".qr svg path.qrline").get_attribute("d") == expected

    phone = phone_page
    phone.goto(vote_url)
    violations = axe_violations(phone)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    first = game.statements()[0]
    card = phone.locator(f"#statement-{first.pk}")
    card.get_by_role("button", name="Eens", exact=True).click()
    wait_until(phone, "document.getElementById('save-status').dataset.state === 'saved'")
    card.get_by_role("button", name="Oneens").click()
    wait_until(phone, "JSON.parse(localStorage.getItem('meedoen-formats-queue') || '[]').length === 0")
    wait_until(phone, "document.getElementById('save-status').dataset.state === 'saved'")
    assert Vote.objects.count() == 1 and Vote.objects.get().choice == "disagree"
    phone.reload()
    assert card.get_by_role("button", name="Oneens").get_attribute("aria-pressed") == "true"


def test_live_screen_updates_without_reloading(game, live_server, page):
    first = game.statements()[0]
    page.goto(live_server.url + game.get_screen_url() + "?every=500")
    page.evaluate("window.loadedOnce = true")
    assert page.locator("#live-statement").inner_text() == "Het spel begint zo."

    services.show_statement(game, first)
    wait_until(page, f"document.getElementById('live-statement').textContent === {first.text!r}")
    assert page.locator("#live-hidden").is_visible() and not page.locator("#live-results").is_visible()

    services.record_tally(game, first, group="Jongeren", agree=6, disagree=2, neutral=0)
    voter, _ = services.voter_for(game, "")
    services.cast_vote(game, voter, first, "agree")
    services.close_statement(game, first)
    wait_until(page, "!document.getElementById('live-results').hidden")
    assert page.locator("#live-agree-count").inner_text() == "7"
    assert page.locator("#live-agree-pct").inner_text() == "78%"
    assert page.evaluate("window.loadedOnce") is True  # the same page, never reloaded
