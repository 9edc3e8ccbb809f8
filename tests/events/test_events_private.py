"""Issue 11, point 7: events that Wagtail's privacy settings restrict stay out of every list, feed and
calendar for people who may not see them; personal pages are never cached."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from events import services
from events.models import Registration
from events.visibility import may_view, visible_events
from tests.events.conftest import make_event, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def private(index):
    """One public event and one behind each kind of restriction (on the event or on its section)."""
    from events.models import EventIndexPage

    events = {"public": make_event(index, title="Open inloop")}
    events["password"] = make_event(index, title="Besloten tafel")
    PageViewRestriction.objects.create(page=events["password"], restriction_type="password", password="geheim")
    events["login"] = make_event(index, title="Voor ingelogde bewoners")
    PageViewRestriction.objects.create(page=events["login"], restriction_type="login")
    events["groups"] = make_event(index, title="Alleen het team")
    restriction = PageViewRestriction.objects.create(page=events["groups"], restriction_type="groups")
    restriction.groups.add(Group.objects.create(name="Jeugdteam"))
    section = index.get_parent().add_child(instance=EventIndexPage(title="Intern", slug="intern"))
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    events["section"] = make_event(section, title="Interne training")
    # An alias in the public index of a restricted event: Wagtail gives it its source's restrictions.
    events["alias"] = events["password"].create_alias(update_slug="besloten-alias")
    return events


def titles(queryset):
    return sorted({event.title for event in queryset})


def test_visible_events_follows_wagtail_for_every_kind_of_visitor(private, rf):
    users = get_user_model()
    resident = users.objects.create_user(username="bewoner", email="bewoner@example.org")
    member = users.objects.create_user(username="teamlid", email="team@example.org")
    member.groups.add(Group.objects.get(name="Jeugdteam"))
    assert titles(visible_events(None)) == ["Open inloop"]
    assert titles(visible_events(resident)) == ["Interne training", "Open inloop", "Voor ingelogde bewoners"]
    assert "Alleen het team" in titles(visible_events(member))
    # A password counts only in the session that gave it, exactly as Wagtail's own page does.
    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = {PageViewRestriction.passed_view_restrictions_session_key:
                       [private["password"].get_view_restrictions().get().pk]}
    assert titles(visible_events(request)) == ["Besloten tafel", "Open inloop"]
    # Every page agrees with Wagtail's own check of that page.
    for event in private.values():
        wagtail_says = all(r.accept_request(request) for r in event.get_view_restrictions())
        assert may_view(event, request) == wagtail_says, event.title


def test_index_feed_and_calendar_hide_private_events(client, private, index):
    page = client.get(index.url).content.decode()
    assert "Open inloop" in page
    for key in ("password", "login", "groups", "section"):
        assert private[key].title not in page
    feed = client.get("/events/feed.ics").content.decode()
    assert "Open inloop" in feed and "Besloten" not in feed and "ingelogde" not in feed
    assert "Alleen het team" not in feed and "Interne training" not in feed
    assert client.get(f"/events/{private['public'].pk}/calendar.ics").status_code == 200
    for key in ("password", "login", "groups", "section", "alias"):
        assert client.get(f"/events/{private[key].pk}/calendar.ics").status_code == 404, key


def test_a_signed_in_resident_sees_and_may_sign_up_for_a_login_event(client, private, index):
    resident = get_user_model().objects.create_user(username="bewoner", email="bewoner@example.org")
    client.force_login(resident)
    assert "Voor ingelogde bewoners" in client.get(index.url).content.decode()
    assert "Voor ingelogde bewoners" in client.get("/events/feed.ics").content.decode()
    event = private["login"]
    response = client.post(f"/events/{event.pk}/signup/", {
        "name": "Bewoner", "email": "bewoner@example.org", "channels": "email", "consent_event": "on"})
    assert response.status_code == 302 and "/signup/sent/" in response["Location"]
    assert Registration.objects.filter(event=event).count() == 1
    assert client.get(response["Location"]).status_code == 200


def test_the_sign_up_endpoint_and_its_answer_refuse_those_who_may_not_see(client, private):
    for key in ("password", "login", "groups", "section"):
        event = private[key]
        response = client.post(f"/events/{event.pk}/signup/", {
            "name": "Vreemde", "email": "v@example.org", "channels": "email", "consent_event": "on"})
        assert response.status_code == 302 and response["Location"] == event.url, key
        assert client.get(f"/events/{event.pk}/signup/sent/").status_code == 404
    assert not Registration.objects.exists()


def test_home_page_shows_only_events_the_visitor_may_see(client, private, home_page):
    page = client.get(home_page.url).content.decode()
    assert "Open inloop" in page and "Besloten tafel" not in page and "Voor ingelogde bewoners" not in page
    client.force_login(get_user_model().objects.create_user(username="bewoner", email="b@example.org"))
    assert "Voor ingelogde bewoners" in client.get(home_page.url).content.decode()


def test_the_index_costs_the_same_queries_with_many_private_and_public_events(client, private, index):
    def count():
        client.get(index.url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(index.url).status_code == 200
        return len(captured)

    before = count()
    for n in range(6):
        event = make_event(index, title=f"Extra {n}")
        if n % 2:
            PageViewRestriction.objects.create(page=event, restriction_type="login")
    assert count() == before


def test_formats_pages_of_a_private_event_are_not_found(client, index, django_user_model):
    from content.models import Theme
    from formats.models import AccountabilityDay, StatementGame, StatementSet

    start = timezone.now() - timedelta(days=2)
    event = make_event(index, title="Besloten spel", start=start, end=start + timedelta(hours=2))
    PageViewRestriction.objects.create(page=event, restriction_type="login")
    game = StatementGame.objects.create(event=event, statement_set=StatementSet.objects.create(
        title="S", theme=Theme.objects.get_or_create(slug="wmo", defaults={"name": "Wmo"})[0]),
                                        publish_results=True)
    day = AccountabilityDay.objects.create(event=event, report_published=True)
    assert client.get(game.get_public_url()).status_code == 404
    assert client.get(day.get_public_url()).status_code == 404
    client.force_login(django_user_model.objects.create_user(username="bewoner", email="b@example.org"))
    assert client.get(game.get_public_url()).status_code == 200


def test_personal_pages_are_never_cached(client, event):
    registration = services.register(event, person(1)).registration
    for url in (f"/events/r/{registration.token}/", f"/events/r/{registration.token}/calendar.ics",
                f"/events/r/{registration.token}/qr.svg", f"/r/friend/{registration.token}/",
                f"/r/friend/{registration.token}/qr.svg"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"], url


def test_the_signal_status_page_is_never_cached(client):
    from outcomes import services as outcome_services

    signal = outcome_services.submit_signal(outcome_services.SignalData(text="De stoep is kapot bij de school."))
    response = client.get(signal.get_absolute_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
