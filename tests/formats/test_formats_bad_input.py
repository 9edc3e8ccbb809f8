"""Bad input on the facilitators' phones: a clear message in Dutch, HTTP 400, nothing stored, never a 500.

These were the 500s of issue 12: tally count 99999999999, harvest round 99999999999, harvest theme=abc,
story themes=abc. The queue (queue.js) drops a 4xx and shows its message, so the next save goes through.
"""

from datetime import time

import pytest
from django.test import Client
from django.urls import reverse

from formats.models import (
    AccountabilityDay,
    DialogueSession,
    DialogueTable,
    HarvestItem,
    ProgrammeSession,
    Story,
    Tally,
    ThemeResponse,
)

from .conftest import make_event

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def phone(facilitator):
    client = Client(raise_request_exception=False)
    client.force_login(facilitator)
    return client


@pytest.fixture
def table(index, theme):
    event = make_event(index, title="Dialoogtafel", format="dialogue_table")
    session = DialogueSession.objects.create(event=event, theme=theme, rounds="Wat gaat goed?\nWat kan beter?")
    return DialogueTable.objects.create(session=session, name="Tafel 1", sort_order=1)


@pytest.fixture
def day(index):
    event = make_event(index, title="Dag van de Verantwoording", format="accountability_day")
    day = AccountabilityDay.objects.create(event=event)
    ProgrammeSession.objects.create(day=day, starts_at=time(15), title="Slot", is_closing=True)
    return day


def refused(response, words):
    assert response.status_code == 400, response.content[:300]
    data = response.json()
    assert data["ok"] is False
    assert words in data["error"], data["error"]


@pytest.mark.parametrize("field", ["agree", "disagree", "neutral"])
def test_a_huge_tally_count_is_refused(phone, game, field):
    statement = game.statements()[0]
    data = {"statement": statement.pk, "round": 1, "agree": 3, "disagree": 2, "neutral": 1, field: "99999999999"}
    refused(phone.post(reverse("formats:facilitate", args=[game.key]), data, **FETCH), "te groot")
    assert not Tally.objects.exists()


@pytest.mark.parametrize("round_", ["99999999999", "-1", "abc", "1.5"])
def test_a_wrong_tally_round_is_refused(phone, game, round_):
    statement = game.statements()[0]
    data = {"statement": statement.pk, "round": round_, "agree": 3, "disagree": 2, "neutral": 1}
    response = phone.post(reverse("formats:facilitate", args=[game.key]), data, **FETCH)
    assert response.status_code == 400
    assert not Tally.objects.exists()


def test_a_huge_harvest_round_is_refused(phone, table):
    data = {"kind": "topic", "text": "Wachttijden", "round": "99999999999"}
    refused(phone.post(reverse("formats:harvest", args=[table.pk]), data, **FETCH), "ronde")
    assert not HarvestItem.objects.exists()


def test_a_harvest_round_the_session_does_not_have_is_refused(phone, table):
    data = {"kind": "topic", "text": "Wachttijden", "round": "7"}
    refused(phone.post(reverse("formats:harvest", args=[table.pk]), data, **FETCH), "ronde")
    assert not HarvestItem.objects.exists()


@pytest.mark.parametrize("value", ["abc", "99999999999", "-1"])
def test_a_harvest_theme_that_is_not_a_theme_is_refused(phone, table, value):
    data = {"kind": "topic", "text": "Wachttijden", "theme": value}
    refused(phone.post(reverse("formats:harvest", args=[table.pk]), data, **FETCH), "thema")
    assert not HarvestItem.objects.exists()


def test_a_good_harvest_still_saves(phone, table, theme):
    data = {"kind": "topic", "text": "Wachttijden", "theme": theme.pk, "round": "2"}
    response = phone.post(reverse("formats:harvest", args=[table.pk]), data, **FETCH)
    assert response.status_code == 200 and response.json()["ok"] is True
    item = HarvestItem.objects.get()
    assert (item.round, item.theme) == (2, theme)


@pytest.mark.parametrize("themes", [["abc"], ["1", "abc"], ["99999999999"]])
def test_story_themes_that_are_not_themes_are_refused(phone, day, theme, themes):
    data = {"text": "Ik wachtte lang.", "collected_by": "Sanne", "theme": theme.pk, "themes": themes}
    refused(phone.post(reverse("formats:story_entry", args=[day.pk]), data, **FETCH), "thema")
    assert not Story.objects.exists()


@pytest.mark.parametrize("theme", ["abc", "99999999999"])
def test_a_story_theme_that_is_not_a_theme_is_refused(phone, day, theme):
    data = {"text": "Ik wachtte lang.", "collected_by": "Sanne", "theme": theme}
    refused(phone.post(reverse("formats:story_entry", args=[day.pk]), data, **FETCH), "thema")
    assert not Story.objects.exists()


def test_a_good_story_still_saves(phone, day, theme):
    data = {"text": "Ik wachtte lang.", "collected_by": "Sanne", "theme": theme.pk, "themes": [theme.pk]}
    assert phone.post(reverse("formats:story_entry", args=[day.pk]), data, **FETCH).status_code == 200
    assert Story.objects.count() == 1


@pytest.mark.parametrize("theme", ["abc", "99999999999"])
def test_a_response_theme_that_is_not_a_theme_is_refused(phone, day, theme):
    data = {"theme": theme, "professionals": "We gaan het doen."}
    refused(phone.post(reverse("formats:responses", args=[day.pk]), data, **FETCH), "thema")
    assert not ThemeResponse.objects.exists()


def test_without_javascript_the_refusal_is_a_message_on_the_page(phone, table):
    url = reverse("formats:harvest", args=[table.pk])
    response = phone.post(url, {"kind": "topic", "text": "x", "round": "99999999999"}, follow=True)
    assert response.status_code == 200
    assert "ronde" in response.content.decode()
    assert not HarvestItem.objects.exists()
