import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from population.models import Area

pytestmark = pytest.mark.django_db


class HomePageTests(WagtailPageTestCase):
    def setUp(self):
        from home.demo import load

        load(StringIO())  # the home page and site settings only: the full demo is tested below
        self.home = HomePage.objects.get()

    def test_home_page_renders_in_dutch(self):
        self.assertPageIsRenderable(self.home)
        response = self.client.get("/")
        self.assertContains(response, '<html lang="nl">')
        self.assertContains(response, "Naar de inhoud")  # skip link
        self.assertContains(response, "Meedoen in Utrecht")
        self.assertContains(response, '<main id="main"', html=False)

    def test_english_switch(self):
        response = self.client.get("/en/")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Skip to main content")
        response = self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        self.assertRedirects(response, "/en/", fetch_redirect_response=False)

    def test_home_page_sits_under_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanCreateAt(Page, HomePage)

    def test_page_loads_nothing_from_other_hosts(self):
        html = self.client.get("/").content.decode()
        # The hreflang alternates are links to this site's own pages (absolute, as search engines ask),
        # not something the page loads.
        html = re.sub(r'<link rel="alternate" hreflang="[^"]+" href="http://testserver/[^"]*">', "", html)
        for attribute in ('src="http', 'href="http'):
            self.assertNotIn(attribute, html)


def test_load_demo_twice_changes_nothing():
    """One run of the whole demo (it is slow), checked for idempotence and for Utrecht's wijken."""
    call_command("load_demo", stdout=StringIO())
    utrecht = Area.objects.get(code="GM0344")
    wijken = Area.objects.filter(parent=utrecht, level=Area.Level.WIJK)
    assert wijken.count() == 10
    assert "Overvecht" in {wijk.display_name for wijk in wijken}

    def snapshot():
        from django.apps import apps

        return {
            model._meta.label: model.objects.count()
            for model in apps.get_models()
            if not model._meta.label.startswith(("wagtailcore.ModelLogEntry", "wagtailcore.PageLogEntry"))
        }

    first = snapshot()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert snapshot() == first
    assert "coordinator" in out.getvalue() and "meedoen-demo" in out.getvalue()


def test_load_demo_refuses_without_permission(settings):
    from django.core.management.base import CommandError

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())


def test_admin_login_page_is_served(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200


def test_retention_command_runs_every_rule():
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "messaging: messages deleted: 0" in out.getvalue()


def test_home_page_shows_next_events_and_ways_to_take_part(client):
    call_command("load_demo", stdout=StringIO())
    from events.models import EventPage

    response = client.get("/")
    upcoming = response.context["upcoming_events"]
    assert upcoming, "the demo has upcoming events"
    assert all(event.end >= timezone.now() and event.status != "cancelled" for event in upcoming)
    assert [event.start for event in upcoming] == sorted(event.start for event in upcoming)
    next_event = EventPage.objects.live().filter(end__gte=timezone.now()).exclude(status="cancelled").order_by("start").first()
    assert upcoming[0] == next_event
    html = response.content.decode()
    assert next_event.title in html
    assert "Vertel het ons" in html  # the signals door
    assert "Jij zei, wij deden" in html or "U zei, wij deden" in html


@pytest.mark.parametrize(
    "role, shown, hidden",
    [
        ("Intermediary", ["/r/dashboard/"], ["/formats/", "/admin/"]),
        ("Facilitator", ["/formats/"], ["/r/dashboard/", "/admin/"]),
        ("Coordinator", ["/formats/", "/admin/"], ["/r/dashboard/"]),
    ],
)
def test_menu_shows_the_doors_a_role_opens(client, home_page, role, shown, hidden):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username="p", email="p@example.org")
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    nav = client.get("/").content.decode().split('aria-label="Hoofdmenu"')[1].split("</nav>")[0]
    for url in shown:
        assert f'href="{url}"' in nav
    for url in hidden:
        assert f'href="{url}"' not in nav
