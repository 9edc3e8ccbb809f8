"""Accountability Day: stories with consent, responses per theme, a report with only consented stories."""

from datetime import time

import pytest
from django.urls import reverse

from content.models import Theme
from formats import services
from formats.models import AccountabilityDay, ProgrammeSession, Story, ThemeResponse
from tests.formats.conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(index):
    event = make_event(index, title="Dag van de Verantwoording", format="accountability_day")
    day = AccountabilityDay.objects.create(event=event, introduction="Een dag om te luisteren.")
    ProgrammeSession.objects.create(day=day, starts_at=time(10), title="Opening", sort_order=0)
    ProgrammeSession.objects.create(day=day, starts_at=time(15), title="Slotsessie", is_closing=True, sort_order=1)
    return day


def test_story_entry_on_a_phone_is_idempotent(client, day, theme, facilitator):
    client.force_login(facilitator)
    url = reverse("formats:story_entry", args=[day.pk])
    assert client.get(url).status_code == 200
    data = {"kind": "interview", "title": "", "text": "Mijn moeder wacht al een half jaar op een traplift.",
            "teller": "dochter, Overvecht", "collected_by": "Fatima", "theme": theme.pk, "consent": "on",
            "client_id": "s-1"}
    assert client.post(url, data, HTTP_X_REQUESTED_WITH="fetch").json()["ok"]
    client.post(url, data, HTTP_X_REQUESTED_WITH="fetch")
    story = Story.objects.get()
    assert story.consent_publication and story.kind == "interview" and story.collected_by_user == facilitator
    assert story.title.startswith("Mijn moeder wacht")
    missing = client.post(url, {**data, "collected_by": "", "client_id": "s-2"}, HTTP_X_REQUESTED_WITH="fetch")
    assert missing.status_code == 400


def test_report_shows_only_consented_stories_and_the_responses(client, day, theme):
    youth = Theme.objects.create(name="Jeugd", slug="jeugd")
    shared = services.record_story(day, title="Traplift", text="Wachten op een traplift.", collected_by="Fatima",
                                   theme=theme, other_themes=[youth], consent_publication=True)
    private = services.record_story(day, title="Privé", text="Niet publiceren.", collected_by="Jan", theme=theme)
    services.record_response(day, theme, professionals="We kijken naar de wachttijd.",
                             administrators="De wethouder maakt er geld voor vrij.", responders="wethouder zorg")
    services.record_response(day, theme, professionals="We halveren de wachttijd.", client_id="r-2")
    assert ThemeResponse.objects.get().professionals == "We halveren de wachttijd."

    url = reverse("formats:day_report", args=[day.pk])
    assert client.get(url).status_code == 404
    assert shared.get_public_url() is None
    day.report_published = True
    day.save()
    page = client.get(url).content.decode()
    assert "Wachten op een traplift." in page and "Niet publiceren." not in page
    assert "We halveren de wachttijd." in page and "Slotsessie" in page
    assert shared.get_public_url() == f"{url}#story-{shared.pk}"
    assert private.get_public_url() is None
    assert ThemeResponse.objects.get().get_public_url() == f"{url}#theme-{theme.pk}"


def test_responses_screen_saves_per_theme(client, day, theme, facilitator):
    client.force_login(facilitator)
    url = reverse("formats:responses", args=[day.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"theme": theme.pk, "professionals": "Herkenbaar.", "administrators": "",
                      "responders": "teamleider", "client_id": "x"}, HTTP_X_REQUESTED_WITH="fetch")
    assert day.responses.get().responders == "teamleider"


def test_public_links_for_the_event_page(day, game):
    assert services.public_links(game.event) == [("Stem op de stellingen", game.get_vote_url())]
    assert services.public_links(day.event) == []
    day.report_published = True
    day.save()
    assert services.public_links(day.event) == [("Verslag van de dag", day.get_public_url())]


def test_day_report_is_public_once_published_and_live_staff_preview_before(day, django_user_model):
    from django.contrib.auth.models import AnonymousUser, Permission

    editor = django_user_model.objects.create_user(email="red@example.org", username="red", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="change_accountabilityday"))
    editor = django_user_model.objects.get(pk=editor.pk)
    assert not services.may_see_day_report(day, AnonymousUser())
    assert services.may_see_day_report(day, editor)
    day.report_published = True
    day.save()
    assert services.may_see_day_report(day, AnonymousUser())
    day.event.unpublish()
    day.event.refresh_from_db()
    assert not services.may_see_day_report(day, AnonymousUser())


def test_the_event_page_gets_the_format_links_through_a_signal(game, client):
    """events asks through `event_page_links`; formats answers (events imports no formats code)."""
    from events.signals import links_for

    expected = [("Stem op de stellingen", game.get_vote_url())]
    assert links_for(game.event) == services.public_links(game.event) == expected
    page = client.get(game.event.url)
    assert game.get_vote_url() in page.content.decode()
