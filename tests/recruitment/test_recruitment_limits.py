"""Issue 12: invitation batches per address (beside the daily limit per intermediary in the database)."""

import pytest
from django.urls import reverse

from recruitment.models import Invitation

pytestmark = pytest.mark.django_db


def test_sending_invitations_is_limited_per_address_previews_are_not(event, intermediary, make_intermediary,
                                                                      client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invite": "2/h"}
    client.force_login(intermediary.user)
    url = reverse("recruitment:invite")
    for _ in range(4):
        assert client.post(url, {"event": event.pk, "contacts": "0612345678", "note": "", "action": "preview"}).status_code == 200
    sent = [client.post(url, {"event": event.pk, "contacts": f"06123456{n:02d}", "note": "", "action": "send"}).status_code
            for n in range(3)]
    assert sent == [200, 200, 429]
    assert Invitation.objects.count() == 2
    # another intermediary account on the same connection does not get round it
    client.force_login(make_intermediary("Ayla").user)
    assert client.post(url, {"event": event.pk, "contacts": "0699999999", "note": "", "action": "send"}).status_code == 429
    assert Invitation.objects.count() == 2
