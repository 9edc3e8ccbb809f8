"""The one address of the site, for every absolute URL it hands out.

Emails, SMS, calendar files and feeds, webcal links, JSON-LD, QR codes, flyers, outcome notices and
invitation links are all built with `absolute()`, never from the request's host or the Wagtail Site
record: a message queued by the worker has no request, and a link must not depend on which address a
visitor happened to use. `SITE_URL` (default: `WAGTAILADMIN_BASE_URL`) sets it; `make run` sets both
from `$PORT` and keeps the Wagtail Site record in line (`manage.py sync_site`).

Calendar UIDs do not use this address: they come from `CALENDAR_UID_DOMAIN`, which never changes, so a
move to another address does not duplicate events in people's calendars.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_url():
    """The site's address without a trailing slash, e.g. `https://meedoen.example.nl`."""
    url = getattr(settings, "SITE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return url.rstrip("/")


def absolute(path):
    """`path` ("/events/...") on the site's address; a URL that already has a scheme is returned as is."""
    if not path:
        return site_url() + "/"
    if path.startswith(("http://", "https://")):
        return path
    if not path.startswith("/"):
        path = "/" + path
    return site_url() + path


def page_url(page):
    """A Wagtail page's public address on the site's address (not the Site record's hostname)."""
    parts = page.get_url_parts()
    if parts is None:
        return ""
    return absolute(parts[2])


def webcal(path):
    """The same address with the `webcal://` scheme calendar programs subscribe to."""
    url = absolute(path)
    return "webcal://" + url.split("://", 1)[1]


def host_and_port():
    """(hostname, port) of the site's address, for the Wagtail Site record."""
    parts = urlsplit(site_url())
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


def calendar_uid_domain():
    return getattr(settings, "CALENDAR_UID_DOMAIN", "") or "127.0.0.1"


def language_alternates(request):
    """[(language code, absolute URL)] of this page in each language (hreflang links), Dutch first;
    empty for a page that has no other language version (a webhook, a file)."""
    from django.urls import translate_url

    path = request.path
    alternates = []
    for code, _name in settings.LANGUAGES:
        translated = translate_url(path, code)
        alternates.append((code, absolute(translated)))
    if len({url for _code, url in alternates}) < len(alternates):
        return []
    return alternates


def context(request):
    """Templates: `SITE_URL` for absolute links (canonical, hreflang, a personal link to copy) and the
    page's language versions (computed only when a template asks)."""
    return {"SITE_URL": site_url(), "language_alternates": lambda: language_alternates(request)}
