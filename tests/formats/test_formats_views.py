"""The phone screens over HTTP: voting through the QR link, the facilitator's saves, the live JSON."""

import json

import pytest
from django.urls import reverse

from formats.models import Argument, Tally, Vote

pytestmark = pytest.mark.django_db


def test_vote_through_the_link_sets_a_cookie_and_one_vote_per_person(client, game):
    first = game.statements()[0]
    url = reverse("formats:vote", args=[game.key])
    page = client.get(url)
    assert page.status_code == 200 and first.text in page.content.decode()
    response = client.post(url, {"statement": first.pk, "choice": "agree"}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.json() == {"ok": True, "statement": first.pk, "choice": "agree"}
    cookie = response.cookies[f"meedoen_stem_{game.pk}"]
    assert cookie["httponly"]
    client.post(url, {"statement": first.pk, "choice": "disagree"}, HTTP_X_REQUESTED_WITH="fetch")
    assert Vote.objects.filter(statement=first).count() == 1
    assert Vote.objects.get(statement=first).choice == "disagree"
    # Someone else (no cookie) is a second person.
    client.cookies.clear()
    client.post(url, {"statement": first.pk, "choice": "agree"})
    assert Vote.objects.filter(statement=first).count() == 2


def test_vote_on_a_closed_statement_is_refused_with_a_reason(client, game):
    from formats import services

    first = game.statements()[0]
    services.close_statement(game, first)
    response = client.post(reverse("formats:vote", args=[game.key]), {"statement": first.pk, "choice": "agree"},
                           HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 400 and response.json()["ok"] is False
    assert not Vote.objects.exists()


def test_profile_is_optional_and_prefer_not_to_say_is_empty(client, game):
    url = reverse("formats:vote", args=[game.key])
    client.post(url, {"action": "profile", "age_band": "25-44", "wijk": ""})
    voter = game.voters.get()
    assert voter.age_band == "25-44" and voter.wijk is None


def test_facilitator_page_needs_the_role(client, game, django_user_model, facilitator):
    url = reverse("formats:facilitate", args=[game.key])
    assert client.get(url).status_code == 302  # to the login
    nobody = django_user_model.objects.create_user(username="x", email="x@example.org", password="x")
    client.force_login(nobody)
    assert client.get(url).status_code == 403
    client.force_login(facilitator)
    page = client.get(url)
    assert page.status_code == 200
    assert "Groene kaart: eens" in page.content.decode()  # colour always with a word


def test_facilitator_saves_are_idempotent_by_client_id(client, game, facilitator):
    client.force_login(facilitator)
    first = game.statements()[0]
    url = reverse("formats:facilitate", args=[game.key])
    data = {"action": "tally", "statement": first.pk, "round": 1, "group": "Jongeren", "agree": 7,
            "disagree": 2, "neutral": 1, "client_id": "c-1"}
    for _ in range(2):
        assert client.post(url, data, HTTP_X_REQUESTED_WITH="fetch").json()["ok"] is True
    tally = Tally.objects.get()
    assert (tally.agree, tally.recorded_by) == (7, facilitator)
    argument = {"action": "argument", "statement": first.pk, "side": "for", "text": "Dichtbij huis",
                "client_id": "c-2"}
    client.post(url, argument, HTTP_X_REQUESTED_WITH="fetch")
    client.post(url, argument, HTTP_X_REQUESTED_WITH="fetch")
    assert Argument.objects.count() == 1
    bad = client.post(url, {**data, "group": "Onbekend", "client_id": "c-3"}, HTTP_X_REQUESTED_WITH="fetch")
    assert bad.status_code == 400


def test_live_json_follows_the_facilitator(client, game, facilitator):
    first = game.statements()[0]
    live = reverse("formats:live", args=[game.key])
    assert client.get(live).json()["statement"] is None
    client.force_login(facilitator)
    url = reverse("formats:facilitate", args=[game.key])
    client.post(url, {"action": "show", "statement": first.pk})
    client.post(url, {"action": "tally", "statement": first.pk, "round": 1, "group": "Jongeren", "agree": 3})
    state = json.loads(client.get(live).content)
    assert state["statement"]["id"] == first.pk and state["show_results"] is False and "results" not in state
    client.post(url, {"action": "close", "statement": first.pk})
    assert client.get(live).json()["results"]["room"]["agree"] == 3


def test_results_page_private_until_the_event_ended_and_csv_for_staff(client, game, facilitator):
    from django.utils import timezone

    url = reverse("formats:game_results", args=[game.key])
    assert client.get(url).status_code == 404
    event = game.event
    event.start = timezone.now() - timezone.timedelta(days=2)
    event.end = event.start + timezone.timedelta(hours=2)
    event.save()
    assert client.get(url).status_code == 200
    csv_url = reverse("formats:game_results_csv", args=[game.key])
    assert client.get(csv_url).status_code == 302
    client.force_login(facilitator)
    response = client.get(csv_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_qr_code_is_an_svg_of_the_voting_link(client, game):
    response = client.get(reverse("formats:qr", args=[game.key]))
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content


def test_results_tables_have_no_empty_headers_and_escape_the_small_cell_sign(client, game):
    """Issue 16: empty <th> and a raw "<5" from {% translate %} broke the results page's HTML."""
    import re

    from django.utils import timezone

    event = game.event
    event.start = timezone.now() - timezone.timedelta(days=2)
    event.end = event.start + timezone.timedelta(hours=2)
    event.save()
    html = client.get(reverse("formats:game_results", args=[game.key])).content.decode()
    assert "<table" in html
    assert not re.search(r"<th[^>]*>\s*</th>", html)
    assert "&lt;5" in html and "as <5" not in html and "als <5" not in html


def test_facilitator_start_page_links_to_check_in_of_coming_events(client, index, facilitator):
    """Issue 16 point 5: the door check-in is one tap from /formats/; far-off and long-past events are not."""
    from tests.formats.conftest import make_event

    soon = make_event(index, days=3, title="Buurtavond", slug="buurtavond")
    far = make_event(index, days=60, title="Verre activiteit", slug="ver")
    client.force_login(facilitator)
    home = client.get(reverse("formats:facilitator_home")).content.decode()
    assert f'href="/events/{soon.pk}/checkin/"' in home and "Aanwezigheid: Buurtavond" in home
    assert f"/events/{far.pk}/checkin/" not in home


def test_projector_screen_is_full_screen_with_a_short_link(client, game):
    """Issue 16 point 6: no site menu or footer on the room's screen, and a link short enough to type."""
    html = client.get(reverse("formats:screen", args=[game.key])).content.decode()
    assert 'class="site-header"' not in html and 'class="site-footer"' not in html
    assert 'class="projector screen"' in html
    short = f"/stem/{game.key[:6]}"
    assert f"http://testserver{short}</strong>" in html
    response = client.get(short)
    assert response.status_code == 302 and response.url == game.get_vote_url()
    assert client.get("/stem/zzzzzz").status_code == 404
    assert client.get(f"/stem/{game.key[:3]}").status_code == 404  # too short to be a code
