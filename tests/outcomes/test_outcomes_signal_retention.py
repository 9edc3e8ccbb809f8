"""Open signals without activity are closed with a note to the resident, then anonymised on the normal clock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.models import Message
from outcomes import retention, services
from outcomes.models import Signal, SignalStatus, SignalUpdate

pytestmark = pytest.mark.django_db


def submit(text, email, created):
    signal = services.submit_signal(services.SignalData(text=text, email=email, name="Bewoner"))
    Signal.objects.filter(pk=signal.pk).update(created_at=created)
    SignalUpdate.objects.filter(signal=signal).update(created_at=created)
    return Signal.objects.get(pk=signal.pk)


def test_inactive_open_signal_is_closed_with_a_note_then_anonymised():
    now = timezone.now()
    stale = submit("Al lang open.", "stil@example.org", now - timedelta(days=400))
    busy = submit("Ook oud, maar er is net geantwoord.", "druk@example.org", now - timedelta(days=400))
    SignalUpdate.objects.create(signal=busy, created_at=now - timedelta(days=10), internal_note="gebeld")
    result = retention.apply(now)
    assert result == {"inactive signals closed": 1, "signals anonymised": 0}
    stale.refresh_from_db()
    busy.refresh_from_db()
    assert stale.status == SignalStatus.CLOSED and stale.closed_at == now and stale.email == "stil@example.org"
    assert busy.status != SignalStatus.CLOSED
    note = Message.objects.get(recipient="stil@example.org", purpose="signal_update")
    assert "nothing has happened" in note.body or "niets meer mee is gebeurd" in note.body
    assert retention.apply(now + timedelta(days=1))["inactive signals closed"] == 0
    later = retention.apply(now + timedelta(days=30 * 12 + 1))
    assert later["signals anonymised"] == 1
    stale.refresh_from_db()
    assert stale.email == "" and stale.anonymised_at
