"""A youth worker makes an invite link on their phone; a peer signs up through it and shows up on the
youth worker's dashboard."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from recruitment.models import Attribution
from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def youth_worker(home_page):
    from django.contrib.auth import get_user_model

    from events.models import EventIndexPage, EventPage
    from recruitment import services
    from recruitment.models import Intermediary

    index = home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    start = timezone.now() + timedelta(days=5)
    event = index.add_child(instance=EventPage(
        title="Pizza-avond: praat mee over je buurt", slug="pizza-avond", start=start,
        end=start + timedelta(hours=2), capacity=10, venue_name="Jongerencentrum",
        venue_address="Kanaleneiland 1, Utrecht", organiser_email="org@example.org"))
    event.save_revision().publish()
    user = get_user_model().objects.create_user(username="youssef", email="youssef@example.org",
                                                first_name="Youssef")
    intermediary = Intermediary.objects.create(user=user, organisation="Jongerenwerk Kanaleneiland",
                                               organisation_type="youth_centre")
    services.approve(intermediary, by=None)
    return user


def logged_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    return page


def test_youth_worker_link_brings_in_a_peer(youth_worker, live_server, phone_page, browser):
    page = logged_in(phone_page, live_server, youth_worker)
    page.goto(live_server.url + "/r/dashboard/")
    page.get_by_role("link", name="Nieuwe uitnodigingslink").click()
    page.get_by_label("Naam voor jezelf (mag leeg)").fill("Instagram-story")
    page.get_by_role("button", name="Maak de link").click()
    page.wait_for_url("**/r/dashboard/links/**")
    assert "Je link is klaar" in page.locator(".notices").inner_text()
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
    short_url = page.get_by_label("Korte link").input_value()
    path = "/r/" + short_url.rsplit("/r/", 1)[1]

    peer_context = browser.new_context(locale="nl-NL", viewport={"width": 360, "height": 740})
    peer = peer_context.new_page()
    peer.goto(live_server.url + path)
    peer.get_by_label("Uw naam").fill("Amira")
    peer.locator("#id_email").fill("amira@example.org")
    peer.get_by_label("Ik vind het goed dat de gemeente").check()
    peer.get_by_role("button", name="Aanmelden", exact=True).click()
    peer.wait_for_url("**/signup/sent/**")  # since issue 11: the neutral answer, not the personal page
    peer_context.close()

    attribution = Attribution.objects.get(registration__email="amira@example.org")
    assert attribution.channel == "link" and attribution.depth == 1

    page.goto(live_server.url + "/r/dashboard/")
    people = page.get_by_role("region", name="Mensen die via jou kwamen")
    assert "Amira" in people.inner_text()
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
