"""A resident's signals (and our replies): export and erase on request (see accounts.services).

Erasure anonymises each signal by the retention rule (contact details, place and text removed, replies
emptied); kind, theme, department, dates and status stay for the statistics. The personal link stops
working because the signal no longer says anything.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from messaging.models import Message
from participation.personal_records import field_value, record

from .models import Signal
from .retention import anonymise_signal

FIELDS = ["text", "place", "name", "email", "phone", "source", "status", "created_at", "last_reply_at",
          "closed_at"]


def find(identity):
    return (Signal.objects.filter(identity.match("email", "phone"), anonymised_at__isnull=True)
            .prefetch_related("updates").order_by("created_at", "pk"))


def export(identity):
    records = []
    for signal in find(identity):
        replies = [f"{update.created_at:%Y-%m-%d}: {update.public_message}"
                   for update in signal.updates.all() if update.public_message]
        fields = [field_value(signal, "reference", _("reference"), signal.reference)]
        fields += [field_value(signal, name) for name in FIELDS]
        fields.append(field_value(signal, "replies", _("our replies"), "\n".join(replies)))
        records.append(record("signal", _("Signals, problems and ideas you sent us"), signal.reference, fields))
    return records


def erase(identity, now):
    count = 0
    messages = Q(pk__in=[])
    for signal in find(identity):
        anonymise_signal(signal, now)
        count += 1
        messages |= Q(dedupe_key__startswith=f"outcomes:signal:{signal.pk}:")
    # The messages about these signals go too, to whichever address they went (see panels.personal_data).
    deleted = Message.objects.filter(messages).delete()[0] if count else 0
    return {"signals anonymised": count, "messages deleted": deleted}
