"""Two coordinators open the same signal or recommendation; the first saves; the second's stale save is
refused, nothing of it is stored, and they see what the other person changed."""

import html
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import COORDINATOR
from messaging.models import Message
from outcomes import services
from outcomes.models import Recommendation, RecommendationStatus, Signal, SignalStatus
from tests.conftest import StaffClient, lock_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_coordinators(django_user_model, site):
    clients = []
    for name in ("anna", "bram"):
        user = django_user_model.objects.create_user(username=name, email=f"{name}@example.org", password="x")
        user.groups.add(Group.objects.get(name=COORDINATOR))
        client = StaffClient()
        client.force_login(user)
        clients.append(client)
    return clients


def page_text(response):
    return html.unescape(response.content.decode())


def test_a_stale_triage_does_not_reopen_a_closed_signal(two_coordinators):
    anna, bram = two_coordinators
    signal = services.submit_signal(services.SignalData(text="De lift in de flat is weer kapot.",
                                                        email="bewoner@example.org"))
    url = f"/admin/outcomes/signals/edit/{signal.pk}/"
    anna_token, bram_token = lock_token(anna, url), lock_token(bram, url)

    response = anna.post(url, {"lock_token": anna_token, "kind": "complaint", "status": SignalStatus.CLOSED,
                               "public_message": "De lift is gerepareerd."})
    assert response.status_code == 302
    signal.refresh_from_db()
    closed_at = signal.closed_at
    assert signal.status == SignalStatus.CLOSED and closed_at
    messages_before = Message.objects.count()

    response = bram.post(url, {"lock_token": bram_token, "kind": "", "status": SignalStatus.IN_PROGRESS,
                               "public_message": "We kijken ernaar."})
    assert response.status_code == 200
    text = page_text(response)
    assert "Iemand anders heeft dit veranderd nadat u het opende. Er is niets opgeslagen." in text
    assert "Status: toen u het opende “Ontvangen”, nu “Gesloten”." in text
    assert "Soort: toen u het opende “—”, nu “Klacht”." in text
    assert "We kijken ernaar." in text  # what Bram typed is still in the form
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED and signal.closed_at == closed_at
    assert Message.objects.count() == messages_before  # no message to the resident either

    # Having seen it, Bram can still decide to reopen it: the page now carries the current state.
    fresh = html.unescape(response.content.decode()).split('name="lock_token" value="')[1].split('"')[0]
    response = bram.post(url, {"lock_token": fresh, "kind": "complaint", "status": SignalStatus.IN_PROGRESS,
                               "public_message": ""})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == SignalStatus.IN_PROGRESS


def test_a_triage_without_or_with_a_forged_token_changes_nothing(two_coordinators):
    anna, _bram = two_coordinators
    signal = services.submit_signal(services.SignalData(text="Er ligt afval naast de container."))
    url = f"/admin/outcomes/signals/edit/{signal.pk}/"
    for token in ("", "vervalst:token"):
        response = anna.post(url, {"lock_token": token, "kind": "", "status": SignalStatus.CLOSED})
        assert response.status_code == 200
        assert "Dit formulier is niet compleet of te oud." in page_text(response)
    assert Signal.objects.get(pk=signal.pk).status == SignalStatus.RECEIVED


def recommendation_data(token, **changes):
    data = {"lock_token": token, "title": "Meer spreekuren in de wijk", "description": "",
            "source_type": "panel", "source_name": "Bewonerspanel", "received_on": "2026-03-01", "theme": "",
            "owner": "", "owner_name": "Team Wmo", "owner_email": "wmo@example.org", "due_date": "2026-12-31",
            "status": RecommendationStatus.OPEN, "response": "", "responded_on": ""}
    data.update(changes)
    return data


def test_a_stale_save_of_a_recommendation_is_refused(two_coordinators):
    anna, bram = two_coordinators
    recommendation = Recommendation.objects.create(
        title="Meer spreekuren in de wijk", source_name="Bewonerspanel", received_on=date(2026, 3, 1),
        owner_name="Team Wmo", owner_email="wmo@example.org", due_date=date(2026, 12, 31))
    url = reverse("wagtailsnippets_outcomes_recommendation:edit", args=[recommendation.pk])
    anna_token, bram_token = lock_token(anna, url), lock_token(bram, url)

    response = anna.post(url, recommendation_data(anna_token, status=RecommendationStatus.DONE,
                                                  response="Vanaf mei elke week een spreekuur."))
    assert response.status_code == 302
    response = bram.post(url, recommendation_data(bram_token, due_date="2027-06-30"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Iemand anders heeft dit veranderd nadat u het opende." in text
    assert "Status: toen u het opende “Open”, nu “Uitgevoerd”." in text
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DONE and recommendation.due_date == date(2026, 12, 31)
