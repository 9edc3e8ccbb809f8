"""Retention rule for signals: personal data goes once a signal has been closed for a while.

Contact details (name, email, phone) and the place are removed `RETENTION["signals_months"]`
(default 12) months after the signal was closed; the text is replaced by a note because residents
often put names and addresses in it. Kind, theme, department, dates and status stay for the
statistics. The personal link stops working. Signals that are still open keep their data.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction

from .models import Signal, SignalStatus

REMOVED_TEXT = "[verwijderd na de bewaartermijn]"


def months():
    return int(getattr(settings, "RETENTION", {}).get("signals_months", 12))


def anonymise_signal(signal, now):
    """Remove one signal's contact details, place and text, and the replies' texts.

    Used by `apply` after the retention period and by `outcomes.personal_data.erase` on request.
    """
    signal.name = signal.email = signal.phone = signal.place = ""
    signal.text = REMOVED_TEXT
    signal.anonymised_at = now
    signal.save(update_fields=["name", "email", "phone", "place", "text", "anonymised_at"])
    signal.updates.exclude(public_message="", internal_note="").update(public_message="", internal_note="")


def apply(now):
    cutoff = now - timedelta(days=30 * months())
    due = Signal.objects.filter(
        status=SignalStatus.CLOSED, closed_at__lt=cutoff, anonymised_at__isnull=True
    )
    count = 0
    with transaction.atomic():
        for signal in due.select_for_update():
            anonymise_signal(signal, now)
            count += 1
    return {"signals anonymised": count}
