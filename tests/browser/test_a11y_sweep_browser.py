"""WCAG 2.1 AA at every width (issue 16 point 4): every public, facilitator and intermediary page, at 320,
390 and 1280 px, without sideways scrolling and without axe violations.

The list of pages is not kept by hand: it is built from the URL conf (every named route under the
language prefix, filled in with objects from the demo) and from the demo's live Wagtail pages. A route
nobody knows how to fill in fails the test, so a new page cannot slip past the sweep. Routes that do not
answer with an HTML page (calendars, images, feeds, POST-only actions) are skipped by what they answer,
not by name. A page that needs a login is opened as the demo's facilitator or intermediary.
"""

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 390, 1280)
# Not pages for residents, facilitators or intermediaries: the Wagtail admin (its own accessibility
# checker), document downloads, the language switch (a POST) and machine webhooks.
NOT_SWEPT_PREFIXES = ("admin/", "documents/", "i18n/", "sms/")
# Wagtail's page route (its pages are swept from the page tree instead) and routes whose parameter is
# a secret the demo does not hand out: a password-reset key, a security key's id, a page password form.
NOT_SWEPT_NAMES = {"wagtail_serve", "wagtail_serve_preview", "account_reset_password_from_key",
                   "mfa_remove_webauthn", "mfa_edit_webauthn", "wagtailcore_authenticate_with_password"}


def named_routes(resolver=None, prefix="", namespace=""):
    """(route name, route text, kwarg names) for every named route, walking includes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from named_routes(entry, route, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", route, list(entry.pattern.regex.groupindex)


def demo_kwargs():
    """How to fill in each route's parameters with something from the demo. Each value is a function
    returning a list of kwargs dicts (a route may be swept with more than one object)."""
    from consultations.models import Consultation, Invitation, Response
    from events.models import EventPage, Registration, RegistrationStatus
    from formats.models import AccountabilityDay, DialogueSession, DialogueTable, StatementGame
    from outcomes.models import Signal
    from panels.models import Panel, SelectionRun, Volunteer
    from recruitment.models import InviteLink

    def open_consultations():
        consultations = [c for c in Consultation.objects.select_related("questionnaire") if c.is_open()]
        assert consultations, "the demo has no open consultation"
        return consultations

    def first(queryset):
        obj = queryset.first()
        assert obj is not None, f"the demo has no {queryset.model.__name__}"
        return obj

    event = lambda: first(EventPage.objects.live().filter(registrations__isnull=False).distinct())  # noqa: E731
    registration = lambda: first(Registration.objects.filter(status=RegistrationStatus.CONFIRMED))  # noqa: E731
    waiting = Registration.objects.filter(status=RegistrationStatus.WAITING).first

    def registrations():
        return [{"token": r.token} for r in filter(None, [registration(), waiting()])]

    def game():
        return [{"key": first(StatementGame.objects.all()).key}]

    def link():
        intermediary_link = first(InviteLink.objects.filter(intermediary__user__username="jongerenwerker"))
        return [{"code": intermediary_link.code}]

    def person():
        from recruitment import services
        from recruitment.models import Intermediary

        worker = Intermediary.objects.get(user__username="jongerenwerker")
        return [{"pk": first(services.visible_registrations(worker)).pk}]

    def audit():
        run = first(SelectionRun.objects.all())
        return [{"pk": run.panel_id, "run_pk": run.pk}]

    def applications():
        live = Volunteer.objects.filter(token__isnull=False, anonymised_at__isnull=True)
        return [{"token": v.token} for v in filter(None, [
            live.filter(status=Volunteer.Status.SELECTED, told_at__isnull=False).first(),
            live.filter(status=Volunteer.Status.MEMBER).first()])]

    data_tokens = []

    def data_link():
        from accounts import services
        from participation.personal_records import Identity

        if not data_tokens:  # one link per address per few minutes: make it once
            data_tokens.append(services.request_link(Identity(emails=(registration().email,))))
        return [{"token": data_tokens[0]}]

    day = lambda: [{"day_id": first(AccountabilityDay.objects.all()).pk}]  # noqa: E731
    return {
        "events:signup": lambda: [{"event_id": event().pk}],
        "events:signup_sent": lambda: [{"event_id": event().pk}],
        "events:manage": registrations,
        "events:checkin": lambda: [{"event_id": event().pk}],
        "events:event_ics": lambda: [{"event_id": event().pk}],
        "events:cancel": registrations,
        "events:undo_cancel": registrations,
        "events:personal_ics": registrations,
        "events:qr": registrations,
        "recruitment:link_qr_png": link,
        "recruitment:link_qr_svg": link,
        "recruitment:link_flyer": link,
        "recruitment:friend_qr_svg": lambda: [{"token": registration().token}],
        "formats:live": game,
        "formats_short_vote": lambda: [{"short": game()[0]["key"][:6]}],
        "formats:qr": game,
        "formats:game_results_csv": game,
        "events:scan": lambda: [{"token": registration().token}],
        "panels:detail": lambda: [{"pk": p.pk} for p in Panel.objects.all()],
        "panels:apply": lambda: [{"pk": p.pk} for p in Panel.objects.all()],
        "panels:thanks": lambda: [{"pk": first(Panel.objects.all()).pk}],
        "panels:audit": audit,
        # The panel application's personal page (issue 14): someone drawn who still has to answer, and a
        # member; the answer buttons and the contact form only take a POST (they are not swept).
        "panels:application": applications,
        "panels:confirm": applications,
        "panels:decline": applications,
        "panels:withdraw": applications,
        "panels:contact": applications,
        "recruitment:link_detail": link,
        "recruitment:person_detail": person,
        "recruitment:friend": lambda: [{"token": registration().token}],
        "recruitment:follow": link,
        "formats:vote": game,
        "formats:screen": game,
        "formats:screen_opinion": game,
        "formats:opinion_csv": game,
        "formats:facilitate": game,
        "formats:game_results": game,
        "formats:harvest": lambda: [{"table_id": first(DialogueTable.objects.all()).pk}],
        "formats:dialogue_public": lambda: [{"pk": first(DialogueSession.objects.all()).pk}],
        "formats:story_entry": day,
        "formats:responses": day,
        "formats:day_report": lambda: [{"pk": first(AccountabilityDay.objects.all()).pk}],
        "accounts:link_data": data_link,
        "accounts:link_download": data_link,
        "accounts:link_erase": data_link,
        "outcomes:signal_status": lambda: [{"token": first(Signal.objects.all()).token}],
        # Consultations: an open questionnaire's start page, a half-answered and a finished response, the
        # personal link (it redirects to the response), published results.
        "consultations:open": lambda: [{"key": c.open_key} for c in open_consultations()[:1]],
        "consultations:qr": lambda: [{"key": c.open_key} for c in open_consultations()[:1]],
        "consultations:invitation": lambda: [{"token": first(Invitation.objects.filter(
            unlinked_at__isnull=True, consultation__in=open_consultations())).token}],
        "consultations:answer": lambda: [{"token": r.token} for r in filter(None, [
            Response.objects.filter(completed_at__isnull=True, consultation__in=open_consultations()).first(),
            Response.objects.filter(completed_at__isnull=False, consultation__in=open_consultations()).first()])],
        "consultations:done": lambda: [{"token": first(Response.objects.filter(
            completed_at__isnull=False, consultation__in=open_consultations())).token}],
        "consultations:public_results": lambda: [{"pk": c.pk} for c in Consultation.objects.all()],
    }


def is_html_page(response):
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


def sweep_list():
    """[(url, username or None)] for every page to sweep, and the routes that were skipped and why."""
    from wagtail.models import Page

    users = {None: None}
    for username in ("gespreksleider", "jongerenwerker"):
        users[username] = get_user_model().objects.get(username=username)
    clients = {}
    for username, user in users.items():
        clients[username] = Client()
        if user is not None:
            clients[username].force_login(user)

    def who_sees(url):
        for username, client in clients.items():
            if is_html_page(client.get(url)):
                return username
        return False

    fillers = demo_kwargs()
    pages, skipped, unknown = [], [], []
    with translation.override("nl"):
        for name, route, params in named_routes():
            if route.startswith(NOT_SWEPT_PREFIXES) or name in NOT_SWEPT_NAMES:
                continue
            if params and name not in fillers:
                unknown.append(name)
                continue
            for kwargs in fillers[name]() if params else [{}]:
                url = reverse(name, kwargs=kwargs)
                username = who_sees(url)
                if username is False:
                    skipped.append(url)
                else:
                    pages.append((url, username))
        for page in Page.objects.live().filter(depth__gt=1).specific():
            url = page.relative_url(page.get_site())
            username = who_sees(url)
            if username is not False:
                pages.append((url, username))
    print("pages to sweep:", pages)
    assert not unknown, f"add to demo_kwargs how to fill in these routes: {unknown}"
    return pages, skipped


OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && getComputedStyle(el).position !== 'fixed';
  }).slice(0, 3).map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''));
  return {scroll: document.scrollingElement.scrollWidth, width, wide};
}"""


