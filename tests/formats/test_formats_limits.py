"""Issue 12: new voters per address per statement game are limited; the facilitator can open the game
"in the room" for an hour, which lifts that limit."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from formats import services
from formats.models import Vote, Voter

pytestmark = pytest.mark.django_db


def vote_as_new_browser(game, ip="198.51.100.7", json=False):
    statement = game.statements().first()
    headers = {"HTTP_X_REQUESTED_WITH": "fetch"} if json else {}
    return Client(REMOTE_ADDR=ip).post(f"/formats/stem/{game.key}/", {"statement": statement.pk, "choice": "agree"},
                                       **headers)


def test_cookie_less_voters_from_one_address_stop_at_the_limit(game, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "vote_voter": "3/h"}
    statuses = [vote_as_new_browser(game).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert Voter.objects.filter(game=game).count() == 3 and Vote.objects.count() == 3
    blocked = vote_as_new_browser(game, json=True)
    assert blocked.status_code == 429 and "gespreksleider" in blocked.json()["error"]
    assert vote_as_new_browser(game, ip="198.51.100.8").status_code == 302


def test_a_voter_with_a_cookie_can_change_their_vote_without_counting(game, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "vote_voter": "1/h"}
    client = Client(REMOTE_ADDR="198.51.100.7")
    statements = list(game.statements())
    for statement in statements:
        for choice in ("agree", "disagree"):
            assert client.post(f"/formats/stem/{game.key}/", {"statement": statement.pk, "choice": choice}).status_code == 302
    assert Vote.objects.count() == len(statements)
    assert vote_as_new_browser(game).status_code == 429


def test_in_the_room_lifts_the_limit_for_that_game_for_an_hour(game, settings, facilitator):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "vote_voter": "2/h"}
    assert [vote_as_new_browser(game).status_code for _ in range(3)] == [302, 302, 429]
    client = Client()
    client.force_login(facilitator)
    page = client.get(f"/formats/spel/{game.key}/leiden/").content.decode()
    assert "Een uur openen in de zaal" in page
    client.post(f"/formats/spel/{game.key}/leiden/", {"action": "room_open"})
    game.refresh_from_db()
    assert game.in_room()
    assert timedelta(minutes=59) < game.room_open_until - timezone.now() <= timedelta(minutes=60)
    assert "open in de zaal tot" in client.get(f"/formats/spel/{game.key}/leiden/").content.decode()
    assert [vote_as_new_browser(game).status_code for _ in range(10)] == [302] * 10
    assert Voter.objects.filter(game=game).count() == 12
    # after the hour the limit is back
    game.room_open_until = timezone.now() - timedelta(seconds=1)
    game.save()
    assert vote_as_new_browser(game).status_code == 429
    # and the facilitator can stop it early
    services.open_in_room(game)
    client.post(f"/formats/spel/{game.key}/leiden/", {"action": "room_close"})
    game.refresh_from_db()
    assert not game.in_room()


def test_only_facilitators_open_the_room(game, client):
    response = client.post(f"/formats/spel/{game.key}/leiden/", {"action": "room_open"})
    assert response.status_code == 302  # to the login page
    game.refresh_from_db()
    assert game.room_open_until is None
