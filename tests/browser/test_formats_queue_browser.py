"""The phones' save queue (formats/static/formats/queue.js) against refusals and server errors (issue 12):
a 4xx is shown next to the form and dropped so later saves go through; a 5xx is tried again with
backoff, at most five times, then set aside with a message, and later saves go through."""

import pytest

from formats.models import Tally
from tests.browser.test_formats_browser import facilitator, game, log_in, wait_until  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_tally(page, live_server, game, facilitator):  # noqa: F811
    log_in(page, live_server, facilitator)
    page.goto(live_server.url + game.get_facilitate_url())
    # Short backoff for the test: 50 ms, 100 ms, 200 ms … instead of 1 s, 2 s, 4 s …
    page.evaluate("document.getElementById('save-status').dataset.retryMs = '50'")


def save_count(page, agree):
    page.get_by_label("Groene kaart: eens").fill(str(agree))
    page.get_by_role("button", name="Telling opslaan").click()


def test_a_refused_save_shows_the_reason_and_the_next_save_goes_through(game, facilitator, live_server,  # noqa: F811
                                                                         phone_page):
    page = phone_page
    open_tally(page, live_server, game, facilitator)
    save_count(page, 99999)
    note = page.locator("#tally-form .queue-error")
    note.wait_for()
    assert "Dit aantal is te groot" in note.inner_text()
    assert note.get_attribute("role") == "alert"
    assert page.locator("#save-status").get_attribute("data-state") == "error"
    assert page.evaluate("window.formatsQueue.pending()") == 0  # dropped, not retried
    assert not Tally.objects.exists()

    save_count(page, 4)
    wait_until(page, "document.getElementById('save-status').dataset.state === 'saved'")
    assert Tally.objects.get().agree == 4
    assert page.locator("#tally-form .queue-error").count() == 0


def test_a_server_error_is_tried_again_until_it_goes_through(game, facilitator, live_server, phone_page):  # noqa: F811
    page = phone_page
    open_tally(page, live_server, game, facilitator)
    posts = []

    def flaky(route, request):
        if request.method != "POST":
            return route.continue_()
        posts.append(request.post_data)
        if len(posts) <= 2:
            return route.fulfill(status=502, body="Bad gateway")
        return route.continue_()

    page.route("**/leiden/", flaky)
    save_count(page, 6)
    wait_until(page, "document.getElementById('save-status').dataset.state === 'saved'")
    assert len(posts) == 3
    assert len({p.split("client_id=")[1] for p in posts}) == 1  # the same save, sent again
    assert Tally.objects.get().agree == 6


def test_a_save_the_server_keeps_failing_is_set_aside_after_five_tries(game, facilitator, live_server,  # noqa: F811
                                                                        phone_page):
    page = phone_page
    open_tally(page, live_server, game, facilitator)
    broken = []

    def failing(route, request):
        if request.method == "POST" and "agree=7" in (request.post_data or ""):
            broken.append(request.post_data)
            return route.fulfill(status=500, body="Server error")
        return route.continue_()

    page.route("**/leiden/", failing)
    save_count(page, 7)
    save_count(page, 3)  # waits behind the failing save, in order
    wait_until(page, "document.getElementById('save-status').dataset.state === 'saved'", timeout=20.0)
    assert len(broken) == 5
    assert page.evaluate("window.formatsQueue.failed()") == 1
    assert page.evaluate("window.formatsQueue.pending()") == 0
    assert "server gaf steeds een fout" in page.locator("#tally-form .queue-error").inner_text()
    assert Tally.objects.get().agree == 3
