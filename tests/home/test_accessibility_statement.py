"""The accessibility statement (issue 16 point 4): a fixed address, linked from every page's footer, in
Dutch and English, in the order of the government's model statement, and honest about its status."""

import re

import pytest

from home.views import ACCESSIBILITY_STATEMENT_DATE

pytestmark = pytest.mark.django_db


def headings(html):
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[12][^>]*>(.*?)</h[12]>", html, re.S)]


def test_dutch_statement_follows_the_model(client, site):
    response = client.get("/toegankelijkheid/")
    assert response.status_code == 200
    html = response.content.decode()
    assert headings(html)[:6] == ["Toegankelijkheidsverklaring", "Status", "Wat we hebben getest en hoe",
                                  "Bekende problemen", "Contact", "Datum"]
    assert "voldoet gedeeltelijk" in html and "C – eerste maatregelen genomen" in html
    assert f"{ACCESSIBILITY_STATEMENT_DATE.day} november {ACCESSIBILITY_STATEMENT_DATE.year}" in html
    assert 'href="/outcomes/signal/"' in html


def test_english_statement(client, site):
    html = client.get("/en/toegankelijkheid/").content.decode()
    assert headings(html)[:6] == ["Accessibility statement", "Status", "What we checked and how",
                                  "Known problems", "Contact", "Date"]
    assert 'lang="en"' in html


def test_every_page_links_to_it_from_the_footer(client, site):
    for url in ("/", "/privacy/", "/outcomes/signal/"):
        footer = client.get(url).content.decode().split('<footer class="site-footer">')[1]
        assert 'href="/toegankelijkheid/"' in footer and "Toegankelijkheid" in footer, url


def test_contact_details_from_the_site_settings(client, site):
    from home.models import SiteSettings

    settings = SiteSettings.for_site(site)
    settings.contact_email = "toegankelijk@example.org"
    settings.accessibility_statement_url = "https://www.toegankelijkheidsverklaring.nl/register/1"
    settings.save()
    html = client.get("/toegankelijkheid/").content.decode()
    assert 'href="mailto:toegankelijk@example.org"' in html
    assert 'href="https://www.toegankelijkheidsverklaring.nl/register/1"' in html
