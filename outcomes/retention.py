"""Retention rule for signals: personal data goes once a signal has been closed for a while.

Contact details (name, email, phone) and the place are removed `RETENTION["signals_months"]`
(default 12) months after the signal was closed; the text is replaced by a note because residents
often put names and addresses in it. Kind, theme, department, dates and status stay for the
statistics. The personal link stops working.

A signal that is still open but has had no activity (no update, reply or status change) for
`RETENTION["signals_inactive_months"]` (default 12) months is closed first, with a note to the resident
through messaging (`INACTIVE_NOTE`); from then on it follows the clock above.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

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


INACTIVE_NOTE = _(
    "We close your message because nothing has happened with it for a long time. "
    "Do you still want us to look at it? Please send it again."
)
INACTIVE_INTERNAL_NOTE = "Automatisch gesloten: geen activiteit binnen de bewaartermijn."


def inactive_months():
    return int(getattr(settings, "RETENTION", {}).get("signals_inactive_months", 12))


def describe():
    """For the privacy page: what this rule keeps and for how long."""
    return [{
        "what": _("Signals: what you told us, and your name, email, phone number and place if you gave them"),
        "why": _("To handle your signal and to tell you what we did with it."),
        "how_long": _("%(months)s months after the signal is closed. A signal without news for %(inactive)s "
                      "months is closed; we tell you first.") % {
            "months": months(), "inactive": inactive_months()},
        "tables": ["outcomes_signal", "outcomes_signalupdate"],
    }]


def close_inactive(now):
    """Close open signals without activity for `inactive_months()`, telling the resident. Returns a count."""
    from .services import handle_signal

    cutoff = now - timedelta(days=30 * inactive_months())
    stale = (
        Signal.objects.open().filter(anonymised_at__isnull=True)
        .annotate(last_update=Coalesce(Max("updates__created_at"), "created_at"))
        .annotate(last_activity=Greatest("last_update", Coalesce("last_reply_at", "created_at"),
                                         Coalesce("routed_at", "created_at")))
        .filter(last_activity__lt=cutoff)
    )
    count = 0
    for signal in stale:
        with override(settings.LANGUAGE_CODE):
            handle_signal(signal, status=SignalStatus.CLOSED, public_message=str(INACTIVE_NOTE),
                          internal_note=INACTIVE_INTERNAL_NOTE, now=now)
        count += 1
    return count


def apply(now):
    closed = close_inactive(now)
    cutoff = now - timedelta(days=30 * months())
    due = Signal.objects.filter(
        status=SignalStatus.CLOSED, closed_at__lt=cutoff, anonymised_at__isnull=True
    )
    count = 0
    with transaction.atomic():
        for signal in due.select_for_update():
            anonymise_signal(signal, now)
            count += 1
    return {"inactive signals closed": closed, "signals anonymised": count}