def test_every_page_fits_320_px_and_passes_axe(demo, live_server, browser):
    started = time.monotonic()
    pages, skipped = sweep_list()
    # The sweep must really cover the site: public, facilitator and intermediary pages.
    assert {username for _url, username in pages} == {None, "gespreksleider", "jongerenwerker"}, pages
    assert len(pages) >= 20, pages

    sessions = {}
    for username in ("gespreksleider", "jongerenwerker"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        sessions[username] = client.cookies["sessionid"].value

    problems = []
    for width in WIDTHS:
        context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 800},
                                      is_mobile=width < 800, has_touch=width < 800)
        page = context.new_page()
        page.set_default_timeout(15_000)
        current = "anonymous"
        for url, username in pages:
            if username != current:
                context.clear_cookies()
                if username:
                    context.add_cookies([{"name": "sessionid", "value": sessions[username],
                                          "url": live_server.url}])
                current = username
            page.goto(live_server.url + url)
            overflow = page.evaluate(OVERFLOW)
            if overflow["scroll"] > overflow["width"]:
                problems.append(f"{width}px {url}: scrolls sideways ({overflow['scroll']} > "
                                f"{overflow['width']}: {overflow['wide']})")
            for violation in axe_violations(page):
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{width}px {url}: {violation['id']} {targets}")
        context.close()
    seconds = time.monotonic() - started
    print(f"swept {len(pages)} pages x {len(WIDTHS)} widths in {seconds:.0f} s; not HTML/not visible: {skipped}")
    assert problems == [], "\n".join(problems)
