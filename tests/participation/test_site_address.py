"""One site address (issue 16, point 3): the app is started on a port that is not the default, and every
absolute URL it hands out (emails and SMS queued, .ics files and the webcal link, feeds, JSON-LD, QR codes,
the flyer, invitation links, outcome notices, the "my data" link, sitemap and robots.txt) must use it.

The Wagtail Site record and WAGTAILADMIN_BASE_URL are left pointing elsewhere on purpose: neither may leak
into a link. Calendar UIDs come from CALENDAR_UID_DOMAIN and do not move with the address.
"""

import json
import re
import urllib.error
import urllib.request
from datetime import timedelta
from io import StringIO

import pytest
import segno
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from events import services as event_services
from events.models import EventIndexPage, EventPage
from messaging.models import Message
from outcomes.models import OutcomeIndexPage, OutcomePage, OutcomeUpdate

pytestmark = pytest.mark.django_db(transaction=True)

URL = re.compile(r"""(?:https?|webcal)://[^\s"'<>\\)]+""")
# Addresses that are not ours and may appear: the schema.org vocabulary, the event's own online room.
FOREIGN = ("https://schema.org", "http://schema.org", "https://meet.example.org/", "http://www.w3.org/",
           "http://www.sitemaps.org/", "https://www.sitemaps.org/", "http://purl.org/")


def urls_in(text):
    return [url.rstrip(".,;") for url in URL.findall(text) if not url.startswith(FOREIGN)]


def fetch(url, cookie=""):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - our own live server
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.fixture
def qr_targets(monkeypatch):
    """Every text a QR code is made of, in this process (the live server runs in a thread of it)."""
    made = []
    original = segno.make

    def recording_make(content, *args, **kwargs):
        made.append(content)
        return original(content, *args, **kwargs)

    monkeypatch.setattr(segno, "make", recording_make)
    return made


