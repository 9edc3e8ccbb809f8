"""Issue 16, point 9: what search engines and browsers ask for (robots.txt, sitemap, favicon, meta
description, hreflang), on the site's one address; and point 10: a quiet `load_demo`."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from events.models import EventIndexPage, EventPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(home_page):
    index = home_page.add_child(instance=EventIndexPage(title="Activiteiten", slug="activiteiten",
                                                        search_description=""))
    start = timezone.now() + timedelta(days=3)
    public = index.add_child(instance=EventPage(title="Buurtavond", slug="buurtavond", start=start,
                                                end=start + timedelta(hours=2), intro="Praat mee over uw buurt."))
    private = index.add_child(instance=EventPage(title="Besloten overleg", slug="besloten", start=start,
                                                 end=start + timedelta(hours=2)))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    draft = index.add_child(instance=EventPage(title="Concept", slug="concept", start=start,
                                               end=start + timedelta(hours=2), live=False))
    return public, private, draft


def test_robots_txt_points_to_the_sitemap_and_keeps_personal_pages_out(client, settings):
    settings.SITE_URL = "https://meedoen.example.nl"
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: https://meedoen.example.nl/sitemap.xml" in text
    for path in ("/admin/", "/events/r/", "/outcomes/signal/", "/account/"):
        assert f"Disallow: {path}" in text


def test_the_sitemap_lists_live_public_pages_on_the_site_address(client, settings, events):
    settings.SITE_URL = "https://meedoen.example.nl"
    public, private, draft = events
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    assert "https://meedoen.example.nl/activiteiten/buurtavond/" in locations
    assert all(url.startswith("https://meedoen.example.nl/") for url in locations)
    assert not any("besloten" in url or "concept" in url for url in locations)


def test_favicon_and_meta_description(client, events):
    public, _private, _draft = events
    assert client.get("/favicon.ico").status_code == 301
    page = client.get(public.url).content.decode()
    assert '<meta name="description" content="Praat mee over uw buurt.">' in page
    assert re.search(r'<link rel="icon" href="/static/favicon\.ico"', page)
    # A page without its own description still has one.
    home = client.get("/").content.decode()
    assert re.search(r'<meta name="description" content="[^"]{20,}">', home)


def test_hreflang_links_to_both_languages(client, settings, events):
    settings.SITE_URL = "https://meedoen.example.nl"
    public, _private, _draft = events
    url = public.url  # (Dutch: a request to /en/ leaves English active in this thread)
    for path in (url, "/en" + url):
        page = client.get(path).content.decode()
        assert f'hreflang="nl" href="https://meedoen.example.nl{url}"' in page
        assert f'hreflang="en" href="https://meedoen.example.nl/en{url}"' in page
        assert 'hreflang="x-default"' in page


def test_sync_site_puts_the_address_in_the_wagtail_site(settings, site):
    settings.SITE_URL = "http://127.0.0.1:8080"
    out = StringIO()
    call_command("sync_site", stdout=out)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8080)
    assert "http://127.0.0.1:8080/" in out.getvalue()


def test_load_demo_is_quiet_and_names_every_login(db):
    from messaging.models import Message

    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert len(text.splitlines()) < 40, text
    for login in ("coordinator", "redacteur", "gespreksleider", "jongerenwerker@example.org",
                  "buurtcoach@example.org", "bibliotheek@example.org", "meedoen-demo"):
        assert login in text
    # The demo's made-up people get nothing sent: the worker would otherwise print thousands of lines.
    assert not Message.objects.filter(state="queued").exists()
    assert Message.objects.filter(state="skipped", error="Demo data: not sent.").exists()