def test_every_absolute_url_uses_the_site_address(live_server, settings, home_page, qr_targets):
    address = live_server.url  # http://localhost:<a free port>, never the default 8000
    assert not address.endswith(":8000")
    settings.SITE_URL = address
    settings.WAGTAILADMIN_BASE_URL = "http://admin-elsewhere.example:9999"
    settings.CALENDAR_UID_DOMAIN = "meedoen.example.nl"
    site = Site.objects.get(is_default_site=True)
    live_port = int(address.rsplit(":", 1)[1])
    assert site.port != live_port  # stale on purpose
    seen = {}

    def check(where, text):
        found = urls_in(text)
        seen[where] = found
        wrong = [url for url in found if not url.startswith(address + "/")]
        assert not wrong, (where, wrong)
        return found

    # An event with a place, an online part and a contact; someone signs up (email + SMS).
    index = home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten"))
    index.save_revision().publish()
    start = timezone.now() + timedelta(days=5)
    event = index.add_child(instance=EventPage(
        title="Dialoogtafel", slug="dialoogtafel", start=start, end=start + timedelta(hours=2), capacity=5,
        attendance_mode="hybrid", online_url="https://meet.example.org/room", venue_name="Buurthuis",
        venue_address="Boogstraat 1, 3511 AB Utrecht", organiser_email="org@example.org"))
    event.save_revision().publish()
    event.refresh_from_db()
    result = event_services.register(event, {
        "name": "Noor", "email": "noor@example.org", "phone": "+31612345678", "channels": "both",
        "consent_event": True})
    registration = result.registration

    # The event page: JSON-LD and the page's own links (hreflang).
    status, html = fetch(address + event.url)
    assert status == 200
    data = json.loads(re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert data["url"] == address + event.url
    assert check("json-ld", json.dumps(data))
    hreflang = re.findall(r'<link rel="alternate" hreflang="[^"]+" href="([^"]+)"', html)
    assert address + event.url in hreflang and address + "/en" + event.url in hreflang
    check("hreflang", " ".join(hreflang))

    # The index's webcal link, the feed and the event's own .ics.
    status, html = fetch(address + index.url)
    webcal = re.search(r'href="(webcal://[^"]+)"', html).group(1)
    assert webcal == "webcal://" + address.split("://", 1)[1] + "/events/feed.ics"
    for path in ("/events/feed.ics", f"/events/{event.pk}/calendar.ics"):
        status, text = fetch(address + path)
        assert status == 200
        assert check(path, text.replace("\r\n ", "")), path
        assert f"UID:event-{event.pk}@meedoen.example.nl" in text

    # Every message queued for the person: email text, SMS text and the attached personal .ics.
    messages = Message.objects.filter(dedupe_key__startswith=f"events:reg:{registration.pk}:")
    assert {m.channel for m in messages} == {"email", "sms"}
    for message in messages:
        assert check(f"message {message.dedupe_key} {message.channel}", message.body)
        if message.attachment_content:
            check("personal ics", message.attachment_content.replace("\r\n ", ""))
    manage = f"{address}/events/r/{registration.token}/"
    assert any(manage in message.body for message in messages)

    # The personal page's QR code (check-in) and the personal .ics.
    qr_targets.clear()
    assert fetch(manage + "qr.svg")[0] == 200
    assert qr_targets == [f"{address}/events/checkin/{registration.token}/"]
    status, text = fetch(manage + "calendar.ics")
    assert manage in text.replace("\r\n ", "")
    check("personal calendar", text.replace("\r\n ", ""))

    # An intermediary's link: the QR code, the flyer and the invitations they send.
    from recruitment import services as recruitment_services
    from recruitment.models import Intermediary

    user_model = get_user_model()
    coordinator = user_model.objects.create_user(username="coord", email="coord@example.org")
    worker = user_model.objects.create_user(username="sam", email="sam@example.org", first_name="Sam")
    intermediary = Intermediary.objects.create(user=worker, organisation="Jongerenwerk")
    recruitment_services.approve(intermediary, by=coordinator)
    link = recruitment_services.create_link(intermediary, event)
    client = Client()
    client.force_login(worker)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    for path in ("qr.svg", "qr.png", "flyer.pdf"):
        qr_targets.clear()
        status, _body = fetch(f"{address}/r/dashboard/links/{link.code}/{path}", cookie)
        assert status == 200, path
        assert qr_targets == [f"{address}/r/{link.code}?via=qr"], path
    status, html = fetch(f"{address}/r/dashboard/links/{link.code}/", cookie)
    assert f"{address}/r/{link.code}" in html
    recruitment_services.send_invitations(intermediary, event, "vriend@example.org\n+31687654321")
    invitations = Message.objects.filter(recipient__in=["vriend@example.org", "+31687654321"])
    assert invitations.count() == 2
    for message in invitations:
        found = check(f"invitation {message.channel}", message.body)
        assert any(url.startswith(f"{address}/r/") for url in found), (message.body, found)

    # An outcome: its feeds and the notice to participants.
    outcomes = home_page.add_child(instance=OutcomeIndexPage(title="Wat we doen", slug="uitkomsten"))
    outcomes.save_revision().publish()
    outcome = outcomes.add_child(instance=OutcomePage(title="Eén aanspreekpunt", slug="aanspreekpunt",
                                                      summary="Kort."))
    outcome.events.set([event])
    outcome.save_revision().publish()
    OutcomeUpdate.objects.create(page=outcome, date=timezone.localdate(), title="Gestart", text="We zijn begonnen.")
    registration.refresh_from_db()
    from outcomes.services import notify_outcome_participants

    notify_outcome_participants(OutcomePage.objects.get(pk=outcome.pk))
    for message in Message.objects.filter(purpose="outcome_update"):
        found = check(f"outcome notice {message.channel}", message.body)
        assert address + outcome.url in found
    for path in ("/outcomes/feed/atom/", "/outcomes/feed/rss/"):
        status, text = fetch(address + path)
        assert status == 200, path
        assert address + outcome.url in " ".join(check(path, text))

    # "My data": the one-hour link.
    from accounts.services import request_link
    from participation.personal_records import Identity

    token = request_link(Identity(emails=("noor@example.org",)), language="nl")
    assert token
    body = Message.objects.get(dedupe_key__startswith="accounts:mydata:", channel="email").body
    assert any(token in url for url in check("my data", body))

    # What search engines read.
    for path in ("/robots.txt", "/sitemap.xml"):
        status, text = fetch(address + path)
        assert status == 200, path
        assert check(path, text), path
    assert address + event.url in seen["/sitemap.xml"]

    # `make run` keeps the Wagtail Site record on the same address.
    call_command("sync_site", stdout=StringIO())
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("localhost", live_port)
